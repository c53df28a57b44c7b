// Issue 20: what standard STIX/TAXII clients send, read the way they expect (dates, patterns, objects).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { client } from '../helpers/http-client.ts';
import { startTestNode, type TestNode } from '../helpers/test-node.ts';
import { type Cast, castHub } from '../hub/hub-fixture.ts';

const TAXII = 'application/taxii+json;version=2.1';
let node: TestNode;
let cast: Cast;
const tokens: Record<string, string> = {};
export const fixture = (name: string) =>
  JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8'));

before(async () => {
  node = await startTestNode();
  cast = await castHub(node);
  for (const who of ['bank', 'cert'] as const) tokens[who] = await cast.token(who);
});
after(() => node.close());

function as(who: string) {
  const api = client(node.url);
  api.setToken(tokens[who]!);
  return api;
}

const importAs = (who: string, doc: unknown, query = 'kind=scam_campaign') =>
  as(who).call('POST', `/api/v1/hub/import?groupId=${cast.national}&${query}`, JSON.stringify(doc), {
    'content-type': 'application/json',
  });
const taxiiAdd = (who: string, envelope: unknown) =>
  as(who).call('POST', `/taxii2/hub/collections/${cast.national}/objects/`, JSON.stringify(envelope), {
    accept: TAXII,
    'content-type': TAXII,
  });

function indicator(n: number, extra: Record<string, unknown> = {}) {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--${String(n).padStart(8, '0')}-1111-4111-8111-111111111111`,
    created: '2026-03-01T08:00:00.000Z',
    modified: '2026-03-01T08:00:00.000Z',
    pattern: `[ipv4-addr:value = '198.51.100.${n}']`,
    pattern_type: 'stix',
    valid_from: '2026-03-01T08:00:00.000Z',
    ...extra,
  };
}
const bundle = (...objects: unknown[]) => ({
  type: 'bundle',
  id: 'bundle--0a0b0c0d-1111-4222-8333-444455556666',
  objects,
});

test('finding 3: a valid_from of "yesterday" or an impossible day is a 400 naming the field, never a 500', async () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['yesterday', { valid_from: 'yesterday' }, /valid_from/],
    ['31 February', { valid_from: '2026-02-31T00:00:00.000Z' }, /valid_from/],
    ['valid_until not a date', { valid_until: 'next week' }, /valid_until/],
    ['created not a date', { created: 'then' }, /created/],
  ];
  for (const [name, extra, field] of cases) {
    const rest = await importAs('bank', bundle(indicator(1, extra)));
    assert.equal(rest.status, 400, `${name}: ${rest.text.slice(0, 300)}`);
    assert.match(rest.headers.get('content-type') ?? '', /^application\/problem\+json/);
    assert.equal(rest.body.code, 'ERR_VALIDATION');
    assert.ok(
      rest.body.errors.some((e: { field: string }) => field.test(e.field)),
      `${name}: ${JSON.stringify(rest.body.errors)}`,
    );
    const taxii = await taxiiAdd('bank', { objects: [indicator(1, extra)] });
    assert.ok(taxii.status === 400 || taxii.status === 202, `${name}: TAXII ${taxii.status} ${taxii.text}`);
    assert.equal(taxii.headers.get('content-type'), TAXII);
    if (taxii.status === 202) assert.equal(taxii.body.failure_count, 1, name);
  }
  const check = await as('bank').get('/api/v1/hub/check?type=ipv4&value=198.51.100.1');
  assert.equal(check.body.matches.length, 0, 'nothing half-imported');
});

test('finding 4: malformed patterns are refused; a composite stays one indicator and alerts on no single value', async () => {
  for (const pattern of [
    "[ipv4-addr:value = '198.51.100.2'",
    "ipv4-addr:value = '198.51.100.2'",
    "look: [ipv4-addr:value = '198.51.100.2'] now",
  ]) {
    const reply = await importAs(
      'bank',
      bundle(indicator(2, { pattern })),
      'kind=scam_campaign&skipUnsupported=true',
    );
    assert.equal(reply.status, 400, pattern);
    assert.match(JSON.stringify(reply.body.errors), /not a STIX pattern/, pattern);
  }
  const composite = indicator(3, {
    pattern: "[ipv4-addr:value = '198.51.100.3'] AND [domain-name:value = 'composite-three.example']",
  });
  const followed = indicator(4, {
    pattern:
      "[ipv4-addr:value = '198.51.100.4'] FOLLOWEDBY [ipv4-addr:value = '198.51.100.44'] WITHIN 60 SECONDS",
  });
  const plain = indicator(5);
  const reply = await importAs('bank', bundle(composite, followed, plain));
  assert.equal(reply.status, 201, reply.text);
  assert.equal(reply.body.alerts.length, 1);
  assert.equal(reply.body.alerts[0].indicators, 1, 'only the plain indicator is checked');
  assert.deepEqual(
    reply.body.skipped.map((s: { object: string }) => s.object).sort(),
    [composite.id, followed.id].sort(),
  );
  for (const [type, value, hits] of [
    ['ipv4', '198.51.100.3', 0],
    ['domain', 'composite-three.example', 0],
    ['ipv4', '198.51.100.4', 0],
    ['ipv4', '198.51.100.5', 1],
  ] as const) {
    const check = await as('bank').get(`/api/v1/hub/check?type=${type}&value=${value}`);
    assert.equal(check.body.matches.length, hits, `${type} ${value}`);
  }
});

test('finding 4: a START … STOP window limits when the indicator matches', async () => {
  const past = indicator(6, {
    pattern: "[ipv4-addr:value = '198.51.100.6'] START t'2026-01-01T00:00:00Z' STOP t'2026-01-02T00:00:00Z'",
    valid_from: '2025-12-01T00:00:00.000Z',
  });
  const open = indicator(7, {
    pattern: "[ipv4-addr:value = '198.51.100.7'] START t'2026-01-01T00:00:00Z' STOP t'2099-01-01T00:00:00Z'",
    valid_from: '2025-12-01T00:00:00.000Z',
  });
  const reply = await importAs('bank', bundle(past, open));
  assert.equal(reply.status, 201, reply.text);
  const alerts = await Promise.all(
    reply.body.alerts.map(
      async (a: { id: string }) => (await as('bank').get(`/api/v1/hub/alerts/${a.id}`)).body,
    ),
  );
  const windows = alerts.map((a) => `${a.validFrom} ${a.validUntil}`).sort();
  assert.deepEqual(windows, [
    '2026-01-01T00:00:00.000Z 2026-01-02T00:00:00.000Z',
    '2026-01-01T00:00:00.000Z 2099-01-01T00:00:00.000Z',
  ]);
  assert.equal(
    (await as('bank').get('/api/v1/hub/check?type=ipv4&value=198.51.100.6')).body.matches.length,
    0,
  );
  assert.equal(
    (await as('bank').get('/api/v1/hub/check?type=ipv4&value=198.51.100.7')).body.matches.length,
    1,
  );
});
