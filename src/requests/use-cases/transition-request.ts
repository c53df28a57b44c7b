// One step of a request's life cycle (send, approve, refuse, assign, extend preservation, …). The law
// of which step is allowed to whom is in src/domain/requests (decideTransition); this file stores the
// step: refused with 409 (and the allowed steps), 403 or 400 before any write, else one transaction
// with the new state, the timers, the timeline event, the audit entry and the transition hook (the
// federation's outbox message).
import { eq } from 'drizzle-orm';
import { appendAudit } from '../../audit/audit-log.ts';
import { findUserById, findUserByUsername } from '../../auth/user-store.ts';
import {
  decideTransition,
  extendPreservation,
  preservationExpiry,
  type TransitionDecision,
  type TransitionOutcome,
} from '../../domain/requests/index.ts';
import { ConflictError, ForbiddenError, ValidationError } from '../../shared/errors.ts';
import type { Db } from '../../store/database.ts';
import { requests } from '../../store/schema/index.ts';
import { appendEvent } from '../request-store.ts';
import { scheduleTimers } from '../request-timers.ts';
import type { RequestRow } from '../request-view.ts';
import { isNodeActor } from './create-request.ts';
import { deadlineFields, getRow, inTransaction, snapshotOf, stepTime, UUID } from './request-guards.ts';
import type { RequestActor, RequestContext, Within } from './request-types.ts';
import { showRequest } from './show-request.ts';

type RequestChanges = Partial<typeof requests.$inferInsert>;

export async function transitionRequest(
  ctx: RequestContext,
  actor: RequestActor,
  id: string,
  input: Record<string, unknown>,
  within?: Within,
) {
  const realNow = ctx.clock.now();
  const result = await inTransaction(ctx, within, async (tx) => {
    const row = await getRow(tx, id, true);
    const now = await stepTime(ctx, tx, row.exerciseId, realNow);
    if (typeof input.expectedVersion === 'number' && input.expectedVersion !== row.version) {
      throw new ConflictError(
        `The request changed since you read it (version ${row.version}, you had ${input.expectedVersion}).`,
        'ERR_STALE',
      );
    }
    const decision = decideTransition(snapshotOf(row), input as never, actor, now, ctx.transitionOptions);
    if (!decision.ok) throw refusal(decision, row);
    const { outcome } = decision;
    const changes = await changesOf(ctx, tx, row, outcome, input, now);
    // The officer who acknowledges a request nobody here holds takes it (its copy from a partner's
    // node was held by no one, or, before, by that node itself).
    if (
      outcome.action === 'acknowledge' &&
      !isNodeActor(actor.id) &&
      (row.assignedTo === null || isNodeActor(row.assignedTo))
    )
      changes.assignedTo = actor.id;
    const next = {
      direction: row.direction,
      type: row.type,
      urgency: row.urgency,
      status: outcome.to,
      startedAt: changes.startedAt ?? row.startedAt,
      requestedDeadline: row.requestedDeadline,
      postponedUntil:
        changes.postponedUntil === undefined ? row.postponedUntil : (changes.postponedUntil ?? null),
    };
    await tx
      .update(requests)
      .set({
        ...changes,
        status: outcome.to,
        ...deadlineFields(ctx, next),
        version: row.version + 1,
        updatedAt: now,
      })
      .where(eq(requests.id, id));
    await scheduleTimers(tx, id, now, ctx.preservationPolicy);
    await appendEvent(tx, {
      requestId: id,
      at: now,
      actor: actor.id,
      action: outcome.action,
      fromStatus: outcome.from,
      toStatus: outcome.to,
      details: outcome.details,
    });
    await appendAudit(
      tx,
      {
        actor: actor.id,
        action: `request.${outcome.action}`,
        objectType: 'request',
        objectId: id,
        payload: { from: outcome.from, to: outcome.to, roles: actor.roles, details: outcome.details },
      },
      realNow,
    );
    await ctx.transitionHook?.(tx, {
      row,
      action: outcome.action,
      from: outcome.from,
      to: outcome.to,
      input,
      now,
      realNow,
    });
    return showRequest(ctx, tx, id, now);
  });
  const after = ctx.afterTransition;
  if (after) {
    if (within) within.afterCommit(() => after(result));
    else after(result);
  }
  ctx.announce('changed', String(input.action), id, within);
  return result;
}

/** The error a refused step answers with. */
function refusal(decision: Exclude<TransitionDecision, { ok: true }>, row: RequestRow): Error {
  if (decision.kind === 'illegal') {
    return new ConflictError(decision.message, 'ERR_ILLEGAL_TRANSITION', {
      currentStatus: row.status,
      allowed: decision.allowed,
    });
  }
  if (decision.kind === 'forbidden') {
    return new ForbiddenError(
      decision.message,
      decision.code,
      decision.requiredRoles ? { requiredRoles: [...decision.requiredRoles] } : undefined,
    );
  }
  return new ValidationError(decision.errors);
}

/**
 * The stored fields an allowed step changes besides its state: the domain's changes, plus what needs
 * the database or the node's policy (the assignee's account, the new preservation expiry, start and
 * execution times). Still refused here: an unknown assignee, a preservation with no expiry.
 */
async function changesOf(
  ctx: RequestContext,
  tx: Db,
  row: RequestRow,
  outcome: TransitionOutcome,
  input: Record<string, unknown>,
  now: Date,
): Promise<RequestChanges> {
  const changes: RequestChanges = { ...outcome.changes };
  if (outcome.action === 'assign') {
    const assignee = String(input.assignee);
    const user = UUID.test(assignee)
      ? await findUserById(tx, assignee)
      : await findUserByUsername(tx, assignee);
    if (!user || user.disabled)
      throw new ValidationError([{ field: '/assignee', message: `no active account '${assignee}'` }]);
    changes.assignedTo = user.id;
  }
  if (outcome.action === 'extend_preservation' || outcome.action === 'record_extension') {
    if (!row.preservationExpiresAt)
      throw new ConflictError('This preservation has no expiry yet.', 'ERR_NOT_PRESERVED');
    try {
      changes.preservationExpiresAt = extendPreservation(
        row.preservationExpiresAt,
        now,
        ctx.preservationPolicy,
      );
    } catch (error) {
      throw new ValidationError([
        { field: '/action', message: (error as Error).message, article: 'art. 42' },
      ]);
    }
    changes.preservationExtensions = row.preservationExtensions + 1;
    outcome.details.expiresAt = changes.preservationExpiresAt.toISOString();
  }
  if (outcome.to === 'sent' && outcome.from !== 'sent') changes.startedAt = now;
  if (outcome.to === 'executed' && outcome.from !== 'executed') {
    changes.executedAt = now;
    if (row.type === 'PRESERVATION')
      changes.preservationExpiresAt = preservationExpiry(now, 0, ctx.preservationPolicy);
  }
  return changes;
}
