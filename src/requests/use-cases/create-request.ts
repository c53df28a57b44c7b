// Create an outgoing draft, or register an incoming request (received outside the network, or from a
// peer node inside that message's transaction). One transaction: the request, its links and
// identifiers, its timers, the timeline event and the audit entry; every refusal comes before it.
import { appendAudit } from '../../audit/audit-log.ts';
import { REQUEST_TYPES } from '../../domain/codes.ts';
import type { DirectoryDocument } from '../../domain/directory/index.ts';
import {
  DIRECTIONS,
  type Direction,
  DRAFTER_ROLES,
  HANDLER_ROLES,
  initialState,
  isRequestType,
} from '../../domain/requests/index.ts';
import { ValidationError } from '../../shared/errors.ts';
import { uuidv7 } from '../../shared/ids.ts';
import { requests } from '../../store/schema/index.ts';
import { legalBasisColumns } from '../prepare-request.ts';
import { appendEvent, caseIdFor, replaceLinksAndIdentifiers } from '../request-store.ts';
import { scheduleTimers } from '../request-timers.ts';
import { deadlineFields, inTransaction, requireRole, stepTime, UUID } from './request-guards.ts';
import type { RequestActor, RequestContext, Within } from './request-types.ts';
import { showRequest } from './show-request.ts';

/** The actor of a step recorded from a partner's node ('node:VN'), not by a person of this node. */
export function isNodeActor(id: string | null): boolean {
  return id !== null && id.startsWith('node:');
}

export async function createRequest(
  ctx: RequestContext,
  actor: RequestActor,
  input: unknown,
  within?: Within & { document: DirectoryDocument; id: string },
) {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new ValidationError([{ field: '', message: 'a request must be a JSON object' }]);
  }
  const {
    type,
    direction: rawDirection,
    exerciseId: rawExercise,
    ...fields
  } = input as Record<string, unknown>;
  if (rawExercise != null && (typeof rawExercise !== 'string' || !UUID.test(rawExercise))) {
    throw new ValidationError([{ field: '/exerciseId', message: 'must be the id of a running exercise' }]);
  }
  const exerciseId = (rawExercise as string | null | undefined) ?? null;
  if (!isRequestType(type)) {
    throw new ValidationError([
      { field: '/type', message: `must be one of ${REQUEST_TYPES.join(', ')}`, article: 'art. 40' },
    ]);
  }
  const direction = (rawDirection ?? 'OUTGOING') as Direction;
  if (!(DIRECTIONS as readonly string[]).includes(direction)) {
    throw new ValidationError([{ field: '/direction', message: 'must be OUTGOING or INCOMING' }]);
  }
  requireRole(
    actor,
    direction === 'OUTGOING' ? DRAFTER_ROLES : HANDLER_ROLES,
    `Creating an ${direction.toLowerCase()} request`,
  );
  const realNow = ctx.clock.now();
  // A request received from a peer node keeps the id it has on the requesting node.
  const id = within?.id ?? uuidv7(realNow.getTime());
  // Read before the transaction: an embedded database has one connection, held by the transaction.
  const { document } = within ?? (await ctx.directory.current());
  const created = await inTransaction(ctx, within, async (tx) => {
    // An exercise request lives on the exercise's clock; a real one on the node's.
    const now = await stepTime(ctx, tx, exerciseId, realNow);
    const prepared = await ctx.prepare(tx, type, direction, fields, now, document);
    const body = prepared.body;
    // An exercise's case files are its own: the same reference never joins a real case.
    const reference = exerciseId
      ? `EXERCISE-${exerciseId.slice(-12)}/${body.caseReference as string}`
      : (body.caseReference as string);
    const caseId = await caseIdFor(tx, reference, uuidv7(realNow.getTime()), now, actor.id);
    const status = initialState(direction);
    const partnerState = (direction === 'OUTGOING' ? body.requestedState : body.requestingState) as string;
    if (exerciseId)
      await ctx.exercises?.checkPartner(
        tx,
        exerciseId,
        partnerState,
        direction === 'OUTGOING' ? '/requestedState' : '/requestingState',
      );
    const base = {
      direction,
      type,
      urgency: body.urgency as string,
      status,
      startedAt: direction === 'INCOMING' ? now : null,
      requestedDeadline: typeof body.deadline === 'string' ? new Date(body.deadline) : null,
      postponedUntil: null,
    };
    await tx.insert(requests).values({
      id,
      caseId,
      ...base,
      requestingState: body.requestingState as string,
      requestedState: body.requestedState as string,
      partnerState,
      body,
      ...legalBasisColumns(prepared),
      draftedBy: actor.id,
      // A request a partner's node delivered is nobody's here until an officer acknowledges or takes it.
      assignedTo: isNodeActor(actor.id) ? null : actor.id,
      ...deadlineFields(ctx, base),
      createdAt: now,
      updatedAt: now,
      exerciseId,
    });
    await replaceLinksAndIdentifiers(tx, id, prepared.links, prepared.identifiers);
    await scheduleTimers(tx, id, now, ctx.preservationPolicy);
    const action = direction === 'OUTGOING' ? 'create' : 'register_incoming';
    await appendEvent(tx, {
      requestId: id,
      at: now,
      actor: actor.id,
      action,
      fromStatus: null,
      toStatus: status,
      details: { legalBasis: prepared.choice.basis },
    });
    await appendAudit(
      tx,
      {
        actor: actor.id,
        action: `request.${action}`,
        objectType: 'request',
        objectId: id,
        payload: { type, direction, status, body, exerciseId },
      },
      // The audit log keeps the real time of every entry, for exercises too.
      realNow,
    );
    const warnings = await ctx.duplicates(tx, id, partnerState, prepared);
    return { request: await showRequest(ctx, tx, id, now), duplicates: warnings };
  });
  ctx.announce('created', direction === 'OUTGOING' ? 'create' : 'register_incoming', id, within);
  return created;
}
