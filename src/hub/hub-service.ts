// The early-warning hub of a node: membership, alerts, checks and the change feed, wired together.
// Built once at start; the in-memory parts are loaded from the database here.

import { count } from 'drizzle-orm';
import { createPackedLookupIndex } from '../hub-index/index.ts';
import type { Clock } from '../shared/clock.ts';
import type { Database } from '../store/database.ts';
import { hubIndicators } from '../store/schema/index.ts';
import { createAlertService } from './alert-service.ts';
import { createCheckService } from './check-service.ts';
import { countedChecks, createCheckTally } from './check-tally.ts';
import { createHubEvents } from './hub-events.ts';
import { createHubFederation } from './hub-federation.ts';
import { createIndicatorRows } from './indicator-rows.ts';
import type { LookupIndex } from './lookup-index.ts';
import { createMembership } from './membership.ts';
import { createPrivacyDigests } from './privacy-digests.ts';
import { createPrivacyWarmup } from './privacy-warmup.ts';
import { createWebhooks } from './webhooks.ts';

async function countIndicators(database: Database): Promise<number> {
  const [row] = await database.db.select({ n: count() }).from(hubIndicators);
  return row?.n ?? 0;
}

export async function createHubService(
  database: Database,
  clock: Clock,
  options: {
    index?: LookupIndex;
    onListenerError?: (error: unknown) => void;
    startPage?: number;
    fetchImpl?: typeof fetch;
    /** How often expired alerts are swept (default 60 s). */
    sweepMs?: number;
    /** Sharing alerts with other nodes: this node's Party code, message lifetime, sender wake-up. */
    federation?: { nodeState: string; lifetimeMs: number; nudge?: () => void };
  } = {},
) {
  // The live index is the packed one (src/hub-index); the Map one stays as a reference for tests.
  // Sized for the rows stored, so the start-up load fills a table of the right size instead of growing it.
  const index = options.index ?? createPackedLookupIndex({ expectedSize: await countIndicators(database) });
  const rows = createIndicatorRows(database.db);
  const events = createHubEvents(options.onListenerError);
  const membership = await createMembership(database, clock);
  // Without a node identity (some tests) the group's other nodes are never told: nothing is queued.
  const federation = await createHubFederation({
    database,
    clock,
    membership,
    nodeState: options.federation?.nodeState ?? '',
    lifetimeMs: options.federation?.lifetimeMs ?? 3 * 24 * 3_600_000,
    nudge: options.federation?.nudge,
  });
  const alerts = await createAlertService({
    database,
    clock,
    membership,
    index,
    rows,
    events,
    startPage: options.startPage,
    changeHook: options.federation ? federation.changeHook : undefined,
    afterChange: options.federation?.nudge,
    feedbackHook: options.federation ? federation.feedbackHook : undefined,
  });
  federation.bind(alerts);
  const digests = createPrivacyDigests({
    database,
    clock,
    digestOf: (groupId, value) => alerts.groupSource(groupId).digest(value),
  });
  const privacyWarmup = createPrivacyWarmup({
    database,
    clock,
    index,
    groupSource: alerts.groupSource,
    digests,
    onError: options.onListenerError,
  });
  // Checks answered and hits are counted per hour for the implementation indicators (counts only).
  const checkTally = createCheckTally({ database, clock });
  checkTally.start((error) => options.onListenerError?.(error));
  const check = countedChecks(
    createCheckService({
      clock,
      index,
      rows,
      alerts,
      membership,
      markPrivacyUsed: privacyWarmup.markUsed,
      digests,
    }),
    checkTally,
  );
  const webhooks = await createWebhooks({
    database,
    clock,
    membership,
    events,
    fetchImpl: options.fetchImpl,
    onError: options.onListenerError,
  });
  // Expiry needs no job to be correct (reads apply the clock); the sweep frees the index and tells subscribers.
  const sweeper = setInterval(() => {
    alerts.sweepExpired().catch((error) => options.onListenerError?.(error));
  }, options.sweepMs ?? 60_000);
  sweeper.unref();
  // privacyWarmup.start() is called by the running node (startNode), not by one-off uses like the CLI.
  /** Stops the background work that reads the database; the node calls it before closing it. */
  async function stop(): Promise<void> {
    clearInterval(sweeper);
    await privacyWarmup.stop();
    await checkTally.stop();
  }
  return {
    membership,
    alerts,
    check,
    checkTally,
    events,
    index,
    webhooks,
    federation,
    privacyWarmup,
    stop,
  };
}

export type HubService = Awaited<ReturnType<typeof createHubService>>;
