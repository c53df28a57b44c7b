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
import { deadlineFields, inTransaction, requireRole } from './request-guards.ts';
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
  const { type, direction: rawDirection, ...fields } = input as Record<string, unknown>;
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
  const now = ctx.clock.now();
  // A request received from a peer node keeps the id it has on the requesting node.
  const id = within?.id ?? uuidv7(now.getTime());
  // Read before the transaction: an embedded database has one connection, held by the transaction.
  const { document } = within ?? (await ctx.directory.current());
  const created = await inTransaction(ctx, within, async (tx) => {
    const prepared = await ctx.prepare(tx, type, direction, fields, now, document);
    const body = prepared.body;
    const caseId = await caseIdFor(tx, body.caseReference as string, uuidv7(now.getTime()), now, actor.id);
    const status = initialState(direction);
    const partnerState = (direction === 'OUTGOING' ? body.requestedState : body.requestingState) as string;
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
        payload: { type, direction, status, body },
      },
      now,
    );
    const warnings = await ctx.duplicates(tx, id, partnerState, prepared);
    return { request: await showRequest(ctx, tx, id, now), duplicates: warnings };
  });
  ctx.announce('created', direction === 'OUTGOING' ? 'create' : 'register_incoming', id, within);
  return created;
}
