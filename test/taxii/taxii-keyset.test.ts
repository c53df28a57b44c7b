// Issue 20, finding 8: TAXII pages by keyset over both sources of a collection (objects kept as sent,
// objects made from alerts). A client that pages by `next` or by `added_after` while others add
// objects, through TAXII and through the alert API at the same time, reads every object exactly once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hubSession } from '../hub/hub-session.ts';
import {
  addIdentities,
  assertEachOnce,
  crawl as crawlWith,
  type Endpoint,
  everything as everythingWith,
  publishAlert,
  taxiiPage,
} from './taxii-crawl.ts';

const ROOT = '/taxii2/hub/';
const { session, as } = hubSession(['bank', 'cert']);
const collection = () => `${ROOT}collections/${session.cast.national}/`;

const add = (count: number) => addIdentities(as('bank'), collection(), count);

const publish = (indicators: number) => publishAlert(as('cert'), session.cast.national, indicators);

const page = (endpoint: Endpoint, query: string) => taxiiPage(as('bank'), collection(), endpoint, query);
const everything = () => everythingWith(page);
const crawl = (endpoint: Endpoint, style: 'next' | 'added_after', writing: () => boolean) =>
  crawlWith((_n, e, q) => page(e, q), endpoint, style, writing);

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
      assertEachOnce(ids, await everything(), `${endpoint} by ${style}`);
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
  const alertId = await publish(2);
  const seen = await everything();
  const last = (await page('manifest', 'limit=1000&added_after=2000-01-01T00:00:00.000000Z')).last;
  let query = `limit=1000&added_after=${encodeURIComponent(last!)}`;
  assert.deepEqual((await page('manifest', query)).ids, [], 'nothing new yet');
  const s = await as('bank').post(`/api/v1/hub/alerts/${alertId}/sightings`, { kind: 'sighting', count: 3 });
  assert.equal(s.status, 201, s.text);
  const fresh = await page('objects', query);
  assert.equal(fresh.ids.length, 1, `only the sighting: ${fresh.ids.join(', ')}`);
  assert.match(fresh.ids[0]!, /^sighting--/);
  assert.ok(!seen.includes(fresh.ids[0]!));
  query = `limit=1000&added_after=${encodeURIComponent(fresh.last!)}`;
  assert.deepEqual((await page('objects', query)).ids, []);
});
