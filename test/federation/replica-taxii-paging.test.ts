// Issue 20, goal "both TAXII paging styles complete and stable under concurrent adds", across
// replicas: two replicas of one node (two node instances, each with its own pool and memory) on one
// PostgreSQL database take TAXII adds at the same time, while a client pages the collection by `next`
// and by `added_after`, through one replica or the other in turn. A position (date added) taken by a
// transaction that commits after a later one would let the client move past it: every object must be
// read exactly once. The same holds for the objects made from alerts published through the hub's
// alert API on both replicas: their positions are taken in the database with the alert, not by each
// replica when it reads the alert. On PGlite a node is one process: there are no replicas.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openDatabase } from '../../src/store/database.ts';
import { client } from '../helpers/http-client.ts';
import { type Cast, castHub } from '../hub/hub-fixture.ts';
import {
  addIdentities,
  assertEachOnce,
  crawl as crawlWith,
  type Endpoint,
  everything as everythingWith,
  publishAlert,
  taxiiPage,
} from '../taxii/taxii-crawl.ts';
import { eventually, type NetNode, startNetNode } from './federation-network.ts';
import { REPLICAS_SKIP } from './replica-env.ts';

const skip = REPLICAS_SKIP;
let replicas: NetNode[] = [];
let cast: Cast;
let token = '';
let certToken = '';

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
  certToken = await cast.token('cert');
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

/** Publishes an alert with `indicators` indicators through the alert API of one replica. */
function publish(replica: number, indicators: number): Promise<string> {
  const c = client(replicas[replica % 2]!.url);
  c.setToken(certToken);
  return publishAlert(c, cast.national, indicators);
}

const add = (replica: number, count: number) => addIdentities(api(replica), collection(), count);
const page = (replica: number, endpoint: Endpoint, query: string) =>
  taxiiPage(api(replica), collection(), endpoint, query);
const everything = (replica: number) => everythingWith((e, q) => page(replica, e, q));

/**
 * For each endpoint and paging style: `write` runs rounds of writes through both replicas while a
 * client pages, each page through the other replica; every object is read once, and both replicas
 * page the collection in one order once each has heard of every write.
 */
async function crawlWhileWriting(rounds: number, write: () => Promise<unknown>): Promise<void> {
  for (const endpoint of ['manifest', 'objects'] as const) {
    for (const style of ['next', 'added_after'] as const) {
      let running = true;
      const writers = (async () => {
        for (let round = 0; round < rounds; round++) await write();
      })().finally(() => {
        running = false;
      });
      const [ids] = await Promise.all([crawlWith(page, endpoint, style, () => running, 4), writers]);
      // The other replica's alerts reach a replica through the change feed, a little later.
      const all = await eventually(async () => {
        const [a, b] = [await everything(0), await everything(1)];
        return a.length === b.length ? a : undefined;
      }, 'both replicas know every write');
      assert.deepEqual(await everything(1), all, 'both replicas page the collection in one order');
      assertEachOnce(ids, all, `${endpoint} by ${style}`);
    }
  }
}

test('adds through two replicas at once: paging by next and by added_after reads each object once', {
  skip,
}, async () => {
  await add(0, 10);
  // Small adds through both replicas at once, many in flight: their transactions overlap.
  await crawlWhileWriting(8, () =>
    Promise.all([add(0, 3), add(1, 2), add(0, 1), add(1, 4), add(1, 1), add(0, 2)]),
  );
});

test('alerts published through two replicas at once: paging by next and by added_after reads each object once', {
  skip,
}, async () => {
  await publish(0, 2);
  // Alerts published through both replicas at once, with TAXII adds between them.
  await crawlWhileWriting(6, () =>
    Promise.all([publish(0, 2), publish(1, 1), add(0, 2), publish(1, 3), publish(0, 1)]),
  );
});
