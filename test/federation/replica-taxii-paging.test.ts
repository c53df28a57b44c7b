// Issue 20, goal "both TAXII paging styles complete and stable under concurrent adds", across
// replicas: two replicas of one node (two node instances, each with its own pool and memory) on one
// PostgreSQL database take TAXII adds at the same time, while a client pages the collection by `next`
// and by `added_after`, through one replica or the other in turn. A position (date added) taken by a
// transaction that commits after a later one would let the client move past it: every object must be
// read exactly once. On PGlite a node is one process: there are no replicas.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { openDatabase } from '../../src/store/database.ts';
import { client } from '../helpers/http-client.ts';
import { type Cast, castHub } from '../hub/hub-fixture.ts';
import { eventually, type NetNode, startNetNode } from './federation-network.ts';
import { REPLICAS_SKIP } from './replica-env.ts';

const skip = REPLICAS_SKIP;
const TAXII = 'application/taxii+json;version=2.1';
let replicas: NetNode[] = [];
let cast: Cast;
let token = '';

before(async () => {
  if (skip) return;
  const first = await startNetNode({ state: 'VN', seed: true });
  const shared = Object.assign(await openDatabase({ databaseUrl: first.database.url, poolSize: 5 }), {
    url: first.database.url,
  });
  const second = await startNetNode({ state: 'VN', database: shared, clock: first.ctx.clock });
  replicas = [first, second];
  cast = await castHub(first as unknown as Parameters<typeof castHub>[0]);
  token = await cast.token('bank');
  await eventually(
    async () => (second.ctx.hub.membership.findOrgByName('Outsider Platform') ? true : undefined),
    'replica 2 knows the cast made through replica 1',
  );
});
after(async () => {
  if (skip) return;
  await replicas[1]?.destroy();
  await replicas[0]?.destroy();
});

const collection = () => `/taxii2/hub/collections/${cast.national}/`;
function api(replica: number) {
  const c = client(replicas[replica % 2]!.url);
  c.setToken(token);
  return c;
}

const identity = () => ({
  type: 'identity',
  spec_version: '2.1',
  id: `identity--${randomUUID()}`,
  created: '2026-03-01T08:00:00.000Z',
  modified: '2026-03-01T08:00:00.000Z',
  name: 'a source',
  identity_class: 'organization',
});

async function add(replica: number, count: number) {
  const objects = Array.from({ length: count }, identity);
  const reply = await api(replica).call('POST', `${collection()}objects/`, JSON.stringify({ objects }), {
    accept: TAXII,
    'content-type': TAXII,
  });
  assert.equal(reply.status, 202, reply.text);
  assert.equal(reply.body.success_count, count);
}

type Endpoint = 'objects' | 'manifest';
async function page(replica: number, endpoint: Endpoint, query: string) {
  const reply = await api(replica).call('GET', `${collection()}${endpoint}/?${query}`, undefined, {
    accept: TAXII,
  });
  assert.equal(reply.status, 200, reply.text);
  const objects = (reply.body.objects ?? []) as { id: string }[];
  return {
    ids: objects.map((o) => o.id),
    more: reply.body.more === true,
    next: reply.body.next as string | undefined,
    last: reply.headers.get('x-taxii-date-added-last'),
  };
}

async function everything(replica: number): Promise<string[]> {
  const ids: string[] = [];
  let query = 'limit=1000';
  for (;;) {
    const p = await page(replica, 'manifest', query);
    ids.push(...p.ids);
    if (!p.more) return ids;
    if (p.next) query = `limit=1000&next=${encodeURIComponent(p.next)}`;
  }
}

/**
 * Crawls, each page through the other replica, until the writers are done and a page says no more.
 * A `next` crawl at the end while writers still run goes on by added_after, as a polling client does.
 */
async function crawl(endpoint: Endpoint, style: 'next' | 'added_after', writing: () => boolean) {
  const ids: string[] = [];
  let last: string | null = null;
  let query = 'limit=4';
  for (let n = 0; n < 10_000; n++) {
    const done = !writing();
    const p = await page(n, endpoint, query);
    ids.push(...p.ids);
    last = p.last ?? last;
    if (!p.more && done) return ids;
    if (style === 'next' && p.more && p.next) query = `limit=4&next=${encodeURIComponent(p.next)}`;
    else if (p.ids.length > 0 || !p.more)
      query = last ? `limit=4&added_after=${encodeURIComponent(last)}` : 'limit=4';
  }
  assert.fail('the crawl did not end');
}

test('adds through two replicas at once: paging by next and by added_after reads each object once', {
  skip,
}, async () => {
  await add(0, 10);
  for (const endpoint of ['manifest', 'objects'] as const) {
    for (const style of ['next', 'added_after'] as const) {
      let running = true;
      // Small adds through both replicas at once, many in flight: their transactions overlap.
      const writers = (async () => {
        for (let round = 0; round < 8; round++)
          await Promise.all([add(0, 3), add(1, 2), add(0, 1), add(1, 4), add(1, 1), add(0, 2)]);
      })().finally(() => {
        running = false;
      });
      const [ids] = await Promise.all([crawl(endpoint, style, () => running), writers]);
      const all = await everything(0);
      assert.deepEqual(await everything(1), all, 'both replicas page the collection in one order');
      const twice = ids.filter((id, i) => ids.indexOf(id) !== i);
      assert.deepEqual(twice, [], `${endpoint} by ${style}: no object twice`);
      const missed = all.filter((id) => !ids.includes(id));
      assert.deepEqual(missed, [], `${endpoint} by ${style}: no object missed`);
      assert.equal(ids.length, all.length);
    }
  }
});
