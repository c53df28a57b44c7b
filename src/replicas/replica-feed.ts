// The committed changes of the other replicas of this node (processes on one PostgreSQL database),
// in commit order of their sequence numbers: woken by LISTEN/NOTIFY within milliseconds, and read
// again every second so that a lost notification or a reconnect misses nothing. A number missing
// in the sequence (a transaction that took it and has not committed yet) is looked for again
// until it appears or a minute has passed (it was rolled back). On PGlite there is one process and
// nothing to hear: the feed does nothing.

import { sql } from 'drizzle-orm';
import type pg from 'pg';
import type { Logger } from 'pino';
import { type Database, rowsOf } from '../store/database.ts';

export type ReplicaChange = { seq: number; topic: string; objectId: string; detail: unknown };
export type ApplyChanges = (changes: ReplicaChange[]) => Promise<void>;

export const CHANNEL = 'hanoi247_changes';
const PAGE = 500;
const GAP_WAIT_MS = 60_000;
const PRUNE_EVERY_MS = 5 * 60_000;
// Long enough for any replica to catch up after a reconnect; a replica down for longer starts afresh.
const KEEP = '1 hour';

type Row = { seq: string | number; origin: string; topic: string; object_id: string; detail: unknown };

export type ReplicaFeed = {
  /** Starts applying the other replicas' changes committed after the feed was opened. */
  start(apply: ApplyChanges): void;
  stop(): Promise<void>;
  /** Reads and applies what is new now (tests, and every wake-up). */
  catchUp(): Promise<number>;
};

const NOTHING: ReplicaFeed = { start() {}, stop: async () => {}, catchUp: async () => 0 };

/**
 * Opens the feed at the current end of the change table: call it before the in-memory state is
 * loaded, so that a change committed during the load is applied again rather than missed.
 */
export async function openReplicaFeed(
  database: Database,
  logger: Logger,
  options: { pollMs?: number } = {},
): Promise<ReplicaFeed> {
  const replica = database.replica;
  if (database.kind !== 'postgres' || !replica) return NOTHING;
  const pollMs = options.pollMs ?? 1_000;
  const [start] = rowsOf<{ seq: string | number }>(
    await database.db.execute(sql`SELECT coalesce(max(seq), 0) AS seq FROM replica_changes`),
  );
  let last = Number(start?.seq ?? 0);
  const gaps = new Map<number, number>();
  let apply: ApplyChanges | null = null;
  let running = false;
  let listener: pg.Client | null = null;
  let poller: NodeJS.Timeout | null = null;
  let pruner: NodeJS.Timeout | null = null;
  let reconnect: NodeJS.Timeout | null = null;
  let draining: Promise<number> | null = null;
  let again = false;

  /** Reads and applies one page; says how many changes it applied and whether the page was full. */
  async function readOnce(): Promise<{ applied: number; full: boolean }> {
    const missing = [...gaps.keys()];
    const rows = rowsOf<Row>(
      await database.db.execute(sql`
        SELECT seq, origin, topic, object_id, detail FROM replica_changes
        WHERE seq > ${last} OR seq = ANY(${`{${missing.join(',')}}`}::bigint[])
        ORDER BY seq LIMIT ${PAGE}`),
    );
    const now = Date.now();
    for (const [seq, since] of gaps) if (now - since > GAP_WAIT_MS) gaps.delete(seq);
    const changes: ReplicaChange[] = [];
    for (const r of rows) {
      const seq = Number(r.seq);
      if (gaps.delete(seq) === false && seq <= last) continue;
      for (let n = last + 1; n < seq && gaps.size < 10_000; n++) gaps.set(n, now);
      if (seq > last) last = seq;
      if (r.origin === replica!.id) continue;
      changes.push({
        seq,
        topic: r.topic,
        objectId: r.object_id,
        detail: typeof r.detail === 'string' ? JSON.parse(r.detail) : r.detail,
      });
    }
    if (changes.length > 0 && apply) await apply(changes);
    return { applied: changes.length, full: rows.length === PAGE };
  }

  /** Reads until nothing new is left; concurrent wake-ups join the drain in progress. */
  function catchUp(): Promise<number> {
    if (draining) {
      again = true;
      return draining;
    }
    draining = (async () => {
      let total = 0;
      try {
        do {
          again = false;
          let page: { applied: number; full: boolean };
          do {
            page = await readOnce();
            total += page.applied;
          } while (page.full);
        } while (again && running);
      } finally {
        draining = null;
      }
      return total;
    })();
    return draining;
  }

  const wake = () => {
    catchUp().catch((error) =>
      logger.warn({ err: error }, 'could not read the changes of the other replicas'),
    );
  };

  async function listen(): Promise<void> {
    // The driver is a PostgreSQL node's only: an embedded node starts without loading it.
    const { default: pgDriver } = await import('pg');
    const client = new pgDriver.Client({ connectionString: replica!.connectionString });
    client.on('notification', wake);
    client.on('error', (error) => {
      logger.warn({ err: error }, 'the replica change listener lost its connection; reconnecting');
      client.end().catch(() => {});
      if (listener === client) listener = null;
      scheduleReconnect();
    });
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
    if (!running) {
      await client.end();
      return;
    }
    listener = client;
    // What was committed while the listener was away.
    wake();
  }

  function scheduleReconnect(): void {
    if (!running || reconnect) return;
    reconnect = setTimeout(() => {
      reconnect = null;
      listen().catch((error) => {
        logger.warn({ err: error }, 'could not listen for the changes of the other replicas');
        scheduleReconnect();
      });
    }, pollMs);
    reconnect.unref();
  }

  return {
    start(applyChanges) {
      if (running) return;
      running = true;
      apply = applyChanges;
      listen().catch((error) => {
        logger.warn({ err: error }, 'could not listen for the changes of the other replicas');
        scheduleReconnect();
      });
      poller = setInterval(wake, pollMs);
      poller.unref();
      pruner = setInterval(() => {
        database.db
          .execute(sql`DELETE FROM replica_changes WHERE created_at < now() - ${KEEP}::interval`)
          .catch((error) => logger.warn({ err: error }, 'could not prune the replica changes'));
      }, PRUNE_EVERY_MS);
      pruner.unref();
    },
    async stop() {
      running = false;
      for (const timer of [poller, pruner, reconnect]) if (timer) clearInterval(timer);
      poller = pruner = reconnect = null;
      const client = listener;
      listener = null;
      await client?.end().catch(() => {});
      await draining?.catch(() => {});
    },
    catchUp,
  };
}
