import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { keyedHash } from '../../src/crypto/hash.ts';
import { client } from '../helpers/http-client.ts';
import { DEMO_PASSWORD, startTestNode, type TestNode } from '../helpers/test-node.ts';
import { type Cast, castHub } from './hub-fixture.ts';
import { openSse } from './sse-client.ts';

let node: TestNode;
let cast: Cast;
const tokens: Record<string, string> = {};
const WHO = ['bank', 'telecom', 'cert', 'outsider', 'lonely'] as const;

before(async () => {
  node = await startTestNode();
  cast = await castHub(node);
  for (const who of WHO) tokens[who] = await cast.token(who);
});
after(() => node.close());

function as(who: (typeof WHO)[number]) {
  const api = client(node.url);
  api.setToken(tokens[who]!);
  return api;
}

async function publish(who: (typeof WHO)[number], body: Record<string, unknown>) {
  const reply = await as(who).post('/api/v1/hub/alerts', {
    kind: 'scam_campaign',
    title: 'api alert',
    confidence: 75,
    groupId: cast.national,
    ...body,
  });
  assert.equal(reply.status, 201, JSON.stringify(reply.body));
  return reply.body;
}

test('publish over HTTP: bad values are named one by one, the rest kept', async () => {
  const body = await publish('bank', {
    tlp: 'GREEN',
    indicators: [
      { type: 'iban', value: 'FR14 2004 1010 0505 0001 3M02 606' },
      { type: 'iban', value: 'FR14 0000' },
      { type: 'colour', value: 'red' },
    ],
  });
  assert.equal(body.accepted, 1);
  assert.deepEqual(
    body.rejected.map((r: { index: number }) => r.index),
    [1, 2],
  );
  assert.equal(body.alert.indicators[0].value, 'FR1420041010050500013M02606');
  const bad = await as('bank').post('/api/v1/hub/alerts', { kind: 'nope' });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.code, 'ERR_VALIDATION');
});

test('TLP holds on every read path of the API: list, read, check, bulk check, NDJSON, privacy mode', async () => {
  const levels = {
    GREEN: '198.51.100.201',
    AMBER: '198.51.100.202',
    'AMBER+STRICT': '198.51.100.203',
    RED: '198.51.100.204',
  } as const;
  const ids: Record<string, string> = {};
  for (const [tlp, value] of Object.entries(levels)) {
    const body = await publish('cert', {
      kind: 'ransomware',
      tlp,
      recipientOrgIds: tlp === 'RED' || tlp === 'AMBER+STRICT' ? [cast.orgs.telecom] : undefined,
      indicators: [{ type: 'ipv4', value }],
    });
    ids[tlp] = body.alert.id;
  }
  const readers: Record<string, string[]> = {
    GREEN: ['cert', 'telecom', 'bank', 'outsider'],
    AMBER: ['cert', 'telecom', 'bank'],
    'AMBER+STRICT': ['cert', 'telecom'],
    RED: ['cert', 'telecom'],
  };
  for (const who of WHO) {
    const api = as(who);
    const list = await api.get('/api/v1/hub/alerts?limit=500');
    assert.equal(list.status, 200);
    const listed = new Set(list.body.items.map((a: { id: string }) => a.id));
    const bulk = await api.post(
      '/api/v1/hub/check',
      Object.values(levels).map((value) => ({ type: 'ipv4', value })),
    );
    assert.equal(bulk.status, 200);
    const nd = await api.call(
      'POST',
      '/api/v1/hub/check',
      Object.values(levels)
        .map((value) => JSON.stringify({ type: 'ipv4', value }))
        .join('\n'),
      { 'content-type': 'application/x-ndjson' },
    );
    assert.equal(nd.status, 200);
    assert.match(nd.headers.get('content-type') ?? '', /application\/x-ndjson/);
    const ndLines = nd.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    for (const [i, [tlp, value]] of Object.entries(levels).entries()) {
      const may = readers[tlp]!.includes(who);
      const label = `${tlp} by ${who}`;
      assert.equal(listed.has(ids[tlp]), may, `list ${label}`);
      const one = await api.get(`/api/v1/hub/alerts/${ids[tlp]}`);
      assert.equal(one.status, may ? 200 : 404, `read ${label}`);
      const single = await api.get(`/api/v1/hub/check?type=ipv4&value=${value}`);
      assert.equal(single.body.matches.length, may ? 1 : 0, `check ${label}`);
      assert.equal(bulk.body.results[i].matches.length, may ? 1 : 0, `bulk ${label}`);
      assert.equal(ndLines[i].matches.length, may ? 1 : 0, `ndjson ${label}`);
      if (!may)
        assert.ok(!nd.text.includes(ids[tlp]!) && !bulk.text.includes(ids[tlp]!), `nothing leaks ${label}`);
    }
  }
  // Privacy mode: only group members, and only what they may read.
  const me = await as('bank').get('/api/v1/hub/me');
  const national = me.body.groups.find((g: { id: string }) => g.id === cast.national);
  const key = Buffer.from(national.hashKey, 'hex');
  const items = Object.values(levels).map((v) => ({ type: 'ipv4', hash: keyedHash(key, v) }));
  const hashed = await as('bank').post('/api/v1/hub/check/hashed', { groupId: cast.national, items });
  assert.equal(hashed.status, 200);
  assert.deepEqual(
    hashed.body.matches.map((m: { i: number }) => m.i),
    [0, 1],
  );
  const outsider = await as('outsider').post('/api/v1/hub/check/hashed', { groupId: cast.national, items });
  assert.equal(outsider.status, 403);
  assert.equal((await as('outsider').get('/api/v1/hub/me')).body.groups.length, 0);
});

