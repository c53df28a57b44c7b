// Issue 20: TAXII 2.1 as standard clients use it: both paging styles end and lose nothing.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { client } from '../helpers/http-client.ts';
import { startTestNode, type TestNode } from '../helpers/test-node.ts';
import { type Cast, castHub } from '../hub/hub-fixture.ts';

const TAXII = 'application/taxii+json;version=2.1';
const ROOT = '/taxii2/hub/';
let node: TestNode;
let cast: Cast;
const tokens: Record<string, string> = {};

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
const get = (who: string, path: string) => as(who).call('GET', path, undefined, { accept: TAXII });
let published = 0;
async function publish(indicators: number) {
  const n = published++;
  const reply = await as('cert').post('/api/v1/hub/alerts', {
    kind: 'scam_campaign',
    title: `paging ${n}`,
    confidence: 50,
    tlp: 'GREEN',
    groupId: cast.national,
    indicators: Array.from({ length: indicators }, (_, i) => ({
      type: 'domain',
      value: `p${n}-${i}.example`,
    })),
  });
  assert.equal(reply.status, 201, reply.text);
}

type Page = { ids: string[]; dates: string[]; more: boolean; next?: string; last: string | null };
async function manifestPage(query: string): Promise<Page> {
  const reply = await get('bank', `${ROOT}collections/${cast.national}/manifest/?${query}`);
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
  const objects = await get('bank', `${ROOT}collections/${cast.national}/objects/?limit=1000`);
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
