// Issue 20: TAXII 2.1 as standard clients use it: both paging styles end and lose nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { client } from '../helpers/http-client.ts';
import { hubSession } from '../hub/hub-session.ts';
import { stixFailures } from '../stix/conformance.ts';
import { publishAlert } from './taxii-crawl.ts';

const TAXII = 'application/taxii+json;version=2.1';
const ROOT = '/taxii2/hub/';
const { session, tokens, as } = hubSession(['bank', 'cert']);

const get = (who: string, path: string) => as(who).call('GET', path, undefined, { accept: TAXII });
const publish = (indicators: number) => publishAlert(as('cert'), session.cast.national, indicators);

type Page = { ids: string[]; dates: string[]; more: boolean; next?: string; last: string | null };
async function manifestPage(query: string): Promise<Page> {
  const reply = await get('bank', `${ROOT}collections/${session.cast.national}/manifest/?${query}`);
  assert.equal(reply.status, 200, reply.text);
  assert.equal(reply.headers.get('content-type'), TAXII);
  const objects = (reply.body.objects ?? []) as { id: string; date_added: string }[];
  return {
    ids: objects.map((o) => o.id),
    dates: objects.map((o) => o.date_added),
    more: reply.body.more === true,
    next: reply.body.next,
    last: reply.headers.get('x-taxii-date-added-last'),
  };
}

async function crawl(style: 'next' | 'added_after', between?: () => Promise<void>) {
  const ids: string[] = [];
  const dates: string[] = [];
  let query = 'limit=4';
  for (let pages = 0; pages < 500; pages++) {
    const p = await manifestPage(query);
    ids.push(...p.ids);
    dates.push(...p.dates);
    if (!p.more) return { ids, dates };
    if (style === 'next') {
      assert.ok(p.next, 'a manifest page with more: true gives next');
      query = `limit=4&next=${encodeURIComponent(p.next!)}`;
    } else {
      query = `limit=4&added_after=${encodeURIComponent(p.last!)}`;
    }
    await between?.();
  }
  assert.fail('the crawl did not end');
}

