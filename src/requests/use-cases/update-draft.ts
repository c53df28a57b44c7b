// Edit a draft: the fields given replace the stored ones (null removes one) and the whole request is
// checked again, as when it was created. One transaction with its timeline event and audit entry.
import { eq } from 'drizzle-orm';
import { appendAudit } from '../../audit/audit-log.ts';
import type { RequestType } from '../../domain/codes.ts';
import { type Direction, DRAFTER_ROLES } from '../../domain/requests/index.ts';
import { ConflictError, ValidationError } from '../../shared/errors.ts';
import { uuidv7 } from '../../shared/ids.ts';
import { requests } from '../../store/schema/index.ts';
import { legalBasisColumns } from '../prepare-request.ts';
import { appendEvent, caseIdFor, replaceLinksAndIdentifiers } from '../request-store.ts';
import { scheduleTimers } from '../request-timers.ts';
import { deadlineFields, getRow, requireRole } from './request-guards.ts';
import type { RequestActor, RequestContext } from './request-types.ts';
import { showRequest } from './show-request.ts';

export async function updateDraft(ctx: RequestContext, actor: RequestActor, id: string, patch: unknown) {
  requireRole(actor, DRAFTER_ROLES, 'Editing a draft');
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) {
    throw new ValidationError([{ field: '', message: 'the changes must be a JSON object' }]);
  }
  const changes = patch as Record<string, unknown>;
  for (const fixed of ['type', 'direction'] as const) {
    if (fixed in changes)
      throw new ValidationError([{ field: `/${fixed}`, message: 'cannot change; create a new request' }]);
  }
  const now = ctx.clock.now();
  const { document } = await ctx.directory.current();
  const updated = await ctx.db.transaction(async (tx) => {
    const row = await getRow(tx, id, true);
    if (row.status !== 'draft') {
      throw new ConflictError(
        `Only a draft can be edited; this request is '${row.status}'.`,
        'ERR_NOT_DRAFT',
      );
    }
    const merged = { ...(row.body as Record<string, unknown>), ...changes };
    for (const [k, v] of Object.entries(changes)) if (v === null) delete merged[k];
    const prepared = await ctx.prepare(
      tx,
      row.type as RequestType,
      row.direction as Direction,
      merged,
      now,
      document,
    );
    const body = prepared.body;
    const caseId = await caseIdFor(tx, body.caseReference as string, uuidv7(now.getTime()), now, actor.id);
    const base = {
      direction: row.direction,
      type: row.type,
      urgency: body.urgency as string,
      status: row.status,
      startedAt: row.startedAt,
      requestedDeadline: typeof body.deadline === 'string' ? new Date(body.deadline) : null,
      postponedUntil: row.postponedUntil,
    };
    await tx
      .update(requests)
      .set({
        caseId,
        urgency: base.urgency,
        requestedState: body.requestedState as string,
        partnerState: body.requestedState as string,
        body,
        ...legalBasisColumns(prepared),
        requestedDeadline: base.requestedDeadline,
        ...deadlineFields(ctx, base),
        version: row.version + 1,
        updatedAt: now,
      })
      .where(eq(requests.id, id));
    await replaceLinksAndIdentifiers(tx, id, prepared.links, prepared.identifiers);
    await scheduleTimers(tx, id, now, ctx.preservationPolicy);
    await appendEvent(tx, {
      requestId: id,
      at: now,
      actor: actor.id,
      action: 'update',
      fromStatus: row.status,
      toStatus: row.status,
      details: { fields: Object.keys(changes) },
    });
    await appendAudit(
      tx,
      { actor: actor.id, action: 'request.update', objectType: 'request', objectId: id, payload: { body } },
      now,
    );
    const warnings = await ctx.duplicates(tx, id, body.requestedState as string, prepared);
    return { request: await showRequest(ctx, tx, id, now), duplicates: warnings };
  });
  ctx.announce('changed', 'update', id);
  return updated;
}
