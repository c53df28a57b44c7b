import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { client } from '../helpers/http-client.ts';
import { startTestNode, type TestNode } from '../helpers/test-node.ts';
import { type Cast, castHub } from '../hub/hub-fixture.ts';
import { stixFailures } from '../stix/conformance.ts';

const TAXII = 'application/taxii+json;version=2.1';
const ROOT = '/taxii2/hub/';
let node: TestNode;
let cast: Cast;
const tokens: Record<string, string> = {};
const ids: Record<string, string> = {};

before(async () => {
  node = await startTestNode();
  cast = await castHub(node);
  for (const who of ['bank', 'telecom', 'cert', 'outsider', 'lonely'] as const)
    tokens[who] = await cast.token(who);
  // Enough alerts for several pages, at every TLP level, in the national group.
  for (const [i, tlp] of ['GREEN', 'AMBER', 'AMBER', 'AMBER+STRICT', 'RED', 'CLEAR'].entries()) {
    const reply = await as('cert').call('POST', '/api/v1/hub/alerts', {
      kind: 'scam_campaign',
      title: `taxii ${tlp} ${i}`,
      confidence: 50,
      tlp,
      groupId: cast.national,
      recipientOrgIds: tlp === 'RED' || tlp === 'AMBER+STRICT' ? [cast.orgs.telecom] : undefined,
      indicators: [
        { type: 'domain', value: `taxii-${i}.com` },
        { type: 'ipv4', value: `192.0.2.${100 + i}` },
      ],
    });
    assert.equal(reply.status, 201);
    ids[`${tlp}${i}`] = reply.body.alert.id;
  }
});
after(() => node.close());

function as(who: string) {
  const api = client(node.url);
  api.setToken(tokens[who]!);
  return api;
}

const get = (who: string, path: string, accept = TAXII) => as(who).call('GET', path, undefined, { accept });

test('discovery and API root: authentication, media types, Accept', async () => {
  const anonymous = await client(node.url).call('GET', '/taxii2/', undefined, { accept: TAXII });
  assert.equal(anonymous.status, 401);
  assert.equal(anonymous.headers.get('content-type'), TAXII);
  assert.match(anonymous.headers.get('www-authenticate') ?? '', /Bearer/);
  assert.equal(anonymous.body.http_status, '401');

  const discovery = await get('bank', '/taxii2/');
  assert.equal(discovery.status, 200);
  assert.equal(discovery.headers.get('content-type'), TAXII);
  assert.equal(discovery.body.default, ROOT);
  assert.deepEqual(discovery.body.api_roots, [ROOT]);
  const root = await get('bank', ROOT);
  assert.deepEqual(root.body.versions, [TAXII]);
  assert.ok(root.body.max_content_length > 0);
  const wrong = await get('bank', ROOT, 'application/json');
  assert.equal(wrong.status, 406);
  assert.equal(wrong.headers.get('content-type'), TAXII);
  assert.equal((await get('bank', ROOT, 'application/taxii+json;version=2.0')).status, 406);
  assert.equal((await get('bank', ROOT, 'application/taxii+json')).status, 200);
});

test('a collection per sharing group the caller belongs to, and no other', async () => {
  const bank = (await get('bank', `${ROOT}collections/`)).body.collections.map((c: { id: string }) => c.id);
  assert.deepEqual(bank, [cast.national]);
  const cert = (await get('cert', `${ROOT}collections/`)).body.collections.map((c: { id: string }) => c.id);
  assert.deepEqual(cert.sort(), [cast.national, cast.asean].sort());
  assert.deepEqual((await get('outsider', `${ROOT}collections/`)).body, {});
  assert.deepEqual((await get('lonely', `${ROOT}collections/`)).body, {});
  const one = await get('bank', `${ROOT}collections/${cast.national}/`);
  assert.equal(one.body.can_read, true);
  assert.equal(one.body.can_write, true);
  assert.deepEqual(one.body.media_types, ['application/stix+json;version=2.1']);
  assert.equal((await get('bank', `${ROOT}collections/${cast.asean}/`)).status, 404);
  assert.equal((await get('outsider', `${ROOT}collections/${cast.national}/objects/`)).status, 404);
});

