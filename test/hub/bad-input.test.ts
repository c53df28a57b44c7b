import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { count } from 'drizzle-orm';
import { auditEntries, hubAlerts, hubIndicators } from '../../src/store/schema/index.ts';
import { client, type Reply } from '../helpers/http-client.ts';
import { startTestNode, type TestNode } from '../helpers/test-node.ts';
import { type Cast, castHub } from './hub-fixture.ts';

// The "Bad input" list, each case over HTTP: malformed STIX, an unknown type, a wrong TLP,
// an oversize bulk request, a check by a member outside the group. Each gets a clear 4xx that names
// what is wrong, leaks nothing the caller may not read, and writes nothing (no half import).
let node: TestNode;
let cast: Cast;
const tokens: Record<string, string> = {};
/** An AMBER alert of the national group that the outsider must never learn about. */
let secret: { id: string; value: string };

before(async () => {
  node = await startTestNode();
  cast = await castHub(node);
  for (const who of ['bank', 'cert', 'outsider', 'lonely'] as const) tokens[who] = await cast.token(who);
  const published = await as('cert').post('/api/v1/hub/alerts', {
    kind: 'scam_campaign',
    title: 'amber secret',
    confidence: 80,
    tlp: 'AMBER',
    groupId: cast.national,
    indicators: [{ type: 'domain', value: 'amber-secret.example' }],
  });
  assert.equal(published.status, 201, published.text);
  secret = { id: published.body.alert.id, value: 'amber-secret.example' };
});
after(() => node.close());

function as(who: string) {
  const api = client(node.url);
  api.setToken(tokens[who]!);
  return api;
}

/** Rows that any write would change: alerts, indicators and the audit log. */
async function footprint() {
  const { db } = node.ctx.database;
  const n = async (table: typeof hubAlerts | typeof hubIndicators | typeof auditEntries) =>
    (await db.select({ n: count() }).from(table))[0]!.n;
  return { alerts: await n(hubAlerts), indicators: await n(hubIndicators), audit: await n(auditEntries) };
}

/** A 4xx problem+json that names `field` (in its errors list or its detail), with nothing secret in it. */
function refused(reply: Reply, status: number, field: RegExp, label: string, mayReadSecret = false) {
  assert.equal(reply.status, status, `${label}: ${reply.status} ${reply.text.slice(0, 300)}`);
  assert.match(reply.headers.get('content-type') ?? '', /^application\/problem\+json/, label);
  const named = `${reply.body.detail ?? ''} ${JSON.stringify(reply.body.errors ?? [])}`;
  assert.match(named, field, `${label}: names the field`);
  if (!mayReadSecret)
    assert.ok(
      !reply.text.includes(secret.id) && !reply.text.includes(secret.value),
      `${label}: leaks nothing`,
    );
}

const misp = () =>
  JSON.parse(readFileSync(join(import.meta.dirname, '../stix/fixtures/misp-event.json'), 'utf8'));
const importPath = (query = '') => `/api/v1/hub/import?groupId=${cast.national}&kind=scam_campaign${query}`;

test('malformed STIX: broken JSON, not a bundle, a bad object; nothing imported', async () => {
  const before = await footprint();
  const stix = { 'content-type': 'application/stix+json;version=2.1' };
  refused(await as('bank').call('POST', importPath(), '{"type":"bundle",', stix), 400, /./, 'broken JSON');
  refused(await as('bank').post(importPath(), { type: 'report' }), 400, /type|bundle/, 'not a bundle');
  const doc = misp();
  // The first objects are good: a bad one later must not leave them imported.
  doc.objects.push({ type: 'indicator', id: 'indicator--0e5f6a7b-8c9d-4e0f-9a1b-2c3d4e5f6a7b' });
  refused(await as('bank').post(importPath(), doc), 400, /objects\/\d+\/(pattern|created)/, 'a bad object');
  assert.deepEqual(await footprint(), before);
});

test('an unknown type: of STIX object, of indicator in a check, a publish and a bulk check', async () => {
  const before = await footprint();
  const doc = misp();
  doc.objects.push({ type: 'scam', id: 'scam--0e5f6a7b-8c9d-4e0f-9a1b-2c3d4e5f6a7b' });
  refused(await as('bank').post(importPath(), doc), 400, /unknown STIX type "scam"/, 'STIX type');
  refused(await as('bank').get('/api/v1/hub/check?type=colour&value=red'), 400, /type/, 'check type');
  // A publish whose only value has an unknown type publishes nothing.
  refused(
    await as('bank').post('/api/v1/hub/alerts', {
      kind: 'scam_campaign',
      title: 'unknown type',
      confidence: 50,
      tlp: 'GREEN',
      groupId: cast.national,
      indicators: [{ type: 'colour', value: 'red' }],
    }),
    400,
    /indicators\/0/,
    'publish type',
  );
  refused(
    await as('bank').post('/api/v1/hub/alerts', {
      kind: 'phishing',
      title: 'unknown kind',
      confidence: 50,
      tlp: 'GREEN',
      groupId: cast.national,
      indicators: [{ type: 'domain', value: 'a.example' }],
    }),
    400,
    /kind/,
    'alert kind',
  );
  assert.deepEqual(await footprint(), before);
  // In a bulk check the value of an unknown type gets its own error; the others are answered.
  const bulk = await as('bank').post('/api/v1/hub/check', [
    { type: 'colour', value: 'red' },
    { type: 'domain', value: secret.value },
  ]);
  assert.equal(bulk.status, 200);
  assert.match(bulk.body.results[0].error, /unknown indicator type "colour"/);
  assert.equal(bulk.body.results[1].matches.length, 1);
});

