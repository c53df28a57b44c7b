// Issue 20, finding 8: TAXII pages by keyset over both sources of a collection (objects kept as sent,
// objects made from alerts). A client that pages by `next` or by `added_after` while others add
// objects, through TAXII and through the alert API at the same time, reads every object exactly once.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { hubSession } from '../hub/hub-session.ts';

const TAXII = 'application/taxii+json;version=2.1';
const ROOT = '/taxii2/hub/';
const { session, as } = hubSession(['bank', 'cert']);
const collection = () => `${ROOT}collections/${session.cast.national}/`;

const identity = () => ({
  type: 'identity',
  spec_version: '2.1',
  id: `identity--${randomUUID()}`,
  created: '2026-03-01T08:00:00.000Z',
  modified: '2026-03-01T08:00:00.000Z',
  name: 'a source',
  identity_class: 'organization',
});

async function add(count: number) {
  const objects = Array.from({ length: count }, identity);
  const reply = await as('bank').call('POST', `${collection()}objects/`, JSON.stringify({ objects }), {
    accept: TAXII,
    'content-type': TAXII,
  });
  assert.equal(reply.status, 202, reply.text);
  assert.equal(reply.body.success_count, count);
}

let published = 0;
async function publish(indicators: number) {
  const n = published++;
  const reply = await as('cert').post('/api/v1/hub/alerts', {
    kind: 'scam_campaign',
    title: `keyset ${n}`,
    confidence: 50,
    tlp: 'GREEN',
    groupId: session.cast.national,
    indicators: Array.from({ length: indicators }, (_, i) => ({
      type: 'domain',
      value: `k${n}-${i}.example`,
    })),
  });
  assert.equal(reply.status, 201, reply.text);
}

type Endpoint = 'objects' | 'manifest';
async function page(endpoint: Endpoint, query: string) {
  const reply = await as('bank').call('GET', `${collection()}${endpoint}/?${query}`, undefined, {
    accept: TAXII,
  });
  assert.equal(reply.status, 200, reply.text);
  assert.equal(reply.headers.get('content-type'), TAXII);
  const objects = (reply.body.objects ?? []) as { id: string }[];
  return {
    ids: objects.map((o) => o.id),
    more: reply.body.more === true,
    next: reply.body.next as string | undefined,
    last: reply.headers.get('x-taxii-date-added-last'),
  };
}

/** Every object id of the collection, by next at the largest page. */
async function everything(): Promise<string[]> {
  const ids: string[] = [];
  let query = 'limit=1000';
  for (;;) {
    const p = await page('manifest', query);
    ids.push(...p.ids);
    if (!p.more) return ids;
    if (p.next) query = `limit=1000&next=${encodeURIComponent(p.next)}`;
  }
}

/**
 * Crawls until the writers are done and a page says no more. A `next` crawl that reaches the end
 * while writers still run goes on by added_after from the last date it saw, as a polling client does.
 */
async function crawl(endpoint: Endpoint, style: 'next' | 'added_after', writing: () => boolean) {
  const ids: string[] = [];
  let last: string | null = null;
  let query = 'limit=5';
  for (let pages = 0; pages < 5000; pages++) {
    const done = !writing();
    const p = await page(endpoint, query);
    ids.push(...p.ids);
    last = p.last ?? last;
    if (!p.more && done) return ids;
    if (style === 'next' && p.more && p.next) query = `limit=5&next=${encodeURIComponent(p.next)}`;
    else if (p.ids.length > 0 || !p.more)
      query = last ? `limit=5&added_after=${encodeURIComponent(last)}` : 'limit=5';
  }
  assert.fail('the crawl did not end');
}

test('paging by next and by added_after reads every object exactly once while others add', async () => {
  await add(40);
  await publish(3);
  for (const endpoint of ['manifest', 'objects'] as const) {
    for (const style of ['next', 'added_after'] as const) {
      let running = true;
      // TAXII adds and alert publishes at the same time as each other and as the crawl.
      const writers = (async () => {
        for (let round = 0; round < 6; round++) await Promise.all([add(7), publish(2), add(3)]);
      })().finally(() => {
        running = false;
      });
      const [ids] = await Promise.all([crawl(endpoint, style, () => running), writers]);
      const all = await everything();
      const twice = ids.filter((id, i) => ids.indexOf(id) !== i);
      assert.deepEqual(twice, [], `${endpoint} by ${style}: no object twice`);
      const missed = all.filter((id) => !ids.includes(id));
      assert.deepEqual(missed, [], `${endpoint} by ${style}: no object missed`);
      assert.equal(ids.length, all.length);
    }
  }
});

test('pages of a collection with both sources follow one order, by next and by added_after', async () => {
  const all = await everything();
  assert.equal(new Set(all).size, all.length);
  for (const style of ['next', 'added_after'] as const) {
    const ids: string[] = [];
    let query = 'limit=7';
    for (;;) {
      const p = await page('objects', query);
      ids.push(...p.ids);
      if (!p.more) break;
      query =
        style === 'next'
          ? `limit=7&next=${encodeURIComponent(p.next!)}`
          : `limit=7&added_after=${encodeURIComponent(p.last!)}`;
    }
    assert.deepEqual(ids, all, style);
  }
  // match[type] pages (hub_stix_objects_type_idx) hold the same objects of that type, in the same order.
  const reports = await page('objects', 'limit=1000&match[type]=report,identity');
  const expected = (await page('objects', 'limit=1000')).ids.filter(
    (id) => id.startsWith('report--') || id.startsWith('identity--'),
  );
  assert.deepEqual(reports.ids, expected);
});

test('a sighting comes after the last date a client saw; the alert it is about is not read again', async () => {
  await publish(2);
  const alerts = await as('cert').get('/api/v1/hub/alerts?limit=500');
  const alert = alerts.body.items.find((a: { title: string }) => a.title === `keyset ${published - 1}`);
  const seen = await everything();
  const last = (await page('manifest', 'limit=1000&added_after=2000-01-01T00:00:00.000000Z')).last;
  let query = `limit=1000&added_after=${encodeURIComponent(last!)}`;
  assert.deepEqual((await page('manifest', query)).ids, [], 'nothing new yet');
  const s = await as('bank').post(`/api/v1/hub/alerts/${alert.id}/sightings`, { kind: 'sighting', count: 3 });
  assert.equal(s.status, 201, s.text);
  const fresh = await page('objects', query);
  assert.equal(fresh.ids.length, 1, `only the sighting: ${fresh.ids.join(', ')}`);
  assert.match(fresh.ids[0]!, /^sighting--/);
  assert.ok(!seen.includes(fresh.ids[0]!));
  query = `limit=1000&added_after=${encodeURIComponent(fresh.last!)}`;
  assert.deepEqual((await page('objects', query)).ids, []);
});
