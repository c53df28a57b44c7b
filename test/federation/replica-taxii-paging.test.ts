// Issue 20, goal "both TAXII paging styles complete and stable under concurrent adds", across
// replicas: two replicas of one node (two node instances, each with its own pool and memory) on one
// PostgreSQL database take TAXII adds at the same time, while a client pages the collection by `next`
// and by `added_after`, through one replica or the other in turn. A position (date added) taken by a
// transaction that commits after a later one would let the client move past it: every object must be
// read exactly once. The same holds for the objects made from alerts published through the hub's
// alert API on both replicas: their positions are taken in the database with the alert, not by each
// replica when it reads the alert; for alerts changed and feedback given through both replicas (a
// changed alert's objects are read again at their new version, each version once); and for the
// objects that recur across alerts (TLP markings, identities, extension definitions), which a replica
// started afresh places where the others do. On PGlite a node is one process: there are no replicas.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { type Database, openDatabase, rowsOf } from '../../src/store/database.ts';
import { client } from '../helpers/http-client.ts';
import { type Cast, castHub } from '../hub/hub-fixture.ts';
import {
  addIdentities,
  assertEachOnce,
  assertEachVersionOnce,
  type By,
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
/** A pool of its own on the replicas' database (a replica closes its pool when destroyed). */
const openShared = async (url: string | null): Promise<Database & { url: string | null }> =>
  Object.assign(await openDatabase({ databaseUrl: url, poolSize: 5 }), { url });

before(async () => {
  if (skip) return;
  const first = await startNetNode({ state: 'VN', seed: true });
  const second = await startNetNode({
    state: 'VN',
    database: await openShared(first.database.url),
    clock: first.ctx.clock,
  });
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

/** The alert API of one replica, as the alerts' publisher. */
function publisher(replica: number) {
  const c = client(replicas[replica % 2]!.url);
  c.setToken(certToken);
  return c;
}

/** Publishes an alert with `indicators` indicators through the alert API of one replica. */
function publish(replica: number, indicators: number, type: 'domain' | 'phone' = 'domain'): Promise<string> {
  return publishAlert(publisher(replica), cast.national, indicators, type);
}

/** Waits until both replicas page the collection alike (each has heard of every write). */
const bothHaveRead = () =>
  eventually(async () => {
    const [a, b] = [await everything(0, 'versions'), await everything(1, 'versions')];
    return a.join() === b.join() ? true : undefined;
  }, 'both replicas have read every write');

let changes = 0;
/** Changes an alert through one replica (a new title): its objects move to the end at a new version. */
async function change(replica: number, alertId: string): Promise<void> {
  const reply = await publisher(replica).call('PATCH', `/api/v1/hub/alerts/${alertId}`, {
    title: `changed ${changes++}`,
  });
  assert.equal(reply.status, 200, reply.text);
}

/** A sighting or a false positive of an alert, from the crawling bank, through one replica. */
async function feedback(replica: number, alertId: string, kind: 'sighting' | 'false_positive') {
  const reply = await api(replica).post(`/api/v1/hub/alerts/${alertId}/sightings`, { kind });
  assert.equal(reply.status, 201, reply.text);
}

const add = (replica: number, count: number) => addIdentities(api(replica), collection(), count);
const page = (replica: number, endpoint: Endpoint, query: string) =>
  taxiiPage(api(replica), collection(), endpoint, query);
const everything = (replica: number, by: By = 'ids') => everythingWith((e, q) => page(replica, e, q), by);

/**
 * For each endpoint and paging style: `write` runs rounds of writes through both replicas while a
 * client pages, each page through the other replica; every object is read once, and both replicas
 * page the collection in one order once each has heard of every write.
 */
async function crawlWhileWriting(
  rounds: number,
  write: (round: number) => Promise<unknown>,
  by: By = 'ids',
): Promise<void> {
  for (const endpoint of ['manifest', 'objects'] as const) {
    for (const style of ['next', 'added_after'] as const) {
      let running = true;
      const writers = (async () => {
        for (let round = 0; round < rounds; round++) await write(round);
      })().finally(() => {
        running = false;
      });
      const [ids] = await Promise.all([crawlWith(page, endpoint, style, () => running, 4, by), writers]);
      // The other replica's writes reach a replica through the change feed, a little later.
      const all = await eventually(async () => {
        const [a, b] = [await everything(0, by), await everything(1, by)];
        return a.join() === b.join() ? a : undefined;
      }, 'both replicas know every write');
      assert.deepEqual(await everything(1, by), all, 'both replicas page the collection in one order');
      if (by === 'ids') assertEachOnce(ids, all, `${endpoint} by ${style}`);
      else assertEachVersionOnce(ids, all, `${endpoint} by ${style}`);
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

test('alerts changed and feedback given through two replicas at once: each version read once; a replica started afresh pages in the same order', {
  skip,
}, async () => {
  // The alert that first brought the collection's recurring objects (its TLP marking, its
  // publisher's identity, the extension definitions and their author), read by both replicas, then
  // changed: it moves to the end of the collection, they stay where they were.
  const [oldest] = rowsOf<{ id: string; publisher: string }>(
    await replicas[0]!.database.db.execute(sql`SELECT id, publisher_org_id AS publisher FROM hub_alerts
      WHERE group_id = ${cast.national} ORDER BY taxii_us LIMIT 1`),
  );
  assert.equal(oldest?.publisher, cast.orgs.cert, 'the oldest alert is published by the CERT');
  const first = oldest!.id;
  await bothHaveRead();
  await change(1, first);
  const alerts = [first, await publish(1, 2), await publish(0, 1, 'phone'), await publish(1, 1)];
  await bothHaveRead();
  const pick = (round: number, k: number) => alerts[(round + k) % alerts.length]!;
  await crawlWhileWriting(
    4,
    (round) =>
      Promise.all([
        change(round, pick(round, 0)),
        feedback(round + 1, pick(round, 1), 'sighting'),
        feedback(round, pick(round, 2), 'false_positive'),
        change(round + 1, pick(round, 3)),
        // Feedback on a new alert through the replica that published it (the other hears of it later).
        publish(round, 1).then((id) => feedback(round, id, 'sighting')),
      ]),
    'versions',
  );

  // A replica whose memory is built now, from the alerts as they are, places every object where the
  // replicas that read them as they came do.
  const third = await startNetNode({
    state: 'VN',
    database: await openShared(replicas[0]!.database.url),
    clock: replicas[0]!.ctx.clock,
  });
  try {
    const c = client(third.url);
    c.setToken(token);
    const fresh = () => everythingWith((e, q) => taxiiPage(c, collection(), e, q), 'versions');
    const all = await everything(0, 'versions');
    const seen = await eventually(async () => {
      const f = await fresh();
      return f.length === all.length ? f : undefined;
    }, 'the new replica knows every write');
    assert.deepEqual(seen, all, 'a replica started afresh pages the collection in the same order');
  } finally {
    await third.destroy();
  }
});
