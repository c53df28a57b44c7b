// How many checks the hub answered and how many hit, per hour, for the implementation indicators.
// Checks are answered from memory and a miss never touches the database (decision 006): the counts
// are kept in memory and added to the hour's row once a minute (and when the node stops), one upsert
// per hour and mode. Counts only: never a value, a hash or who asked.
import { sql } from 'drizzle-orm';
import type { Clock } from '../shared/clock.ts';
import type { Database } from '../store/database.ts';
import { hubCheckCounts } from '../store/schema/index.ts';
import type { CheckService, CompactCheck } from './check-service.ts';

export type CheckMode = 'exact' | 'privacy';

const HOUR = 3_600_000;

export function createCheckTally(deps: { database: Database; clock: Clock; flushMs?: number }) {
  const pending = new Map<string, { hour: Date; mode: CheckMode; checks: number; hits: number }>();
  let timer: NodeJS.Timeout | null = null;
  let flushing: Promise<void> = Promise.resolve();

  function count(mode: CheckMode, checks: number, hits: number, at = deps.clock.now()): void {
    if (checks === 0) return;
    const hour = new Date(Math.floor(at.getTime() / HOUR) * HOUR);
    const key = `${hour.toISOString()}/${mode}`;
    const held = pending.get(key) ?? { hour, mode, checks: 0, hits: 0 };
    held.checks += checks;
    held.hits += hits;
    pending.set(key, held);
  }

  async function writeOut(): Promise<void> {
    const rows = [...pending.values()];
    pending.clear();
    if (rows.length === 0) return;
    try {
      await deps.database.db
        .insert(hubCheckCounts)
        .values(rows)
        .onConflictDoUpdate({
          target: [hubCheckCounts.hour, hubCheckCounts.mode],
          set: {
            checks: sql`${hubCheckCounts.checks} + excluded.checks`,
            hits: sql`${hubCheckCounts.hits} + excluded.hits`,
          },
        });
    } catch (error) {
      // Not lost: counted again, in its own hour, with the next flush.
      for (const r of rows) count(r.mode, r.checks, r.hits, r.hour);
      throw error;
    }
  }

  /** Adds what was counted to the database; flushes run one after another. */
  function flush(): Promise<void> {
    flushing = flushing.catch(() => {}).then(writeOut);
    return flushing;
  }

  return {
    count,
    flush,
    start(onError: (error: unknown) => void): void {
      timer ??= setInterval(() => void flush().catch(onError), deps.flushMs ?? 60_000);
      timer.unref();
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = null;
      await flush();
    },
  };
}

export type CheckTally = ReturnType<typeof createCheckTally>;

/** The check service, each answer counted: an item hits when it found at least one visible match. */
export function countedChecks(service: CheckService, tally: CheckTally): CheckService {
  const countedCompact = (result: CompactCheck) => {
    tally.count('exact', result.checked - result.errors.length, result.matched);
    return result;
  };
  return {
    async checkOne(...args) {
      const result = await service.checkOne(...args);
      tally.count('exact', 1, result.matches.length > 0 ? 1 : 0);
      return result;
    },
    async checkMany(...args) {
      const results = await service.checkMany(...args);
      // One pass, no copies: a bulk answer holds up to 100,000 results.
      let answered = 0;
      let hits = 0;
      for (const r of results)
        if ('matches' in r) {
          answered++;
          if (r.matches.length > 0) hits++;
        }
      tally.count('exact', answered, hits);
      return results;
    },
    checkManyCompact: async (...args) => countedCompact(await service.checkManyCompact(...args)),
    checkManyHits: async (...args) => countedCompact(await service.checkManyHits(...args)),
    async checkKeyed(...args) {
      const result = await service.checkKeyed(...args);
      tally.count('privacy', result.checked, new Set(result.matches.map((m) => m.i)).size);
      return result;
    },
  };
}