async function allPages(who: string, limit: number) {
  const seen: string[] = [];
  let next: string | undefined;
  let pages = 0;
  for (;;) {
    const q = `?limit=${limit}${next ? `&next=${encodeURIComponent(next)}` : ''}`;
    const reply = await get(who, `${ROOT}collections/${cast.national}/objects/${q}`);
    assert.equal(reply.status, 200);
    assert.equal(reply.headers.get('content-type'), TAXII);
    pages++;
    if (reply.body.objects) {
      assert.ok(reply.body.objects.length <= limit);
      assert.match(reply.headers.get('x-taxii-date-added-first') ?? '', /\.\d{6}Z$/);
      assert.match(reply.headers.get('x-taxii-date-added-last') ?? '', /\.\d{6}Z$/);
      assert.deepEqual(await stixFailures(reply.body, { rejectCustom: true }), []);
      seen.push(...reply.body.objects.map((o: { id: string }) => o.id));
    }
    if (!reply.body.more) break;
    assert.ok(reply.body.next, 'more comes with next');
    next = reply.body.next;
  }
  return { seen, pages };
}

test('objects page with limit and next: every object once, valid STIX, TLP applied', async () => {
  const whole = await get('bank', `${ROOT}collections/${cast.national}/objects/?limit=1000`);
  const everything = whole.body.objects.map((o: { id: string }) => o.id);
  const { seen, pages } = await allPages('bank', 3);
  assert.ok(pages > 3);
  assert.deepEqual(seen, everything);
  assert.equal(new Set(seen).size, seen.length);
  const names = whole.body.objects.map((o: { name?: string }) => o.name ?? '');
  assert.ok(names.includes('taxii AMBER 1'));
  assert.ok(!names.includes('taxii AMBER+STRICT 3'), 'AMBER+STRICT not for the bank');
  assert.ok(!names.includes('taxii RED 4'), 'RED not for the bank');
  const telecom = await get('telecom', `${ROOT}collections/${cast.national}/objects/?limit=1000`);
  const telecomNames = telecom.body.objects.map((o: { name?: string }) => o.name ?? '');
  assert.ok(telecomNames.includes('taxii RED 4'), 'RED for the named recipient');
  assert.ok(!whole.text.includes('192.0.2.104'));

  const types = await get(
    'bank',
    `${ROOT}collections/${cast.national}/objects/?match[type]=report&limit=1000`,
  );
  assert.ok(types.body.objects.every((o: { type: string }) => o.type === 'report'));
  assert.equal((await get('bank', `${ROOT}collections/${cast.national}/objects/?limit=0`)).status, 400);
  const badNext = await get('bank', `${ROOT}collections/${cast.national}/objects/?next=nonsense`);
  assert.equal(badNext.status, 400);
  assert.equal(badNext.headers.get('content-type'), TAXII);
  assert.equal(
    (await get('bank', `${ROOT}collections/${cast.national}/objects/?added_after=yesterday`)).status,
    400,
  );
});

