// Issue 20: what standard STIX/TAXII clients send, read the way they expect (dates, patterns, objects).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { hubSession } from '../hub/hub-session.ts';
import { CONFORMANCE_DIR } from './conformance.ts';

const TAXII = 'application/taxii+json;version=2.1';
const { session, as } = hubSession(['bank', 'cert']);
export const fixture = (name: string) =>
  JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8'));

const importAs = (who: string, doc: unknown, query = 'kind=scam_campaign') =>
  as(who).call('POST', `/api/v1/hub/import?groupId=${session.cast.national}&${query}`, JSON.stringify(doc), {
    'content-type': 'application/json',
  });
const taxiiAdd = (who: string, envelope: unknown) =>
  as(who).call(
    'POST',
    `/taxii2/hub/collections/${session.cast.national}/objects/`,
    JSON.stringify(envelope),
    {
      accept: TAXII,
      'content-type': TAXII,
    },
  );

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

const ROOT = '/taxii2/hub/';
const getTaxii = (who: string, path: string) => as(who).call('GET', path, undefined, { accept: TAXII });
const alertCount = async () => (await as('bank').get('/api/v1/hub/alerts?limit=500')).body.items.length;

function sdo(type: string, n: number, extra: Record<string, unknown> = {}) {
  return {
    type,
    spec_version: '2.1',
    id: `${type}--${String(n).padStart(8, '0')}-2222-4222-8222-222222222222`,
    created: '2026-03-02T08:00:00.000Z',
    modified: '2026-03-02T08:00:00.000Z',
    ...extra,
  };
}

test('finding 1: a TAXII add keeps every object as sent, fetchable by id; a re-send makes no new alert', async () => {
  const identity = sdo('identity', 1, { name: 'Sender CERT', identity_class: 'organization' });
  const malware = sdo('malware', 2, { name: 'PhishKit', is_family: true });
  const coa = sdo('course-of-action', 3, { name: 'Block at the proxy' });
  const ind = [20, 21, 22].map((n) =>
    indicator(n, { created_by_ref: identity.id, name: `C2 ${n}`, description: `server ${n}` }),
  );
  const rel = (n: number, source: string, target: string, kind: string) =>
    sdo('relationship', n, { relationship_type: kind, source_ref: source, target_ref: target });
  const objects = [
    identity,
    malware,
    coa,
    ...ind,
    rel(4, ind[0]!.id, malware.id, 'indicates'),
    rel(5, coa.id, malware.id, 'mitigates'),
  ];
  const before = await alertCount();
  const added = await taxiiAdd('bank', { objects });
  assert.equal(added.status, 202, added.text);
  assert.equal(added.body.success_count, objects.length);
  assert.equal(added.body.failure_count, 0);
  for (const o of objects) {
    const back = await getTaxii('bank', `${ROOT}collections/${session.cast.national}/objects/${o.id}/`);
    assert.equal(back.status, 200, `${o.id}: ${back.text}`);
    assert.equal(JSON.stringify(back.body.objects), JSON.stringify([o]), `${o.type} comes back as sent`);
  }
  assert.equal(await alertCount(), before + 1);
  const again = await taxiiAdd('bank', { objects });
  assert.equal(again.status, 202);
  assert.equal(again.body.success_count, objects.length);
  assert.equal(await alertCount(), before + 1, 'the same id and modified makes no new alert');
  const check = await as('bank').get('/api/v1/hub/check?type=ipv4&value=198.51.100.20');
  assert.equal(check.body.matches.length, 1);

  // A new version is kept beside the first; versions lists both.
  const v2 = { ...ind[0]!, modified: '2026-03-03T08:00:00.000Z', description: 'second look' };
  assert.equal((await taxiiAdd('bank', { objects: [v2] })).status, 202);
  const versions = await getTaxii(
    'bank',
    `${ROOT}collections/${session.cast.national}/objects/${v2.id}/versions/`,
  );
  assert.deepEqual(versions.body.versions, [ind[0]!.modified, v2.modified]);
  const all = await getTaxii(
    'bank',
    `${ROOT}collections/${session.cast.national}/objects/${v2.id}/?match[version]=all`,
  );
  assert.equal(all.body.objects.length, 2);
  const last = await getTaxii('bank', `${ROOT}collections/${session.cast.national}/objects/${v2.id}/`);
  assert.deepEqual(last.body.objects, [v2]);
});

