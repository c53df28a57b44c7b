// Persisted timers of requests and the job that fires them. Firing claims due rows with
// FOR UPDATE SKIP LOCKED, so several replicas on one PostgreSQL never fire the same timer twice.
import { and, eq, isNull, ne, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { appendAudit } from '../audit/audit-log.ts';
import {
  HANDLER_ROLES,
  holdsPreservation,
  type PreservationPolicy,
  planTimers,
  type RequestState,
  SETTLED_STATES,
} from '../domain/requests/index.ts';
import type { Clock } from '../shared/clock.ts';
import { uuidv7 } from '../shared/ids.ts';
import { type Database, type Db, rowsOf } from '../store/database.ts';
import { notifications, requestLinks, requests, requestTimers } from '../store/schema/index.ts';
import { type DeliveryTargets, enqueueDeliveries } from './notification-delivery.ts';
import { encodeNotice, NOTICE_CODES, type Notice } from './notification-text.ts';
import {
  caseReferenceOf,
  findRequest,
  hasUndecidedLinkedRequest,
  linkedRequestsOf,
} from './request-store.ts';

const RELEASED = 'PRESERVATION_RELEASED';

/**
 * Replaces the pending timers of a request with those its stored state needs, and re-plans the
 * preservations it follows up: a change of the follow-up changes whether they are held (art. 42).
 */
export async function scheduleTimers(
  tx: Db,
  requestId: string,
  now: Date,
  policy: PreservationPolicy,
): Promise<void> {
  await planOwnTimers(tx, requestId, now, policy);
  const preservations = await tx
    .select({ id: requests.id })
    .from(requestLinks)
    .innerJoin(requests, eq(requests.id, requestLinks.linkedId))
    .where(and(eq(requestLinks.requestId, requestId), eq(requests.type, 'PRESERVATION')));
  for (const p of preservations) await planOwnTimers(tx, p.id, now, policy);
}

async function planOwnTimers(tx: Db, requestId: string, now: Date, policy: PreservationPolicy) {
  const row = await findRequest(tx, requestId);
  if (!row) return;
  const preservation = row.type === 'PRESERVATION';
  const held = preservation && (await hasUndecidedLinkedRequest(tx, requestId));
  // A release notice not yet fired stays: it is news about a step already taken.
  await tx
    .delete(requestTimers)
    .where(
      and(
        eq(requestTimers.requestId, requestId),
        isNull(requestTimers.doneAt),
        ne(requestTimers.kind, RELEASED),
      ),
    );
  const planned = planTimers(
    { ...row, status: row.status as RequestState, preservationHeld: held },
    now,
    policy,
  );
  if (preservation && row.status === 'executed' && !held) planned.push(...(await releases(tx, row, now)));
  if (planned.length === 0) return;
  await tx.insert(requestTimers).values(
    planned.map((t) => ({
      id: uuidv7(now.getTime()),
      requestId,
      kind: t.kind,
      dueAt: t.dueAt,
      details: t.details,
      createdAt: now,
    })),
  );
}

/**
 * One release notice, due now, per follow-up that held this preservation and has since been decided
 * (refused, withdrawn, executed...), unless already planned: the officer must learn at once that
 * the data may no longer be kept.
 */
async function releases(tx: Db, preservation: { id: string; preservationExpiresAt: Date | null }, now: Date) {
  const decided = (await linkedRequestsOf(tx, preservation.id)).filter(
    (l) =>
      (SETTLED_STATES as readonly string[]).includes(l.status) &&
      holdsPreservation({ ...l, status: 'received' }, preservation.preservationExpiresAt),
  );
  if (decided.length === 0) return [];
  const known = new Set(
    rowsOf<{ follow_up: string }>(
      await tx.execute(sql`SELECT details->>'followUpId' AS follow_up FROM request_timers
        WHERE request_id = ${preservation.id} AND kind = ${RELEASED}`),
    ).map((r) => r.follow_up),
  );
  return decided
    .filter((l) => !known.has(l.id))
    .map((l) => ({
      kind: RELEASED as 'PRESERVATION_RELEASED',
      dueAt: now,
      details: { followUpId: l.id, followUpType: l.type, followUpStatus: l.status },
    }));
}

type DueTimer = { id: string; request_id: string; kind: string; due_at: string | Date; details: unknown };

const SYSTEM = 'system:timers';

/**
 * Who a timer's notice is for: the officer holding the request, else its drafter; a copy a partner's
 * node delivered that nobody here holds yet goes to the officers who handle requests (the 24/7 point
 * and the central authority), not to the partner's node, which reads no notifications here.
 */
export function recipientsOf(request: { assignedTo: string | null; draftedBy: string }): string[] {
  const holder = request.assignedTo ?? request.draftedBy;
  return holder.startsWith('node:') ? HANDLER_ROLES.map((role) => `role:${role}`) : [holder];
}

/** Fires due timers in batches; each timer, its notifications and its audit entry commit together. */
export function createTimerProcessor(database: Database, clock: Clock, targets?: DeliveryTargets) {
  const { db } = database;

  /**
   * Without `exercise`, the real timers at the node's time (never an exercise's); with it, that
   * exercise's timers at the exercise's own time (issue #18: its deadlines follow its clock).
   */
  async function processDueTimers(limit = 100, exercise?: { id: string; now: Date }): Promise<number> {
    const now = exercise?.now ?? clock.now();
    const scope = exercise
      ? sql`EXISTS (SELECT 1 FROM requests r WHERE r.id = request_timers.request_id AND r.exercise_id = ${exercise.id}::uuid)`
      : sql`NOT EXISTS (SELECT 1 FROM requests r WHERE r.id = request_timers.request_id AND r.exercise_id IS NOT NULL)`;
    return db.transaction(async (tx) => {
      const due = rowsOf<DueTimer>(
        await tx.execute(sql`SELECT id, request_id, kind, due_at, details FROM request_timers
          WHERE done_at IS NULL AND due_at <= ${now.toISOString()}::timestamptz AND ${scope}
          ORDER BY due_at LIMIT ${limit} FOR UPDATE SKIP LOCKED`),
      );
      for (const timer of due) {
        const request = await findRequest(tx, timer.request_id);
        if (request) {
          const details = (
            typeof timer.details === 'string' ? JSON.parse(timer.details) : timer.details
          ) as Record<string, unknown>;
          const plain = await messageFor(tx, timer.kind, details, request);
          // An exercise's reminder says so wherever it is read (the desk, a webhook, an e-mail).
          const message = plain && request.exerciseId ? `EXERCISE — ${plain}` : plain;
          if (message) {
            const recipients = new Set<string>(recipientsOf(request));
            if (timer.kind === 'EMERGENCY_APPROVAL') recipients.add('role:APPROVER');
            const rows = [...recipients].map((recipient) => ({
              id: uuidv7(now.getTime()),
              recipient,
              requestId: request.id,
              kind: timer.kind,
              message,
              createdAt: now,
              exerciseId: request.exerciseId,
            }));
            await tx.insert(notifications).values(rows);
            // Sent once per notification event, not once per in-app recipient.
            await enqueueDeliveries(
              tx,
              rows.slice(0, 1).map((r) => r.id),
              targets,
              now,
            );
          }
          await appendAudit(
            tx,
            {
              actor: SYSTEM,
              action: 'request.timer',
              objectType: 'request',
              objectId: request.id,
              payload: {
                kind: timer.kind,
                dueAt: new Date(timer.due_at).toISOString(),
                notified: message !== null,
              },
            },
            now,
          );
        }
        await tx.update(requestTimers).set({ doneAt: now }).where(eq(requestTimers.id, timer.id));
      }
      return due.length;
    });
  }

  /** What the timer has to say, as a notice put into words when read or sent; null: nothing to say. */
  async function messageFor(
    tx: Db,
    kind: string,
    details: Record<string, unknown>,
    r: {
      id: string;
      caseId: string;
      type: string;
      partnerState: string;
      preservationExpiresAt: Date | null;
    },
  ): Promise<string | null> {
    const params = {
      type: r.type,
      partner: r.partnerState,
      reference: await caseReferenceOf(tx, r.caseId),
      requestId: r.id,
      ...(r.preservationExpiresAt ? { expiresAt: r.preservationExpiresAt.toISOString() } : {}),
    };
    const notice = (code: Notice['code'], more: Partial<Notice['params']> = {}) =>
      encodeNotice({ code, params: { ...params, ...more } });
    switch (kind) {
      case 'DEADLINE': {
        const deadline = `DEADLINE_${String(details.deadline ?? '')}`;
        return notice(
          (NOTICE_CODES as readonly string[]).includes(deadline) ? (deadline as Notice['code']) : 'DEADLINE',
        );
      }
      case 'EMERGENCY_APPROVAL':
        return notice('EMERGENCY_APPROVAL');
      case 'PRESERVATION_REMINDER':
        return notice('PRESERVATION_REMINDER');
      case 'PRESERVATION_EXPIRY':
        if (await hasUndecidedLinkedRequest(tx, r.id)) return null;
        return notice('PRESERVATION_EXPIRY');
      case 'PRESERVATION_RELEASED': {
        if (await hasUndecidedLinkedRequest(tx, r.id)) return null;
        const expiry = r.preservationExpiresAt;
        const followUp = {
          followUpType: String(details.followUpType),
          followUpStatus: String(details.followUpStatus),
        };
        return expiry && expiry.getTime() <= clock.now().getTime()
          ? notice('PRESERVATION_MAY_END', followUp)
          : notice('PRESERVATION_RELEASED', followUp);
      }
      default:
        return null;
    }
  }

  return { processDueTimers };
}

export type TimerProcessor = ReturnType<typeof createTimerProcessor>;

/** Runs the timer job every `intervalMs` until stopped; errors are logged and the loop goes on. */
export function startTimerLoop(processor: TimerProcessor, logger: Logger, intervalMs = 15_000): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    processor
      .processDueTimers()
      .catch((error) => logger.warn({ err: error }, 'request timers failed'))
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