test('added_after returns only what was added later; manifest, object by id and versions', async () => {
  const first = await get('bank', `${ROOT}collections/${cast.national}/objects/?limit=1000`);
  const last = first.headers.get('x-taxii-date-added-last')!;
  const none = await get('bank', `${ROOT}collections/${cast.national}/objects/?added_after=${last}`);
  assert.deepEqual(none.body, {});
  const later = await as('bank').post('/api/v1/hub/alerts', {
    kind: 'crypto_fraud',
    title: 'added later',
    confidence: 50,
    tlp: 'GREEN',
    groupId: cast.national,
    indicators: [{ type: 'domain', value: 'added-later.com' }],
  });
  assert.equal(later.status, 201);
  const fresh = await get('bank', `${ROOT}collections/${cast.national}/objects/?added_after=${last}`);
  const names = fresh.body.objects
    .filter((o: { type: string }) => o.type === 'report')
    .map((o: { name: string }) => o.name);
  assert.deepEqual(names, ['added later']);

  const manifest = await get('bank', `${ROOT}collections/${cast.national}/manifest/?limit=5`);
  assert.equal(manifest.status, 200);
  assert.equal(manifest.body.objects.length, 5);
  assert.equal(manifest.body.more, true);
  for (const m of manifest.body.objects) {
    assert.match(m.date_added, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
    assert.equal(m.media_type, 'application/stix+json;version=2.1');
    assert.ok(m.version);
  }
  const report = first.body.objects.find((o: { type: string }) => o.type === 'report');
  const byId = await get('bank', `${ROOT}collections/${cast.national}/objects/${report.id}/`);
  assert.equal(byId.status, 200);
  assert.deepEqual(
    byId.body.objects.map((o: { id: string }) => o.id),
    [report.id],
  );
  assert.deepEqual(await stixFailures(byId.body, { rejectCustom: true }), []);
  const versions = await get('bank', `${ROOT}collections/${cast.national}/objects/${report.id}/versions/`);
  assert.deepEqual(versions.body, { more: false, versions: [report.modified] });
  assert.ok(versions.headers.get('x-taxii-date-added-first'));
  const hidden = `report--${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}`;
  assert.equal((await get('bank', `${ROOT}collections/${cast.national}/objects/${hidden}/`)).status, 404);
});

test('adding objects: an unusable object fails alone, a re-send adds nothing, the status is for its owner only', async () => {
  const misp = JSON.parse(
    readFileSync(join(import.meta.dirname, '../stix/fixtures/misp-event.json'), 'utf8'),
  );
  const envelope = { objects: misp.objects };
  const path = `${ROOT}collections/${cast.national}/objects/`;
  const wrongType = await as('bank').call('POST', path, envelope, {
    accept: TAXII,
    'content-type': 'application/json',
  });
  assert.equal(wrongType.status, 415);
  const added = await as('bank').call('POST', path, envelope, { accept: TAXII, 'content-type': TAXII });
  assert.equal(added.status, 202, added.text);
  assert.equal(added.headers.get('content-type'), TAXII);
  assert.equal(added.body.status, 'complete');
  assert.equal(added.body.total_count, misp.objects.length);
  assert.equal(added.body.success_count, misp.objects.length);
  const status = await get('bank', `${ROOT}status/${added.body.id}/`);
  assert.deepEqual(status.body, added.body);
  assert.equal((await get('telecom', `${ROOT}status/${added.body.id}/`)).status, 404);
  assert.equal(
    (await as('telecom').get('/api/v1/hub/check?type=ipv4&value=203.0.113.45')).body.matches.length,
    1,
  );

  const broken = {
    objects: [...misp.objects, { type: 'nonsense', id: 'nonsense--0e5f6a7b-8c9d-4e0f-9a1b-2c3d4e5f6a7b' }],
  };
  // One unusable object fails alone (finding 7 of issue 20); the rest were sent before: nothing new.
  const partial = await as('bank').call('POST', path, broken, { accept: TAXII, 'content-type': TAXII });
  assert.equal(partial.status, 202, partial.text);
  assert.equal(partial.headers.get('content-type'), TAXII);
  assert.equal(partial.body.failure_count, 1);
  assert.equal(partial.body.failures[0].id, 'nonsense--0e5f6a7b-8c9d-4e0f-9a1b-2c3d4e5f6a7b');
  assert.match(partial.body.failures[0].message, /unknown STIX type/);
  assert.equal(partial.body.success_count, misp.objects.length);
  assert.equal(
    (await as('telecom').get('/api/v1/hub/check?type=ipv4&value=203.0.113.45')).body.matches.length,
    1,
  );
  const refused = await as('bank').call(
    'POST',
    path,
    { objects: [] },
    { accept: TAXII, 'content-type': TAXII },
  );
  assert.equal(refused.status, 400);
  assert.equal(refused.headers.get('content-type'), TAXII);
  const outsider = await as('outsider').call('POST', path, envelope, {
    accept: TAXII,
    'content-type': TAXII,
  });
  assert.equal(outsider.status, 404);
});
