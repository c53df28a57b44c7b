// Privacy-mode tables after a restart. A group's table is built on its first privacy-mode check
// (src/hub-index/packed-lookup-index.ts), and that check waits for the whole build: some 84 s at
// 10,000,000 indicators. A group that used privacy mode once will use it again, so the first use is
// kept in the database (hub_groups.privacy_used_at) and, after each start, the node builds those
// groups' tables in the background, one group after another. A check that arrives first calls
// prepareGroup as before and so shares the same build, never starts a second one; it does not wait
// for it: until the table is built, checks read the digests kept with the rows (privacy-digests.ts),
// which this fills first for rows written before them.
import { and, eq, isNotNull, isNull } from 'drizzle-orm';
import type { Clock } from '../shared/clock.ts';
import type { Database } from '../store/database.ts';
import { hubGroups } from '../store/schema/index.ts';
import type { GroupSource, LookupIndex } from './lookup-index.ts';
import type { PrivacyDigests } from './privacy-digests.ts';

/** Thrown into a background build by stop(), so no page is read once the node is closing. */
class WarmupStopped extends Error {}

export function createPrivacyWarmup(deps: {
  database: Database;
  clock: Clock;
  index: LookupIndex;
  groupSource: (groupId: string) => GroupSource;
  /** Digests kept with the rows: those missing (rows from before them) are filled first. */
  digests?: PrivacyDigests;
  onError?: (error: unknown) => void;
}) {
  const { database, clock, index, groupSource, onError } = deps;
  // Groups whose first use is already stored: later checks skip the write.
  const marked = new Set<string>();
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  // The page read in flight for a background build, which stop() lets finish before it returns.
  let reading: Promise<unknown> = Promise.resolve();
  let signalStop = () => {};
  const stopSignal = new Promise<void>((resolve) => {
    signalStop = resolve;
  });

  /** Stores the group's first privacy-mode use; one statement, once per group and process. */
  async function markUsed(groupId: string): Promise<void> {
    if (marked.has(groupId)) return;
    await database.db
      .update(hubGroups)
      .set({ privacyUsedAt: clock.now() })
      .where(and(eq(hubGroups.id, groupId), isNull(hubGroups.privacyUsedAt)));
    marked.add(groupId);
  }

  /** The group's source, cut off before its next page once stop() was called. */
  function stoppable(groupId: string): GroupSource {
    const source = groupSource(groupId);
    return {
      digest: source.digest,
      async *pages() {
        const pages = source.pages()[Symbol.asyncIterator]();
        try {
          for (;;) {
            if (stopped) throw new WarmupStopped('the node is closing');
            const next = pages.next();
            reading = next.catch(() => {});
            const { done, value } = await next;
            if (done) return;
            yield value;
          }
        } finally {
          await pages.return?.();
        }
      },
    };
  }

  /**
   * Starts the background builds of every group that used privacy mode before; resolves when they
   * are done (a failed build is reported and left for the next check to retry).
   */
  function start(): Promise<void> {
    running = (async () => {
      await deps.digests?.fill(null, () => stopped);
      const used = await database.db
        .select({ id: hubGroups.id })
        .from(hubGroups)
        .where(isNotNull(hubGroups.privacyUsedAt));
      for (const { id } of used) marked.add(id);
      // One group at a time: the builds share the process with exact checks.
      for (const { id } of used) {
        if (stopped) return;
        try {
          // A build that a check started first is shared, and not waited for once the node stops.
          await Promise.race([index.prepareGroup(id, stoppable(id)), stopSignal]);
        } catch (error) {
          if (!(error instanceof WarmupStopped)) onError?.(error);
        }
      }
    })().catch((error) => {
      if (!stopped) onError?.(error);
    });
    return running;
  }

  /** Stops the background builds before their next page, so nothing reads the database after it. */
  async function stop(): Promise<void> {
    stopped = true;
    signalStop();
    await reading;
    await running;
  }

  return {
    markUsed,
    start,
    stop,
    /** Resolves when the builds started by start() are over. */
    get done(): Promise<void> {
      return running;
    },
  };
}

export type PrivacyWarmup = ReturnType<typeof createPrivacyWarmup>;
