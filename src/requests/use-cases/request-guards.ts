// The small steps several request use cases share: the role check, loading a request (a malformed
// id is simply not found), its life-cycle snapshot, its deadline columns, and running in the caller's
// transaction or a new one.
import type { RequestType, Role } from '../../domain/codes.ts';
import type { Direction, LifecycleSnapshot, RequestState } from '../../domain/requests/index.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../../shared/errors.ts';
import type { Db } from '../../store/database.ts';
import { lawOfRow } from '../request-law.ts';
import { findRequest } from '../request-store.ts';
import { type DeadlineColumns, deadlineOfRow, type RequestRow } from '../request-view.ts';
import type { RequestActor, RequestContext, Within } from './request-types.ts';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function requireRole(actor: RequestActor, roles: readonly Role[], what: string): void {
  if (!actor.roles.some((r) => roles.includes(r))) {
    throw new ForbiddenError(`${what} needs one of the roles ${roles.join(', ')}.`, 'ERR_FORBIDDEN', {
      requiredRoles: [...roles],
    });
  }
}

export async function getRow(tx: Db, id: string, lock = false): Promise<RequestRow> {
  if (!UUID.test(id)) throw new NotFoundError('Request', id);
  const row = await findRequest(tx, id, lock);
  if (!row) throw new NotFoundError('Request', id);
  return row;
}

export function snapshotOf(row: RequestRow): LifecycleSnapshot {
  return {
    direction: row.direction as Direction,
    type: row.type as RequestType,
    urgency: row.urgency,
    state: row.status as RequestState,
    draftedBy: row.draftedBy,
    emergencyApprovalPending: row.emergencyApprovalPending,
    scopeResult: row.scopeResult,
    ...lawOfRow(row),
  };
}

/** The stored next deadline of a request with these columns. */
export function deadlineFields(ctx: RequestContext, row: DeadlineColumns) {
  const d = deadlineOfRow(row, ctx.policy);
  return { nextDueAt: d?.dueAt ?? null, nextDueKind: d?.kind ?? null };
}

/** The time a step on a request happens: the exercise's clock for an exercise request, else `now`. */
export async function stepTime(
  ctx: RequestContext,
  tx: Db,
  exerciseId: string | null | undefined,
  now: Date,
): Promise<Date> {
  if (!exerciseId) return now;
  if (!ctx.exercises)
    throw new ConflictError(`Exercise ${exerciseId} does not run on this node.`, 'ERR_EXERCISE_NOT_RUNNING');
  return ctx.exercises.now(tx, exerciseId, now);
}

/** Runs `fn` in the caller's transaction when there is one, else in a new one. */
export function inTransaction<T>(
  ctx: RequestContext,
  within: Within | undefined,
  fn: (tx: Db) => Promise<T>,
) {
  return within ? fn(within.tx) : ctx.db.transaction(fn);
}
