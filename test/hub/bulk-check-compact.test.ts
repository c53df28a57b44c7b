// The compact bulk answer (?answer=compact, issue 20, check-path speed) tells each caller exactly what
// the full answer tells it: the same hits (value index, alert, indicator id) in the same order, the
// same alert fields, the same refused values, for hits, misses, duplicates, revoked alerts and alerts
// the caller may not read under TLP, whose ids never appear. A bad value of the option is a 400.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hubSession } from './hub-session.ts';

const { session, as, publish: publishAs } = hubSession(['bank', 'telecom', 'cert', 'outsider']);
const COMPACT = 'application/vnd.hanoi247.check-compact+json';

type Match = {
  alertId: string;
  indicatorId: string;
  kind: string;
  title: string;
  confidence: number;
  tlp: string;
  validUntil: string | null;
};
type Result = { i: number; type: string; value?: string; input?: string; matches?: Match[]; error?: string };
type Compact = {
  checked: number;
  matched: number;
  alerts: {
    id: string;
    kind: string;
    title: string;
    confidence: number;
    tlp: string;
    validUntil: string | null;
  }[];
  hits: [number, number, string][];
  errors: { i: number; type: string; input: string; error: string }[];
};

/** What the full answer says, in the compact answer's terms: hits, the alerts they name, errors. */
function fromFull(full: { checked: number; matched: number; results: Result[] }) {
  const hits: [number, string, string][] = [];
  const alerts = new Map<string, Omit<Match, 'alertId' | 'indicatorId'> & { id: string }>();
  const errors: Compact['errors'] = [];
  for (const r of full.results) {
    if (r.error !== undefined) errors.push({ i: r.i, type: r.type, input: r.input!, error: r.error });
    for (const m of r.matches ?? []) {
      hits.push([r.i, m.alertId, m.indicatorId]);
      const { alertId, indicatorId: _, ...rest } = m;
      alerts.set(alertId, { id: alertId, ...rest });
    }
  }
  return { checked: full.checked, matched: full.matched, hits, alerts, errors };
}

/** The compact answer read back: each hit with its alert's id in place of its position. */
function fromCompact(c: Compact) {
  const ids = c.alerts.map((a) => a.id);
  assert.equal(new Set(ids).size, ids.length, 'each alert named once');
  const referenced = new Set(c.hits.map((h) => h[1]));
  assert.equal(referenced.size, c.alerts.length, 'every alert named has a hit');
  return {
    checked: c.checked,
    matched: c.matched,
    hits: c.hits.map(([i, ref, indicatorId]) => [i, c.alerts[ref]!.id, indicatorId]),
    alerts: new Map(c.alerts.map((a) => [a.id, a])),
    errors: c.errors,
  };
}

