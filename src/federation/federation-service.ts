// The federation of a node: the inbox that receives peers' messages, the sender that delivers the
// outbox, and the dead letters an administrator sees and retries.
import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { appendAudit } from '../audit/audit-log.ts';
import type { DirectoryService } from '../directory/directory-service.ts';
import {
  DEFAULT_FRESHNESS,
  DEFAULT_RETRY,
  type FreshnessRules,
  type RetryPolicy,
} from '../domain/federation/index.ts';
import type { Keyring } from '../node-identity/keyring.ts';
import type { RequestService } from '../requests/request-service.ts';
import type { Clock } from '../shared/clock.ts';
import { ConflictError, NotFoundError, ValidationError } from '../shared/errors.ts';
import { type Database, rowsOf } from '../store/database.ts';
import { createInbox } from './inbox-service.ts';
import {
  enqueueMessage,
  findMessage,
  listByStatus,
  type OutboxRow,
  purgeSeen,
  requeueDead,
} from './outbox-store.ts';
import { findPeer } from './peers.ts';
import {
  type ApplyMessage,
  createProtocolHandlers,
  type ExerciseGate,
  type ExtraHandlers,
  PING,
} from './protocol-handlers.ts';
import { createSender } from './sender-worker.ts';

/** The most reachability checks one ping call queues (one transaction). */
export const MAX_PINGS = 1000;

export type FederationOptions = {
  retry: RetryPolicy;
  freshness: FreshnessRules;
  /** How long a message stays valid after it is written to the outbox. */
  lifetimeMs: number;
  /** The largest envelope the inbox accepts (the 10 MB). */
  maxMessageBytes: number;
  batchSize: number;
  /**
   * Rounds in flight at once, each with its own claimed batch: one signs while another waits for its
   * peer or its database. Three passed the random-kill test repeatedly on both back ends.
   */
  rounds: number;
  leaseMs: number;
  pollMs: number;
  timeoutMs: number;
  /** false: every message travels alone (measurements); batches are the default. */
  batchDelivery?: boolean;
  random?: () => number;
};

export const DEFAULT_FEDERATION: FederationOptions = {
  retry: DEFAULT_RETRY,
  freshness: DEFAULT_FRESHNESS,
  lifetimeMs: 3 * 24 * 3_600_000,
  maxMessageBytes: 10 * 1024 * 1024,
  batchSize: 32,
  rounds: 3,
  leaseMs: 60_000,
  pollMs: 500,
  timeoutMs: 30_000,
};

export function resolveFederationOptions(given: Partial<FederationOptions> = {}): FederationOptions {
  const options = { ...DEFAULT_FEDERATION, ...given };
  // A message must stay valid for as long as it is retried, or the last attempts would be refused as expired.
  const windowMs = options.retry.windowMs ?? 0;
  if (given.lifetimeMs === undefined && windowMs > options.lifetimeMs) options.lifetimeMs = windowMs;
  return options;
}

export type FederationDeps = {
  database: Database;
  clock: Clock;
  directory: DirectoryService;
  keyring: Keyring;
  nodeState: string;
  requests: RequestService;
  logger: Logger;
  /** Receipts carry the latest cosigned checkpoint of the sender's audit log (audit-witnessing.ts). */
  senderCheckpoint?: (sender: string) => Promise<string | null>;
  keepReceiptCheckpoint?: (receiver: string, note: unknown) => Promise<void>;
  /** Refuses exercise traffic for an exercise this node has not joined (issue #18; src/exercises). */
  exerciseGate?: ExerciseGate;
};

/** What an administrator sees of an outbox message: never its body. */
export function outboxView(row: OutboxRow) {
  return {
    id: row.id,
    recipient: row.recipient,
    type: row.messageType,
    requestId: row.requestId,
    seq: row.seq,
    /** Exercise traffic (issue #18): the exercise's id; null for real traffic. */
    exerciseId: row.exerciseId,
    status: row.status,
    attempts: row.attempts,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    nextAttemptAt: row.nextAttemptAt.toISOString(),
    lastErrorCode: row.lastErrorCode,
    lastError: row.lastError,
    sentAt: row.sentAt ? row.sentAt.toISOString() : null,
    receipt: row.receipt,
  };
}