test('a page serves the last version each reader may see: a newer RED version is the last for its owner only', async () => {
  const id = 'malware--00000077-1111-4111-8111-111111111111';
  const version = (modified: string, extra: Record<string, unknown> = {}) => ({
    type: 'malware',
    spec_version: '2.1',
    id,
    created: '2026-03-01T08:00:00.000Z',
    modified,
    name: 'kept in versions',
    is_family: false,
    ...extra,
  });
  const v1 = version('2026-03-01T08:00:00.000Z');
  const v2 = version('2026-03-02T08:00:00.000Z', {
    object_marking_refs: ['marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1'],
  });
  const path = `${ROOT}collections/${session.cast.national}/objects/`;
  const lastOf = async (who: string, resource: 'objects' | 'manifest' = 'objects') => {
    const reply = await getTaxii(
      who,
      `${ROOT}collections/${session.cast.national}/${resource}/?match[id]=${id}&limit=10`,
    );
    assert.equal(reply.status, 200, reply.text);
    return (reply.body.objects ?? []).map(
      (o: { modified?: string; version?: string }) => o.modified ?? o.version,
    );
  };
  assert.equal((await taxiiAdd('bank', { objects: [v1] })).status, 202);
  assert.deepEqual(await lastOf('bank'), [v1.modified]);
  assert.equal((await taxiiAdd('bank', { objects: [v2] })).status, 202);
  assert.deepEqual(await lastOf('bank'), [v2.modified], 'the newer version replaces the older one');
  assert.deepEqual(await lastOf('bank', 'manifest'), [v2.modified]);
  assert.deepEqual(
    await lastOf('cert'),
    [v1.modified],
    'a reader who may not see RED gets the version before',
  );
  assert.deepEqual(await lastOf('cert', 'manifest'), [v1.modified]);
  const gone = await as('bank').call('DELETE', `${path}${id}/?match[version]=${v2.modified}`, undefined, {
    accept: TAXII,
  });
  assert.equal(gone.status, 200, gone.text);
  assert.deepEqual(
    await lastOf('bank'),
    [v1.modified],
    'with the newest deleted, the one before is the last',
  );
  assert.deepEqual(await lastOf('cert'), [v1.modified]);
  const v3 = version('2026-03-03T08:00:00.000Z');
  assert.equal((await taxiiAdd('cert', { objects: [v3] })).status, 202);
  assert.deepEqual(await lastOf('bank'), [v3.modified], 'a newer version from another member is the last');
  assert.deepEqual(await lastOf('cert'), [v3.modified]);
});

test('finding 5: each indicator keeps its validity, confidence and metadata; bad confidence and dates are refused', async () => {
  const report = sdo('report', 30, {
    name: 'two indicators, two lives',
    published: '2026-03-02T08:00:00.000Z',
    object_refs: [indicator(31).id, indicator(32).id],
  });
  const short = indicator(31, {
    valid_until: '2099-01-01T00:00:00.000Z',
    confidence: 20,
    labels: ['short-lived'],
    name: 'first',
    description: 'the first one',
    created_by_ref: 'identity--00000001-2222-4222-8222-222222222222',
  });
  const long = indicator(32, { confidence: 90, labels: ['long-lived'], name: 'second' });
  const reply = await importAs('bank', bundle(report, short, long));
  assert.equal(reply.status, 201, reply.text);
  assert.equal(reply.body.alerts.length, 2, 'indicators with different validity or confidence do not merge');
  const [a, b] = await Promise.all(
    ['198.51.100.31', '198.51.100.32'].map(
      async (v) => (await as('bank').get(`/api/v1/hub/check?type=ipv4&value=${v}`)).body.matches[0],
    ),
  );
  assert.equal(a.confidence, 20);
  assert.equal(b.confidence, 90);
  const alertA = (await as('bank').get(`/api/v1/hub/alerts/${a.alertId}`)).body;
  assert.equal(alertA.validUntil, '2099-01-01T00:00:00.000Z');
  assert.equal(alertA.validFrom, '2026-03-01T08:00:00.000Z');
  const back = await getTaxii('bank', `${ROOT}collections/${session.cast.national}/objects/${short.id}/`);
  assert.deepEqual(back.body.objects, [short], 'name, description, labels, created_by_ref kept');

  const before = await alertCount();
  for (const [name, extra, field] of [
    ['confidence 250', { confidence: 250 }, /confidence/],
    ['confidence -1', { confidence: -1 }, /confidence/],
    ['modified before created', { modified: '2026-02-01T00:00:00.000Z' }, /modified/],
    ['valid_until before valid_from', { valid_until: '2026-01-01T00:00:00.000Z' }, /valid_until/],
  ] as const) {
    const refused = await importAs('bank', bundle(indicator(33, extra)));
    assert.equal(refused.status, 400, name);
    assert.ok(
      refused.body.errors.some((e: { field: string }) => field.test(e.field)),
      name,
    );
  }
  assert.equal(await alertCount(), before);
});