test('bulk check: errors per value, 413 past 100,000 values, 400 for a broken NDJSON line', async () => {
  const api = as('bank');
  const mixed = await api.post('/api/v1/hub/check', [
    { type: 'phone', value: 'not a phone' },
    { type: 'iban', value: 'GB82 WEST 1234 5698 7654 32' },
  ]);
  assert.equal(mixed.status, 200);
  assert.ok(mixed.body.results[0].error);
  assert.equal(mixed.body.results[1].value, 'GB82WEST12345698765432');
  assert.equal(mixed.body.results[1].matches.length, 1); // the demo seed's GREEN scam campaign

  const tooMany = Array.from({ length: 100_001 }, () => ({ type: 'ipv4', value: '192.0.2.1' }));
  const big = await api.post('/api/v1/hub/check', tooMany);
  assert.equal(big.status, 413);
  assert.equal(big.body.code, 'ERR_TOO_MANY_VALUES');
  assert.match(big.body.detail, /at most 100,000 values/);
  const bigNd = await api.call(
    'POST',
    '/api/v1/hub/check',
    tooMany.map((x) => JSON.stringify(x)).join('\n'),
    {
      'content-type': 'application/x-ndjson',
    },
  );
  assert.equal(bigNd.status, 413);

  const broken = await api.call('POST', '/api/v1/hub/check', '{"type":"ipv4","value":"192.0.2.1"}\n{oops', {
    'content-type': 'application/x-ndjson',
  });
  assert.equal(broken.status, 400);
  assert.equal(broken.body.errors[0].field, 'body/line 2');

  const full = Array.from({ length: 100_000 }, (_v, i) =>
    JSON.stringify({ type: 'ipv4', value: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` }),
  ).join('\n');
  const streamed = await api.call('POST', '/api/v1/hub/check', full, {
    'content-type': 'application/x-ndjson',
  });
  assert.equal(streamed.status, 200);
  assert.equal(streamed.text.trim().split('\n').length, 100_000);
});

test('sightings and false positives over HTTP reach the publisher only', async () => {
  const body = await publish('cert', {
    tlp: 'AMBER',
    indicators: [{ type: 'domain', value: 'feedback-api.com' }],
  });
  const id = body.alert.id;
  const s = await as('bank').post(`/api/v1/hub/alerts/${id}/sightings`, {
    count: 14,
    note: 'blocked 14 transfers',
  });
  assert.equal(s.status, 201);
  assert.equal(s.body.kind, 'sighting');
  assert.equal(
    (await as('telecom').post(`/api/v1/hub/alerts/${id}/sightings`, { kind: 'false_positive' })).status,
    201,
  );
  assert.equal((await as('outsider').post(`/api/v1/hub/alerts/${id}/sightings`, {})).status, 404);
  const seen = await as('cert').get(`/api/v1/hub/alerts/${id}`);
  assert.deepEqual(
    seen.body.feedback.map((f: { kind: string; count: number }) => [f.kind, f.count]),
    [
      ['sighting', 14],
      ['false_positive', 1],
    ],
  );
  assert.equal((await as('bank').get(`/api/v1/hub/alerts/${id}`)).body.feedback.length, 1);
  const revoke = await as('bank').post(`/api/v1/hub/alerts/${id}/revoke`, { reason: 'not mine' });
  assert.equal(revoke.status, 403);
  assert.equal((await as('cert').post(`/api/v1/hub/alerts/${id}/revoke`, { reason: 'done' })).status, 200);
  assert.equal(
    (await as('cert').get('/api/v1/hub/check?type=domain&value=feedback-api.com')).body.matches.length,
    0,
  );
});

test('the event stream delivers only what each subscriber may read', async () => {
  const base = node.ctx.hub.events.subscriberCount; // the webhook dispatcher listens too
  const bank = await openSse(`${node.url}/api/v1/hub/stream`, tokens.bank!);
  const outsider = await openSse(`${node.url}/api/v1/hub/stream`, tokens.outsider!);
  try {
    assert.equal(bank.status, 200);
    assert.match(bank.headers.get('content-type') ?? '', /text\/event-stream/);
    // Wait until both subscriptions are registered before publishing.
    const deadline = Date.now() + 5000;
    while (node.ctx.hub.events.subscriberCount < base + 2 && Date.now() < deadline)
      await new Promise((r) => setImmediate(r));
    const amber = await publish('cert', {
      tlp: 'AMBER',
      indicators: [{ type: 'domain', value: 'stream-amber.com' }],
    });
    const green = await publish('cert', {
      tlp: 'GREEN',
      indicators: [{ type: 'domain', value: 'stream-green.com' }],
    });
    const first = await bank.next();
    assert.equal(first.event, 'alert.published');
    assert.equal(first.data.alert.id, amber.alert.id);
    assert.deepEqual(
      first.data.added.map((a: { value: string }) => a.value),
      ['stream-amber.com'],
    );
    assert.equal((await bank.next()).data.alert.id, green.alert.id);
    // The outsider's first event is the GREEN one: the AMBER alert never reached it.
    const seen = await outsider.next();
    assert.equal(seen.data.alert.id, green.alert.id);
    await as('cert').post(`/api/v1/hub/alerts/${amber.alert.id}/revoke`, {});
    const revoked = await bank.next();
    assert.equal(revoked.event, 'alert.revoked');
    assert.deepEqual(
      revoked.data.removed.map((a: { value: string }) => a.value),
      ['stream-amber.com'],
    );
    // Feedback goes to the publisher's organisation only: the cert's stream, not the bank's.
    const certStream = await openSse(`${node.url}/api/v1/hub/stream`, tokens.cert!);
    try {
      const deadline2 = Date.now() + 5000;
      while (node.ctx.hub.events.subscriberCount < base + 3 && Date.now() < deadline2)
        await new Promise((r) => setImmediate(r));
      await as('bank').post(`/api/v1/hub/alerts/${green.alert.id}/sightings`, {
        count: 2,
        note: 'blocked 2',
      });
      const feedback = await certStream.next();
      assert.equal(feedback.event, 'alert.feedback');
      assert.equal(feedback.data.feedback.count, 2);
    } finally {
      await certStream.close();
    }
    assert.equal(outsider.events.length, 0);
    assert.equal(bank.events.length, 0);
  } finally {
    await bank.close();
    await outsider.close();
  }
  // Subscribers that went away are dropped.
  const deadline = Date.now() + 5000;
  while (node.ctx.hub.events.subscriberCount > base && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 10));
  assert.equal(node.ctx.hub.events.subscriberCount, base);
  const noAccept = await as('bank').get('/api/v1/hub/stream');
  assert.equal(noAccept.status, 406);
});

test('roles and membership gate the hub; administrators manage organisations and groups', async () => {
  const duty = client(node.url);
  await duty.login('duty', DEMO_PASSWORD);
  assert.equal((await duty.get('/api/v1/hub/alerts')).status, 403);
  assert.equal((await client(node.url).get('/api/v1/hub/check?type=ipv4&value=192.0.2.1')).status, 401);
  const lonely = await as('lonely').post('/api/v1/hub/alerts', {
    kind: 'ransomware',
    title: 'x',
    confidence: 1,
    tlp: 'GREEN',
    groupId: cast.national,
    indicators: [{ type: 'ipv4', value: '192.0.2.9' }],
  });
  assert.equal(lonely.status, 403);
  assert.equal(lonely.body.code, 'ERR_HUB_NO_ORG');

  const admin = client(node.url);
  await admin.login('admin', DEMO_PASSWORD);
  const org = await admin.post('/api/v1/hub/orgs', {
    name: 'New Regulator',
    kind: 'regulator',
    country: 'VN',
  });
  assert.equal(org.status, 201);
  assert.equal(
    (await admin.post(`/api/v1/hub/orgs/${org.body.id}/members`, { username: 'hub-lonely' })).status,
    204,
  );
  assert.equal(
    (await admin.post(`/api/v1/hub/groups/${cast.national}/members`, { orgId: org.body.id })).status,
    204,
  );
  const group = await admin.post('/api/v1/hub/groups', { name: 'VN-TH bilateral', kind: 'bilateral' });
  assert.equal(group.status, 201);
  assert.equal(
    (await as('bank').post('/api/v1/hub/orgs', { name: 'x', kind: 'bank', country: 'VN' })).status,
    403,
  );
  const nowMember = await as('lonely').get('/api/v1/hub/me');
  assert.equal(nowMember.body.org.name, 'New Regulator');
  assert.deepEqual(
    nowMember.body.groups.map((g: { id: string }) => g.id),
    [cast.national],
  );
});

test('update and expire over HTTP: a new version, re-indexed, then no more matches', async () => {
  const body = await publish('bank', {
    tlp: 'GREEN',
    indicators: [{ type: 'domain', value: 'patch-old.com' }],
  });
  const id = body.alert.id;
  const patched = await as('bank').call('PATCH', `/api/v1/hub/alerts/${id}`, {
    title: 'patched',
    addIndicators: [{ type: 'domain', value: 'patch-new.com' }],
    removeIndicatorIds: [body.alert.indicators[0].id],
  });
  assert.equal(patched.status, 200, patched.text);
  assert.equal(patched.body.alert.version, 2);
  assert.equal(
    (await as('telecom').get('/api/v1/hub/check?type=domain&value=patch-old.com')).body.matches.length,
    0,
  );
  assert.equal(
    (await as('telecom').get('/api/v1/hub/check?type=domain&value=patch-new.com')).body.matches.length,
    1,
  );
  assert.equal(
    (await as('telecom').call('PATCH', `/api/v1/hub/alerts/${id}`, { title: 'not mine' })).status,
    403,
  );
  const expired = await as('bank').post(`/api/v1/hub/alerts/${id}/expire`, {});
  assert.equal(expired.status, 200);
  assert.equal(expired.body.alert.state, 'expired');
  assert.equal(
    (await as('telecom').get('/api/v1/hub/check?type=domain&value=patch-new.com')).body.matches.length,
    0,
  );
  const listed = await as('telecom').get('/api/v1/hub/alerts?state=expired&limit=500');
  assert.ok(listed.body.items.some((a: { id: string }) => a.id === id));
});