export function createFederationService(deps: FederationDeps, options: FederationOptions) {
  const logger = deps.logger.child({ subsystem: 'federation' });
  const extraHandlers: ExtraHandlers = new Map();
  const inbox = createInbox({
    ...deps,
    logger,
    freshness: options.freshness,
    apply: createProtocolHandlers(deps.requests, extraHandlers, deps.exerciseGate),
  });
  const sender = createSender({ ...deps, logger }, options);
  const { db } = deps.database;

  async function listMessages(status: 'pending' | 'sent' | 'dead', limit = 100) {
    return (await listByStatus(db, status, Math.min(Math.max(limit, 1), 500))).map(outboxView);
  }

  async function getMessage(id: string) {
    const row = await findMessage(db, id);
    if (!row) throw new NotFoundError('Message', id);
    return outboxView(row);
  }

  /** Sends a dead letter again, from a fresh count of attempts. */
  async function retryDeadLetter(actor: string, id: string) {
    const now = deps.clock.now();
    const row = await findMessage(db, id);
    if (!row) throw new NotFoundError('Message', id);
    const requeued = await db.transaction(async (tx) => {
      const queued = await requeueDead(tx, id, now);
      if (!queued)
        throw new ConflictError(
          `Message ${id} is '${row.status}', not a dead letter.`,
          'ERR_NOT_DEAD_LETTER',
        );
      await appendAudit(
        tx,
        {
          actor,
          action: 'federation.retry',
          objectType: 'federation_message',
          objectId: id,
          payload: { recipient: row.recipient },
        },
        now,
      );
      return queued;
    });
    // As the update left it: the sender (its own loop or another replica's) may claim it at once.
    sender.nudge();
    return outboxView(requeued);
  }

  /**
   * Queues `count` reachability checks to a peer in one transaction: each travels like any message
   * (signed, encrypted, receipted) and changes nothing on arrival. Operators use it to test a link.
   */
  async function ping(actor: string, to: string, count: number): Promise<{ queued: string[] }> {
    // The route bounds it too; a loop inside one transaction must never be driven by an unbounded number.
    if (!Number.isSafeInteger(count) || count < 1 || count > MAX_PINGS)
      throw new ValidationError([
        { field: 'count', message: `must be a whole number from 1 to ${MAX_PINGS}` },
      ]);
    const now = deps.clock.now();
    const document = (await deps.directory.currentOrNull())?.document;
    if (!document || !findPeer(document, to, now))
      throw new ValidationError([{ field: 'to', message: `${to} has no node in this node's directory` }]);
    if (to === deps.nodeState)
      throw new ValidationError([{ field: 'to', message: 'a node does not send messages to itself' }]);
    const queued = await db.transaction(async (tx) => {
      const ids: string[] = [];
      for (let i = 0; i < count; i++)
        ids.push(
          await enqueueMessage(
            tx,
            { recipient: to, type: PING, requestId: null, body: { n: i + 1, of: count } },
            now,
            options.lifetimeMs,
          ),
        );
      await appendAudit(
        tx,
        { actor, action: 'federation.ping', objectType: 'node', objectId: to, payload: { count } },
        now,
      );
      return ids;
    });
    sender.nudge();
    return { queued };
  }

  /** Counts for an administrator (and fault tests): the outbox by status, and what was received. */
  async function summary() {
    const rows = rowsOf<{ status: string; n: string | number; failing: string | number }>(
      await db.execute(sql`SELECT status, count(*) AS n,
        count(*) FILTER (WHERE last_error_code IS NOT NULL) AS failing
        FROM federation_outbox GROUP BY status`),
    );
    const outbox = { pending: 0, sent: 0, dead: 0, failing: 0 };
    for (const r of rows) {
      if (r.status === 'pending' || r.status === 'sent' || r.status === 'dead')
        outbox[r.status] = Number(r.n);
      if (r.status === 'pending') outbox.failing = Number(r.failing);
    }
    const [inbox] = rowsOf<{ n: string | number }>(
      await db.execute(sql`SELECT count(*) AS n FROM federation_inbox`),
    );
    return { outbox, inbox: { received: Number(inbox?.n ?? 0) } };
  }

  /** Forgets seen message ids past their replay window: such a message is refused as expired anyway. */
  async function purgeSeenMessages(): Promise<number> {
    return purgeSeen(db, deps.clock.now());
  }

  let purgeTimer: NodeJS.Timeout | null = null;

  /** Background work: the sender, and forgetting seen ids once an hour. */
  function start(): void {
    sender.start();
    // A newer signed directory (new node keys, a revocation) is fetched in the background, and the
    // one in force is verified again against the trust anchors (they change, keys expire).
    deps.directory.startRefresh?.((err) => logger.warn({ err }, 'could not refresh the directory'), logger);
    purgeTimer = setInterval(() => {
      purgeSeenMessages().catch((err) => logger.warn({ err }, 'could not purge seen message ids'));
    }, 3_600_000);
    purgeTimer.unref();
  }

  async function stop(): Promise<void> {
    if (purgeTimer) clearInterval(purgeTimer);
    purgeTimer = null;
    deps.directory.stopRefresh?.();
    await sender.stop();
  }

  return {
    options,
    inbox,
    sender,
    start,
    stop,
    listMessages,
    getMessage,
    retryDeadLetter,
    purgeSeenMessages,
    ping,
    summary,
    /** Applies messages of a type that is not a request step (main.ts adds the hub's 'alert'). */
    registerHandler(type: string, apply: ApplyMessage) {
      extraHandlers.set(type, apply);
    },
  };
}

export type FederationService = ReturnType<typeof createFederationService>;