test('a wrong TLP: in a publish, an update, an import query and a STIX marking; nothing written', async () => {
  const before = await footprint();
  const base = {
    kind: 'scam_campaign',
    title: 'wrong tlp',
    confidence: 50,
    groupId: cast.national,
    indicators: [{ type: 'domain', value: 'wrong-tlp.example' }],
  };
  refused(await as('bank').post('/api/v1/hub/alerts', { ...base, tlp: 'PURPLE' }), 400, /tlp/, 'publish');
  refused(await as('bank').post('/api/v1/hub/alerts', { ...base, tlp: 'amber' }), 400, /tlp/, 'lower case');
  refused(
    await as('cert').call('PATCH', `/api/v1/hub/alerts/${secret.id}`, { tlp: 'WHITE' }),
    400,
    /tlp/,
    'update',
    true, // the publisher itself
  );
  refused(await as('bank').post(importPath('&tlp=PURPLE'), misp()), 400, /tlp/, 'import query');
  const doc = misp();
  for (const o of doc.objects)
    if (o.type === 'marking-definition')
      Object.assign(o, { name: 'TLP:PURPLE', definition: { tlp: 'purple' } });
  refused(await as('bank').post(importPath(), doc), 400, /TLP/, 'STIX marking');
  // Recipients named for a level that has none.
  refused(
    await as('bank').post('/api/v1/hub/alerts', {
      ...base,
      tlp: 'GREEN',
      recipientOrgIds: [cast.orgs.telecom],
    }),
    400,
    /recipientOrgIds/,
    'recipients at GREEN',
  );
  assert.deepEqual(await footprint(), before);
  assert.equal((await as('cert').get(`/api/v1/hub/alerts/${secret.id}`)).body.tlp, 'AMBER');
});

test('an oversize bulk request: JSON, NDJSON and privacy mode past 100,000 values', async () => {
  const many = Array.from({ length: 100_001 }, (_v, i) => ({ type: 'domain', value: `d${i}.example` }));
  const json = await as('bank').post('/api/v1/hub/check', many);
  refused(json, 413, /at most 100,000 values/, 'JSON');
  assert.equal(json.body.code, 'ERR_TOO_MANY_VALUES');
  const nd = await as('bank').call(
    'POST',
    '/api/v1/hub/check',
    many.map((m) => JSON.stringify(m)).join('\n'),
    {
      'content-type': 'application/x-ndjson',
    },
  );
  refused(nd, 413, /at most 100,000 values/, 'NDJSON');
  const hashed = await as('bank').post('/api/v1/hub/check/hashed', {
    groupId: cast.national,
    items: many.map(() => ({ type: 'domain', hash: '0'.repeat(64) })),
  });
  refused(hashed, 413, /at most 100,000 values/, 'privacy mode');
});

test('a member outside the group: privacy-mode check, publish, import; nothing leaked or written', async () => {
  const before = await footprint();
  const key = node.ctx.hub.membership.groupKey(cast.national);
  const { keyedHash } = await import('../../src/crypto/hash.ts');
  const items = [{ type: 'domain', hash: keyedHash(key, secret.value) }];
  const outsider = await as('outsider').post('/api/v1/hub/check/hashed', { groupId: cast.national, items });
  refused(outsider, 403, /not a member of this sharing group/, 'privacy mode');
  assert.equal(outsider.body.code, 'ERR_HUB_NOT_GROUP_MEMBER');
  refused(
    await as('lonely').post('/api/v1/hub/check/hashed', { groupId: cast.national, items }),
    403,
    /not a member/,
    'no organisation',
  );
  refused(
    await as('outsider').post('/api/v1/hub/alerts', {
      kind: 'scam_campaign',
      title: 'outsider',
      confidence: 50,
      tlp: 'GREEN',
      groupId: cast.national,
      indicators: [{ type: 'domain', value: 'outsider.example' }],
    }),
    403,
    /not a member/,
    'publish',
  );
  refused(await as('outsider').post(importPath(), misp()), 403, /not a member/, 'import');
  assert.deepEqual(await footprint(), before);
  // A plain check answers, without the AMBER alert the outsider may not read, as if it did not exist.
  const check = await as('outsider').get(`/api/v1/hub/check?type=domain&value=${secret.value}`);
  assert.equal(check.status, 200);
  assert.deepEqual(check.body.matches, []);
  assert.equal((await as('outsider').get(`/api/v1/hub/alerts/${secret.id}`)).status, 404);
  // The group member gets the match.
  const member = await as('bank').post('/api/v1/hub/check/hashed', { groupId: cast.national, items });
  assert.equal(member.body.matches[0].matches[0].alertId, secret.id);
});
