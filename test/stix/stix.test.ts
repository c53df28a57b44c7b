import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { INDICATOR_TYPES, type IndicatorType } from '../../src/domain/indicators/index.ts';
import { TLP2_MARKING_IDS } from '../../src/stix/stix-ids.ts';
import { patternFor, valuesFromPattern } from '../../src/stix/stix-patterns.ts';
import { client } from '../helpers/http-client.ts';
import { startTestNode, type TestNode } from '../helpers/test-node.ts';
import { type Cast, castHub } from '../hub/hub-fixture.ts';
import { CONFORMANCE_DIR, stixFailures } from './conformance.ts';

let node: TestNode;
let cast: Cast;
const tokens: Record<string, string> = {};
const fixture = (name: string) =>
  JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8'));
const example = (name: string) =>
  JSON.parse(readFileSync(join(CONFORMANCE_DIR, 'stix-2.1-examples', name), 'utf8'));

before(async () => {
  node = await startTestNode();
  cast = await castHub(node);
  for (const who of ['bank', 'telecom', 'cert', 'outsider', 'lonely'] as const)
    tokens[who] = await cast.token(who);
});
after(() => node.close());

function as(who: string) {
  const api = client(node.url);
  api.setToken(tokens[who]!);
  return api;
}

const SAMPLES: Record<IndicatorType, string> = {
  phone: '+84912345678',
  iban: 'GB82WEST12345698765432',
  bank_account: 'VN:0123456789',
  url: "https://example.com/a?q='x'",
  domain: 'example.com',
  email: 'someone@example.com',
  ipv4: '192.0.2.1',
  ipv6: '2001:db8::1',
  cidr: '192.0.2.0/24',
  btc_wallet: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
  eth_wallet: '0x52908400098527886e0f7030069857d2e4169ee7',
  trx_wallet: 'TJCnKsPa7y5okkXvQAidZBzqx3QyQ6sxMW',
  md5: 'd41d8cd98f00b204e9800998ecf8427e',
  sha1: 'da39a3ee5e6b4b0d3255bfef95601890afd80709',
  sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
};

test('every indicator type has a STIX pattern that reads back to the same value', () => {
  for (const type of INDICATOR_TYPES) {
    const pattern = patternFor(type, SAMPLES[type]);
    assert.deepEqual(valuesFromPattern(pattern), [{ type, value: SAMPLES[type] }], pattern);
  }
  assert.deepEqual(valuesFromPattern("[file:name = 'x.exe']"), []);
  assert.deepEqual(valuesFromPattern("[domain-name:value MATCHES '^evil']"), []);
});

test('the export validates against the official STIX 2.1 schemas, every object of every kind', async () => {
  const pub = await as('cert').post('/api/v1/hub/alerts', {
    kind: 'csam_infrastructure',
    title: 'hashes only',
    description: 'known abuse material, by hash',
    confidence: 95,
    tlp: 'AMBER+STRICT',
    groupId: cast.national,
    recipientOrgIds: [cast.orgs.bank],
    validUntil: '2099-01-01T00:00:00.000Z',
    indicators: (Object.entries(SAMPLES) as [string, string][]).map(([type, value]) => ({ type, value })),
  });
  assert.equal(pub.status, 201, JSON.stringify(pub.body));
  const id = pub.body.alert.id;
  const sightingOf = pub.body.alert.indicators[0].id;
  await as('bank').post(`/api/v1/hub/alerts/${id}/sightings`, {
    indicatorId: sightingOf,
    count: 3,
    note: 'seen',
  });
  await as('bank').post(`/api/v1/hub/alerts/${id}/sightings`, {
    kind: 'false_positive',
    note: 'our own test',
  });
  const revoked = await as('cert').post('/api/v1/hub/alerts', {
    kind: 'ransomware',
    title: 'to revoke',
    confidence: 10,
    tlp: 'CLEAR',
    groupId: cast.national,
    indicators: [{ type: 'ipv4', value: '192.0.2.99' }],
  });
  await as('cert').post(`/api/v1/hub/alerts/${revoked.body.alert.id}/revoke`, {});

  const exported = await as('cert').get('/api/v1/hub/export');
  assert.equal(exported.status, 200);
  assert.match(exported.headers.get('content-type') ?? '', /^application\/stix\+json;\s*version=2\.1/);
  const bundle = exported.body;
  assert.equal(bundle.type, 'bundle');
  assert.deepEqual(await stixFailures(bundle, { rejectCustom: true }), []);
  const types = new Set(bundle.objects.map((o: { type: string }) => o.type));
  for (const t of ['marking-definition', 'identity', 'report', 'indicator', 'sighting', 'opinion'])
    assert.ok(types.has(t), `a ${t} is exported`);
  const markings = bundle.objects.filter((o: { type: string }) => o.type === 'marking-definition');
  for (const m of markings) assert.ok(Object.values(TLP2_MARKING_IDS).includes(m.id), `${m.id} is official`);
  const report = bundle.objects.find((o: { name?: string }) => o.name === 'hashes only');
  assert.deepEqual(report.object_marking_refs, [TLP2_MARKING_IDS['AMBER+STRICT']]);
  assert.equal(report.object_refs.length, INDICATOR_TYPES.length);
  const revokedReport = bundle.objects.find((o: { name?: string }) => o.name === 'to revoke');
  assert.equal(revokedReport.revoked, true);

  const one = await as('bank').get(`/api/v1/hub/alerts/${id}/stix`);
  assert.equal(one.status, 200);
  assert.deepEqual(await stixFailures(one.body, { rejectCustom: true }), []);
  // The bank reported the sighting, so it sees its own feedback; the telecom may not read the alert at all.
  assert.equal((await as('telecom').get(`/api/v1/hub/alerts/${id}/stix`)).status, 404);
});