test('the compact answer holds what the full answer holds, TLP and all, for JSON and NDJSON', async () => {
  const { orgs } = session.cast;
  const publish = (who: string, body: Record<string, unknown>) => publishAs(who, { confidence: 60, ...body });
  const shared = { type: 'domain', value: 'compact-shared.example' };
  const green = await publish('bank', {
    title: 'Green "quoted" \\ title, é 中文 😀',
    tlp: 'GREEN',
    validUntil: '2099-01-01T00:00:00.000Z',
    indicators: [
      shared,
      { type: 'phone', value: '+84907654321' },
      { type: 'email', value: 'compact@fraud.example' },
    ],
  });
  const amber = await publish('cert', {
    title: 'Amber',
    tlp: 'AMBER',
    confidence: 80,
    indicators: [shared, { type: 'iban', value: 'FR1420041010050500013M02606' }],
  });
  // Readable by the cert (publisher) and the telecom only; the bank must learn nothing of them.
  const strict = await publish('cert', {
    title: 'Amber strict secret',
    tlp: 'AMBER+STRICT',
    recipientOrgIds: [orgs.telecom],
    indicators: [shared, { type: 'domain', value: 'compact-strict-only.example' }],
  });
  const red = await publish('cert', {
    title: 'Red secret',
    tlp: 'RED',
    recipientOrgIds: [orgs.telecom],
    indicators: [shared, { type: 'domain', value: 'compact-red-only.example' }],
  });
  const revoked = await publish('bank', {
    title: 'Revoked',
    tlp: 'GREEN',
    indicators: [shared, { type: 'domain', value: 'compact-revoked-only.example' }],
  });
  const revoke = await as('bank').post(`/api/v1/hub/alerts/${revoked}/revoke`, { reason: 'test' });
  assert.equal(revoke.status, 200, revoke.text);

  const items: { type: unknown; value: unknown }[] = [
    shared, // 0: five alerts hold it
    { type: 'domain', value: 'nothing-here.example' }, // 1: a miss
    { type: 'phone', value: '+84 90 765 43 21' }, // 2: a hit, not in normal form
    shared, // 3: a duplicate
    { type: 'domain', value: 'compact-strict-only.example' }, // 4: AMBER+STRICT only
    { type: 'domain', value: 'compact-red-only.example' }, // 5: RED only
    { type: 'domain', value: 'compact-revoked-only.example' }, // 6: revoked only
    { type: 'nonsense', value: 'x' }, // 7: refused
    { type: 'email', value: 'a..b@fraud.example' }, // 8: refused
    { type: 'iban', value: 'FR14 2004 1010 0505 0001 3M02 606' }, // 9: AMBER, spaced
    { type: 'email', value: 'compact@FRAUD.example' }, // 10: a hit, domain in capitals
    { type: 'phone', value: '+84907654321' }, // 11: a duplicate of 2
  ];
  const ndjson = items.map((item) => JSON.stringify(item)).join('\n');
  const sees: Record<string, string[]> = {
    bank: [green, amber],
    telecom: [green, amber, strict, red],
    cert: [green, amber, strict, red],
    outsider: [green],
  };
  for (const who of ['bank', 'telecom', 'cert', 'outsider']) {
    const api = as(who);
    const full = await api.post('/api/v1/hub/check', items);
    assert.equal(full.status, 200, full.text);
    const compact = await api.post('/api/v1/hub/check?answer=compact', items);
    assert.equal(compact.status, 200, compact.text);
    assert.equal(compact.headers.get('content-type'), `${COMPACT}; charset=utf-8`);
    // The text is JSON as JSON.stringify writes it.
    assert.equal(compact.text, JSON.stringify(JSON.parse(compact.text)));
    const told = fromCompact(compact.body);
    const expected = fromFull(full.body);
    assert.deepEqual(told.hits, expected.hits, who);
    assert.deepEqual(told.alerts, expected.alerts, who);
    assert.deepEqual(told.errors, expected.errors, who);
    assert.equal(told.checked, items.length);
    assert.equal(told.matched, expected.matched);
    // Exactly the alerts this member may read, and nothing of the others.
    assert.deepEqual(new Set(compact.body.alerts.map((a: { id: string }) => a.id)), new Set(sees[who]), who);
    for (const hidden of [green, amber, strict, red, revoked].filter((id) => !sees[who]!.includes(id)))
      assert.ok(!compact.text.includes(hidden), `${who} must not learn of ${hidden}`);
    // Which values hit, by index: the duplicates alike, misses and hidden-only values absent.
    const hitIndexes = [...new Set(compact.body.hits.map((h: [number]) => h[0]))];
    const strictOrRed = who === 'telecom' || who === 'cert' ? [4, 5] : [];
    const amberToo = who === 'outsider' ? [] : [9];
    const expectedIndexes = [0, 2, 3, ...strictOrRed, ...amberToo, 10, 11].sort((a, b) => a - b);
    assert.deepEqual(hitIndexes, expectedIndexes, who);
    assert.deepEqual(
      compact.body.errors.map((e: { i: number }) => e.i),
      [7, 8],
    );
    // NDJSON in, the same compact answer out, text for text; ?omit=misses changes nothing.
    const nd = await api.call('POST', '/api/v1/hub/check?answer=compact&omit=misses', ndjson, {
      'content-type': 'application/x-ndjson',
    });
    assert.equal(nd.status, 200, nd.text);
    assert.equal(nd.text, compact.text);
  }
  // The value held by five alerts, as the telecom sees it: four hits, one per alert, in the full
  // answer's order, and their alert fields.
  const telecom = await as('telecom').post('/api/v1/hub/check?answer=compact', [shared]);
  assert.equal(telecom.body.hits.length, 4);
  const byId = new Map(telecom.body.alerts.map((a: { id: string }) => [a.id, a]));
  assert.deepEqual(byId.get(green), {
    id: green,
    kind: 'scam_campaign',
    title: 'Green "quoted" \\ title, é 中文 😀',
    confidence: 60,
    tlp: 'GREEN',
    validUntil: '2099-01-01T00:00:00.000Z',
  });
  // Nothing at all: empty lists, the counts.
  const none = await as('bank').post('/api/v1/hub/check?answer=compact', [
    { type: 'domain', value: 'nothing-at-all.example' },
  ]);
  assert.equal(none.text, '{"checked":1,"matched":0,"alerts":[],"hits":[],"errors":[]}');
});

test('answer=full is the default answer; a bad answer= is a 400 naming the field; the size limit holds', async () => {
  const api = as('bank');
  const items = [{ type: 'domain', value: 'compact-default.example' }];
  const plain = await api.post('/api/v1/hub/check', items);
  const full = await api.post('/api/v1/hub/check?answer=full', items);
  assert.equal(full.status, 200);
  assert.equal(full.text, plain.text);
  assert.match(full.headers.get('content-type') ?? '', /^application\/json/);
  for (const bad of ['tiny', 'COMPACT', '']) {
    const r = await api.post(`/api/v1/hub/check?answer=${bad}`, items);
    assert.equal(r.status, 400, `${bad}: ${r.text}`);
    assert.match(r.headers.get('content-type') ?? '', /^application\/problem\+json/);
    assert.equal(r.body.code, 'ERR_VALIDATION');
    assert.equal(r.body.errors[0].field, 'querystring/answer');
  }
  const line = JSON.stringify(items[0]);
  const tooMany = await api.call('POST', '/api/v1/hub/check?answer=compact', `${line}\n`.repeat(100_001), {
    'content-type': 'application/x-ndjson',
  });
  assert.equal(tooMany.status, 413, tooMany.text.slice(0, 300));
  assert.equal(tooMany.body.code, 'ERR_TOO_MANY_VALUES');
  const broken = await api.call('POST', '/api/v1/hub/check?answer=compact', `${line}\n{"type":`, {
    'content-type': 'application/x-ndjson',
  });
  assert.equal(broken.status, 400);
  assert.equal(broken.body.errors[0].field, 'body/line 2');
});
