// Persisted timers of requests and the job that fires them. Firing claims due rows with
// FOR UPDATE SKIP LOCKED, so several replicas on one PostgreSQL never fire the same timer twice.
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { appendAudit } from '../audit/audit-log.ts';
import { type PreservationPolicy, planTimers, type RequestState } from '../domain/requests/index.ts';
import type { Clock } from '../shared/clock.ts';
import { uuidv7 } from '../shared/ids.ts';
import { type Database, type Db, rowsOf } from '../store/database.ts';
import { notifications, requestTimers } from '../store/schema/index.ts';
import { type DeliveryTargets, enqueueDeliveries } from './notification-delivery.ts';
import { findRequest, hasUndecidedLinkedRequest } from './request-store.ts';

/** Replaces the pending timers of a request with those its stored state needs. */
export async function scheduleTimers(
  tx: Db,
  requestId: string,
  now: Date,
  policy: PreservationPolicy,
): Promise<void> {
  const row = await findRequest(tx, requestId);
  if (!row) return;
  await tx
    .delete(requestTimers)
    .where(and(eq(requestTimers.requestId, requestId), isNull(requestTimers.doneAt)));
  const planned = planTimers({ ...row, status: row.status as RequestState }, now, policy);
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

type DueTimer = { id: string; request_id: string; kind: string; due_at: string | Date; details: unknown };

const SYSTEM = 'system:timers';

/** Fires due timers in batches; each timer, its notifications and its audit entry commit together. */
export function createTimerProcessor(database: Database, clock: Clock, targets?: DeliveryTargets) {
  const { db } = database;

  async function processDueTimers(limit = 100): Promise<number> {
    const now = clock.now();
    return db.transaction(async (tx) => {
      const due = rowsOf<DueTimer>(
        await tx.execute(sql`SELECT id, request_id, kind, due_at, details FROM request_timers
          WHERE done_at IS NULL AND due_at <= ${now.toISOString()}::timestamptz
          ORDER BY due_at LIMIT ${limit} FOR UPDATE SKIP LOCKED`),
      );
      for (const timer of due) {
        const request = await findRequest(tx, timer.request_id);
        if (request) {
          const details = (
            typeof timer.details === 'string' ? JSON.parse(timer.details) : timer.details
          ) as Record<string, unknown>;
          const message = await messageFor(tx, timer.kind, details, request);
          if (message) {
            const recipients = new Set<string>([request.assignedTo ?? request.draftedBy]);
            if (timer.kind === 'EMERGENCY_APPROVAL') recipients.add('role:APPROVER');
            const rows = [...recipients].map((recipient) => ({
              id: uuidv7(now.getTime()),
              recipient,
              requestId: request.id,
              kind: timer.kind,
              message,
              createdAt: now,
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

  async function messageFor(
    tx: Db,
    kind: string,
    details: Record<string, unknown>,
    r: {
      id: string;
      type: string;
      partnerState: string;
      preservationExpiresAt: Date | null;
      nextDueKind: string | null;
    },
  ): Promise<string | null> {
    const label = `${r.type} ${r.partnerState} ${r.id}`;
    switch (kind) {
      case 'DEADLINE':
        return `Overdue: ${label} — the ${String(details.deadline ?? 'deadline').toLowerCase()} deadline has passed.`;
      case 'EMERGENCY_APPROVAL':
        return `Emergency request sent before approval and still not approved: ${label}.`;
      case 'PRESERVATION_REMINDER':
        return `Preservation ${label} expires in ${String(details.daysBefore)} days (${r.preservationExpiresAt?.toISOString()}): the MLA request is due before then, or ask for an extension.`;
      case 'PRESERVATION_EXPIRY':
        if (await hasUndecidedLinkedRequest(tx, r.id)) return null;
        return `Preservation ${label} has expired: no MLA request was received before ${r.preservationExpiresAt?.toISOString()}.`;
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