test('every TLP level, and alerts pending, expired, updated and revoked, export as valid STIX', async () => {
  const ids: string[] = [];
  for (const tlp of ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED']) {
    const reply = await as('cert').post('/api/v1/hub/alerts', {
      kind: 'crypto_fraud',
      title: `levels ${tlp}`,
      confidence: 40,
      tlp,
      groupId: cast.national,
      recipientOrgIds: tlp === 'RED' || tlp === 'AMBER+STRICT' ? [cast.orgs.bank] : undefined,
      validFrom: tlp === 'GREEN' ? '2099-01-01T00:00:00.000Z' : undefined,
      indicators: [{ type: 'eth_wallet', value: `0x${String(ids.length + 1).padStart(40, 'a')}` }],
    });
    assert.equal(reply.status, 201, JSON.stringify(reply.body));
    ids.push(reply.body.alert.id);
  }
  const [clear, , amber, strict] = ids;
  assert.equal((await as('cert').post(`/api/v1/hub/alerts/${clear}/expire`, {})).status, 200);
  const patched = await as('cert').call('PATCH', `/api/v1/hub/alerts/${amber}`, {
    title: 'levels AMBER, second version',
    addIndicators: [{ type: 'md5', value: 'D41D8CD98F00B204E9800998ECF8427E' }],
  });
  assert.equal(patched.status, 200, JSON.stringify(patched.body));
  assert.equal((await as('cert').post(`/api/v1/hub/alerts/${strict}/revoke`, {})).status, 200);
  for (const id of ids) {
    const one = await as('cert').get(`/api/v1/hub/alerts/${id}/stix`);
    assert.equal(one.status, 200);
    assert.deepEqual(await stixFailures(one.body, { rejectCustom: true }), [], id);
  }
  const all = await as('cert').get('/api/v1/hub/export');
  assert.deepEqual(await stixFailures(all.body, { rejectCustom: true }), []);
  const markings = all.body.objects
    .filter((o: { type: string }) => o.type === 'marking-definition')
    .map((o: { id: string }) => o.id)
    .sort();
  assert.deepEqual(markings, Object.values(TLP2_MARKING_IDS).sort());
});