test('finding 2: manifest paging by next ends; by added_after loses nothing; dates are distinct and rising', async () => {
  for (const n of [7, 1, 9]) await publish(n);
  const whole = await manifestPage('limit=1000');
  assert.equal(whole.more, false);
  for (const style of ['next', 'added_after'] as const) {
    const { ids, dates } = await crawl(style);
    assert.deepEqual(ids, whole.ids, style);
    assert.equal(new Set(ids).size, ids.length, `${style}: no object twice`);
    for (let i = 1; i < dates.length; i++)
      assert.ok(dates[i]! > dates[i - 1]!, `${style}: ${dates[i]} after ${dates[i - 1]}`);
    for (const d of dates) assert.match(d, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  }
  // Objects follow the same order, and their pages end too.
  const objects = await get('bank', `${ROOT}collections/${session.cast.national}/objects/?limit=1000`);
  assert.deepEqual(
    objects.body.objects.map((o: { id: string }) => o.id),
    whole.ids,
  );
});

test('finding 2: a crawl while others add loses nothing and sees the new objects once', async () => {
  const before = await manifestPage('limit=1000');
  for (const style of ['next', 'added_after'] as const) {
    let adds = 0;
    // Five adds during the first pages: each adds more objects than a page reads.
    const { ids } = await crawl(style, async () => {
      if (adds++ < 5) await publish(3);
    });
    assert.equal(new Set(ids).size, ids.length, `${style}: no object twice`);
    for (const id of before.ids) assert.ok(ids.includes(id), `${style}: ${id} kept`);
    const now = await manifestPage('limit=1000');
    const missed = now.ids.filter((id) => !ids.includes(id));
    assert.deepEqual(missed, [], `${style}: every object added during the crawl was read`);
    assert.ok(ids.length >= before.ids.length + 5 * 4, `${style}: ${ids.length} objects read`);
  }
});

const basic = (username: string, secret: string) =>
  `Basic ${Buffer.from(`${username}:${secret}`).toString('base64')}`;

test('finding 7: HTTP Basic with an API token; TAXII type on unrouted paths', async () => {
  const auth = basic(session.cast.users.bank.username, tokens.bank!);
  const ok = await client(session.node.url).call('GET', `${ROOT}collections/`, undefined, {
    accept: TAXII,
    authorization: auth,
  });
  assert.equal(ok.status, 200, ok.text);
  assert.deepEqual(
    ok.body.collections.map((c: { id: string }) => c.id),
    [session.cast.national],
  );
  for (const wrong of [
    basic(session.cast.users.cert.username, tokens.bank!),
    basic(session.cast.users.bank.username, 'nope'),
  ]) {
    const refused = await client(session.node.url).call('GET', `${ROOT}collections/`, undefined, {
      accept: TAXII,
      authorization: wrong,
    });
    assert.equal(refused.status, 401);
    assert.equal(refused.headers.get('content-type'), TAXII);
    assert.match(refused.headers.get('www-authenticate') ?? '', /Basic/);
  }
  for (const path of ['/taxii2/nothing/here/', `${ROOT}collections/${session.cast.national}/nope/`]) {
    const missing = await get('bank', path);
    assert.equal(missing.status, 404, path);
    assert.equal(missing.headers.get('content-type'), TAXII, path);
    assert.equal(missing.body.http_status, '404');
  }
});

test('finding 7: DELETE an object you added; the indicator it made stops matching', async () => {
  const id = 'indicator--5a5a5a5a-1111-4111-8111-111111111111';
  const ind = {
    type: 'indicator',
    spec_version: '2.1',
    id,
    created: '2026-03-01T08:00:00.000Z',
    modified: '2026-03-01T08:00:00.000Z',
    pattern: "[domain-name:value = 'delete-me.example']",
    pattern_type: 'stix',
    valid_from: '2026-03-01T08:00:00.000Z',
  };
  const path = `${ROOT}collections/${session.cast.national}/objects/`;
  const added = await as('bank').call(
    'POST',
    path,
    { objects: [ind] },
    { accept: TAXII, 'content-type': TAXII },
  );
  assert.equal(added.status, 202, added.text);
  const check = () => as('bank').get('/api/v1/hub/check?type=domain&value=delete-me.example');
  assert.equal((await check()).body.matches.length, 1);
  // Another member may not delete it; the owner may.
  const other = await as('cert').call('DELETE', `${path}${id}/`, undefined, { accept: TAXII });
  assert.equal(other.status, 404);
  const deleted = await as('bank').call('DELETE', `${path}${id}/`, undefined, { accept: TAXII });
  assert.equal(deleted.status, 200, deleted.text);
  assert.equal(deleted.headers.get('content-type'), TAXII);
  assert.equal((await get('bank', `${path}${id}/`)).status, 404);
  assert.equal((await check()).body.matches.length, 0);
  assert.equal((await as('bank').call('DELETE', `${path}${id}/`, undefined, { accept: TAXII })).status, 404);
});

test('finding 7: objects the hub makes have v4 ids, indicators descriptions, custom observables an extension definition', async () => {
  const reply = await as('cert').post('/api/v1/hub/alerts', {
    kind: 'crypto_fraud',
    title: 'custom observables',
    confidence: 60,
    tlp: 'GREEN',
    groupId: session.cast.national,
    indicators: [
      { type: 'phone', value: '+84912340001' },
      { type: 'iban', value: 'GB82WEST12345698765432' },
      { type: 'eth_wallet', value: '0x52908400098527886e0f7030069857d2e4169ee7' },
    ],
  });
  assert.equal(reply.status, 201, reply.text);
  const bundle = (await as('cert').get(`/api/v1/hub/alerts/${reply.body.alert.id}/stix`)).body;
  assert.deepEqual(await stixFailures(bundle, { rejectCustom: true }), []);
  const v4 = /--[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
  for (const o of bundle.objects as { id: string; type: string; description?: string }[]) {
    assert.match(o.id, v4, o.id);
    if (o.type === 'indicator') assert.ok(o.description, `${o.id} has a description`);
  }
  const declared = bundle.objects
    .filter((o: { type: string }) => o.type === 'extension-definition')
    .map((o: { name: string; extension_types: string[] }) => `${o.name} ${o.extension_types}`)
    .sort();
  assert.deepEqual(declared, [
    'bank-account new-sco',
    'cryptocurrency-wallet new-sco',
    'phone-number new-sco',
  ]);
  const author = bundle.objects.find(
    (o: { type: string }) => o.type === 'extension-definition',
  ).created_by_ref;
  assert.ok(
    bundle.objects.some((o: { id: string }) => o.id === author),
    'the author identity is in the bundle',
  );
});
