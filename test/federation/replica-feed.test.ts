import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { createLogger } from '../../src/observability/logger.ts';
import { openReplicaFeed, type ReplicaChange, type ReplicaFeed } from '../../src/replicas/replica-feed.ts';
import { type Database, rowsOf } from '../../src/store/database.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import { eventually } from './federation-network.ts';

// The feed of the other replicas' changes misses nothing: a change whose transaction commits after
// a later one (its sequence number was a gap when the later one was read), and changes committed
// while the listening connection was cut. Its own changes are not handed back.
const skip = process.env.DATABASE_URL ? false : 'needs PostgreSQL (LISTEN/NOTIFY between processes)';
let database: Database & { url: string | null };
let feed: ReplicaFeed;
const seen: ReplicaChange[] = [];

/** A connection of another replica, named as the PostgreSQL pool names one. */
async function otherReplica(): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: database.url!, options: '-c hanoi247.replica=other' });
  await c.connect();
  return c;
}
const change = (c: pg.Client, id: string) =>
  c.query(`SELECT hanoi247_replica_change('test', $1, NULL)`, [id]);
const ids = () => seen.map((s) => s.objectId);

before(async () => {
  if (skip) return;
  database = await createTestDatabase();
  await database.migrate();
  feed = await openReplicaFeed(database, createLogger('silent'), { pollMs: 200 });
  feed.start(async (changes) => {
    seen.push(...changes);
  });
});
after(async () => {
  if (skip) return;
  await feed.stop();
  await database.close();
});

test('a change committed after a later one is still delivered; own changes are not', { skip }, async () => {
  const slow = await otherReplica();
  const fast = await otherReplica();
  try {
    await slow.query('BEGIN');
    await change(slow, 'first-taken-last-committed');
    await change(fast, 'second');
    await eventually(async () => (ids().includes('second') ? true : undefined), 'the later change');
    assert.equal(ids().includes('first-taken-last-committed'), false);
    await slow.query('COMMIT');
    await eventually(
      async () => (ids().includes('first-taken-last-committed') ? true : undefined),
      'the change that filled the gap',
    );
    // This replica's own change (its pool names it) is recorded for the others, not handed back.
    await database.db.execute(sql`SELECT hanoi247_replica_change('test', 'own', NULL)`);
    await change(fast, 'after-own');
    await eventually(async () => (ids().includes('after-own') ? true : undefined), 'the next change');
    assert.equal(ids().includes('own'), false);
    assert.equal(new Set(ids()).size, ids().length, 'each change once');
  } finally {
    await slow.end();
    await fast.end();
  }
});

test('changes committed while the listening connection is cut arrive after it reconnects', {
  skip,
}, async () => {
  const other = await otherReplica();
  try {
    await other.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
       WHERE datname = current_database() AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()`,
    );
    for (const n of [1, 2, 3]) await change(other, `while-away-${n}`);
    await eventually(
      async () =>
        ['while-away-1', 'while-away-2', 'while-away-3'].every((i) => ids().includes(i)) ? true : undefined,
      'the changes made while the listener was away',
    );
    assert.equal(new Set(ids()).size, ids().length, 'each change once');
  } finally {
    await other.end();
  }
});

test('on embedded PGlite the feed does nothing', {
  skip: process.env.DATABASE_URL ? 'PGlite only' : false,
}, async () => {
  const pglite = await createTestDatabase();
  try {
    await pglite.migrate();
    const quiet = await openReplicaFeed(pglite, createLogger('silent'));
    quiet.start(async () => assert.fail('nothing to apply'));
    assert.equal(await quiet.catchUp(), 0);
    await quiet.stop();
    // The triggers write nothing without a replica name.
    await pglite.db.execute(sql`SELECT hanoi247_replica_change('test', 'x', NULL)`);
    const [row] = rowsOf<{ n: number }>(
      await pglite.db.execute(sql`SELECT count(*)::int AS n FROM replica_changes`),
    );
    assert.equal(row!.n, 0);
  } finally {
    await pglite.close();
  }
});