test('the export holds only what the caller may read under TLP', async () => {
  const amber = await as('cert').post('/api/v1/hub/alerts', {
    kind: 'ransomware',
    title: 'amber for export',
    confidence: 60,
    tlp: 'AMBER',
    groupId: cast.national,
    indicators: [{ type: 'domain', value: 'amber-export.com' }],
  });
  const outsider = await as('outsider').get('/api/v1/hub/export');
  assert.equal(outsider.status, 200);
  assert.ok(!outsider.text.includes('amber-export.com'));
  assert.ok(!outsider.text.includes(TLP2_MARKING_IDS.AMBER));
  assert.ok(!outsider.text.includes(TLP2_MARKING_IDS.RED));
  const levels = new Set(
    outsider.body.objects
      .filter((o: { type: string }) => o.type === 'report')
      .flatMap((o: { object_marking_refs: string[] }) => o.object_marking_refs),
  );
  for (const l of levels) assert.ok([TLP2_MARKING_IDS.CLEAR, TLP2_MARKING_IDS.GREEN].includes(l as string));
  const bank = await as('bank').get('/api/v1/hub/export');
  assert.ok(bank.text.includes('amber-export.com'));
  assert.equal((await as('outsider').get(`/api/v1/hub/alerts/${amber.body.alert.id}/stix`)).status, 404);
  const lonely = await as('lonely').get('/api/v1/hub/export');
  assert.ok(!lonely.text.includes('Demo Bank'));
  assert.deepEqual(await stixFailures(lonely.body), []);
});

async function importAs(who: string, doc: unknown, query: string, contentType = 'application/json') {
  return as(who).call('POST', `/api/v1/hub/import?groupId=${cast.national}&${query}`, JSON.stringify(doc), {
    'content-type': contentType,
  });
}

test('a MISP-shaped event (grouping, TLP 1.0 marking, custom objects) imports', async () => {
  const reply = await importAs('bank', fixture('misp-event.json'), 'kind=scam_campaign');
  assert.equal(reply.status, 201, JSON.stringify(reply.body));
  assert.equal(reply.body.alerts.length, 1);
  assert.equal(reply.body.alerts[0].indicators, 4);
  const alert = (await as('bank').get(`/api/v1/hub/alerts/${reply.body.alerts[0].id}`)).body;
  assert.equal(alert.tlp, 'AMBER');
  assert.deepEqual(alert.indicators.map((i: { value: string }) => i.value).sort(), [
    '203.0.113.45',
    'alerts@secure-vcb-bank.com',
    'b1946ac92492d2347c6235b4d2611184',
    'https://secure-vcb-bank.com/login',
  ]);
  assert.equal(
    (await as('telecom').get('/api/v1/hub/check?type=ipv4&value=203.0.113.45')).body.matches.length,
    1,
  );
  assert.equal(
    (await as('outsider').get('/api/v1/hub/check?type=ipv4&value=203.0.113.45')).body.matches.length,
    0,
  );
});

test('an OpenCTI-shaped report (custom observables, its AMBER+STRICT marking) imports with that TLP', async () => {
  const reply = await importAs(
    'cert',
    fixture('opencti-report.json'),
    'kind=crypto_fraud',
    'application/stix+json;version=2.1',
  );
  assert.equal(reply.status, 201, JSON.stringify(reply.body));
  const alert = (await as('cert').get(`/api/v1/hub/alerts/${reply.body.alerts[0].id}`)).body;
  assert.equal(alert.tlp, 'AMBER+STRICT');
  assert.equal(alert.confidence, 85);
  assert.equal(alert.validUntil, '2027-02-10T10:00:00.000Z');
  assert.deepEqual(alert.indicators.map((i: { type: string }) => i.type).sort(), [
    'eth_wallet',
    'iban',
    'phone',
  ]);
  // AMBER+STRICT: the bank, a group member but not the publisher, does not see it.
  assert.equal(
    (await as('bank').get('/api/v1/hub/check?type=phone&value=%2B84912349999')).body.matches.length,
    0,
  );
  assert.equal(
    (await as('cert').get('/api/v1/hub/check?type=phone&value=%2B84912349999')).body.matches.length,
    1,
  );
});