test('finding 6: a bundle of context (no indicator) is kept whole, and the answer counts what was read and kept', async () => {
  const objects = [
    sdo('threat-actor', 40, { name: 'Mule herders', threat_actor_types: ['crime-syndicate'] }),
    sdo('malware', 41, { name: 'Banking trojan', is_family: true }),
    sdo('attack-pattern', 42, { name: 'Phishing' }),
    sdo('campaign', 43, { name: 'Tet scam wave' }),
    sdo('sighting', 44, { sighting_of_ref: 'malware--00000041-2222-4222-8222-222222222222' }),
    sdo('relationship', 45, {
      relationship_type: 'uses',
      source_ref: 'threat-actor--00000040-2222-4222-8222-222222222222',
      target_ref: 'malware--00000041-2222-4222-8222-222222222222',
    }),
    sdo('report', 46, {
      name: 'context',
      published: '2026-03-02T08:00:00.000Z',
      object_refs: ['campaign--00000043-2222-4222-8222-222222222222'],
      object_marking_refs: ['marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da'],
    }),
    {
      type: 'marking-definition',
      spec_version: '2.1',
      id: 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da',
      created: '2017-01-20T00:00:00.000Z',
      definition_type: 'tlp',
      name: 'TLP:GREEN',
      definition: { tlp: 'green' },
    },
  ];
  const reply = await importAs('bank', bundle(...objects));
  assert.equal(reply.status, 201, reply.text);
  assert.equal(reply.body.objects, objects.length);
  assert.equal(reply.body.kept, objects.length - 1);
  assert.deepEqual(reply.body.ignoredTypes, { 'marking-definition': 1 });
  assert.deepEqual(reply.body.alerts, []);
  for (const o of objects.slice(0, -1)) {
    const back = await getTaxii('bank', `${ROOT}collections/${session.cast.national}/objects/${o.id}/`);
    assert.deepEqual(back.body.objects, [o], o.type);
  }
  const again = await importAs('bank', bundle(...objects));
  assert.equal(again.body.kept, 0);
  assert.equal(again.body.unchanged, objects.length - 1);
});

test('finding 6: the OASIS threat reports, a MISP and an OpenCTI export keep every object', async () => {
  const example = (name: string) =>
    JSON.parse(readFileSync(join(CONFORMANCE_DIR, 'stix-2.1-examples', name), 'utf8'));
  for (const [name, doc] of [
    ['apt1', example('threat-reports/apt1.json')],
    ['poisonivy', example('threat-reports/poisonivy.json')],
    ['C2 with COA', example('indicators-for-C2-with-COA.json')],
    ['infrastructure', example('infrastructure.json')],
    ['email', example('malicious-email-indicator-with-attachment.json')],
    ['campaign', example('indicator-to-campaign-relationship.json')],
    ['misp', fixture('misp-event.json')],
    ['opencti', fixture('opencti-report.json')],
  ] as const) {
    const reply = await importAs('cert', doc, 'kind=ransomware&skipUnsupported=true');
    assert.equal(reply.status, 201, `${name}: ${reply.text.slice(0, 500)}`);
    const markings = reply.body.ignoredTypes['marking-definition'] ?? 0;
    assert.equal(reply.body.kept + reply.body.unchanged + markings, doc.objects.length, name);
    for (const o of doc.objects as { id: string; type: string }[]) {
      if (o.type === 'marking-definition') continue;
      const back = await getTaxii('cert', `${ROOT}collections/${session.cast.national}/objects/${o.id}/`);
      assert.equal(back.status, 200, `${name}: ${o.id}`);
    }
  }
});

test('a newer version of an indicator replaces the older one in checks; a revoked version stops it', async () => {
  const first = indicator(50, { pattern: "[domain-name:value = 'version-one.example']" });
  assert.equal((await taxiiAdd('bank', { objects: [first] })).status, 202);
  const check = async (value: string) =>
    (await as('bank').get(`/api/v1/hub/check?type=domain&value=${value}`)).body.matches.length;
  assert.equal(await check('version-one.example'), 1);
  const second = {
    ...first,
    modified: '2026-03-05T08:00:00.000Z',
    pattern: "[domain-name:value = 'version-two.example']",
  };
  assert.equal((await taxiiAdd('bank', { objects: [second] })).status, 202);
  assert.equal(await check('version-one.example'), 0);
  assert.equal(await check('version-two.example'), 1);
  const revoked = { ...second, modified: '2026-03-06T08:00:00.000Z', revoked: true };
  assert.equal((await taxiiAdd('bank', { objects: [revoked] })).status, 202);
  assert.equal(await check('version-two.example'), 0);
});