test('the OASIS example reports import; unsupported patterns fail the whole import unless skipped', async () => {
  const before = (await as('cert').get('/api/v1/hub/alerts?limit=500')).body.items.length;
  const strict = await importAs('cert', example('threat-reports/apt1.json'), 'kind=ransomware');
  assert.equal(strict.status, 400);
  assert.ok(strict.body.errors.some((e: { message: string }) => /x509-certificate/.test(e.message)));
  assert.equal((await as('cert').get('/api/v1/hub/alerts?limit=500')).body.items.length, before);
  const lenient = await importAs(
    'cert',
    example('threat-reports/apt1.json'),
    'kind=ransomware&skipUnsupported=true',
  );
  assert.equal(lenient.status, 201, JSON.stringify(lenient.body));
  assert.equal(lenient.body.alerts[0].indicators, 10);
  assert.equal(lenient.body.skipped.length, 2);
  const poison = await importAs(
    'cert',
    example('threat-reports/poisonivy.json'),
    'kind=ransomware&skipUnsupported=true',
  );
  assert.equal(poison.status, 201, JSON.stringify(poison.body));
  assert.ok(poison.body.skipped.some((s: { reason: string }) => /autuo\.xicp\.net/.test(s.reason)));
  const loose = await importAs(
    'cert',
    example('indicators-for-C2-with-COA.json'),
    'kind=ransomware&tlp=GREEN',
  );
  assert.equal(loose.status, 201, JSON.stringify(loose.body));
  // Re-exported, the imported alerts are valid STIX too.
  const again = await as('cert').get(`/api/v1/hub/alerts/${poison.body.alerts[0].id}/stix`);
  assert.deepEqual(await stixFailures(again.body, { rejectCustom: true }), []);
});

test('bad STIX gets a clear 400 and nothing is imported', async () => {
  const before = (await as('cert').get('/api/v1/hub/alerts?limit=500')).body.items.length;
  const misp = fixture('misp-event.json');
  const cases: [string, unknown, RegExp][] = [
    ['not a bundle', { hello: 'world' }, /bundle/],
    ['empty bundle', { type: 'bundle', id: misp.id, objects: [] }, /non-empty/],
    [
      'unknown type',
      {
        ...misp,
        objects: [...misp.objects, { type: 'threat', id: 'threat--0e5f6a7b-8c9d-4e0f-9a1b-2c3d4e5f6a7b' }],
      },
      /unknown STIX type "threat"/,
    ],
    [
      'indicator without pattern',
      {
        ...misp,
        objects: misp.objects.map((o: { type: string; pattern?: string }) =>
          o.type === 'indicator' ? { ...o, pattern: undefined } : o,
        ),
      },
      /pattern: is required/,
    ],
    [
      'TLP marking with a home-made id',
      {
        ...misp,
        objects: misp.objects.map((o: { type: string }) =>
          o.type === 'marking-definition'
            ? { ...o, id: 'marking-definition--11111111-2222-4333-8444-555555555555' }
            : o,
        ),
      },
      /not an official TLP marking definition/,
    ],
    [
      'official TLP id that says another level',
      {
        ...misp,
        objects: misp.objects.map((o: { type: string }) =>
          o.type === 'marking-definition' ? { ...o, name: 'TLP:GREEN', definition: { tlp: 'green' } } : o,
        ),
      },
      /is TLP:AMBER but its/,
    ],
    [
      'a TLP level that does not exist',
      {
        ...fixture('opencti-report.json'),
        objects: fixture('opencti-report.json').objects.map((o: { type: string }) =>
          o.type === 'marking-definition'
            ? { ...o, name: 'TLP:PURPLE', definition: { TLP: 'TLP:PURPLE' } }
            : o,
        ),
      },
      /names no TLP level/,
    ],
    [
      'STIX 2.0',
      { ...misp, objects: misp.objects.map((o: object) => ({ ...o, spec_version: '2.0' })) },
      /send STIX 2.1/,
    ],
    [
      'a value that does not normalise',
      {
        ...misp,
        objects: misp.objects.map((o: { type: string; pattern?: string }) =>
          o.pattern?.startsWith('[url') ? { ...o, pattern: "[ipv4-addr:value = '300.1.1.1']" } : o,
        ),
      },
      /300\.1\.1\.1/,
    ],
  ];
  for (const [name, doc, message] of cases) {
    const reply = await importAs('bank', doc, 'kind=scam_campaign');
    assert.equal(reply.status, 400, `${name}: ${reply.status} ${reply.text.slice(0, 300)}`);
    const all = `${reply.body.detail} ${JSON.stringify(reply.body.errors ?? [])}`;
    assert.match(all, message, name);
  }
  const broken = await as('bank').call(
    'POST',
    `/api/v1/hub/import?groupId=${cast.national}&kind=ransomware`,
    '{"type": "bun',
    {
      'content-type': 'application/stix+json;version=2.1',
    },
  );
  assert.equal(broken.status, 400);
  const outsider = await importAs('outsider', misp, 'kind=scam_campaign');
  assert.equal(outsider.status, 403);
  assert.equal((await as('cert').get('/api/v1/hub/alerts?limit=500')).body.items.length, before);
});
