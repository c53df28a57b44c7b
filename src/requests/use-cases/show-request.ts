// Show one request: its summary, body, legal basis, preservation, the steps allowed next and its
// timeline. The other use cases answer with it after their write, read in the same transaction.
import { allowedNextSteps } from '../../domain/requests/index.ts';
import type { Db } from '../../store/database.ts';
import { caseReferenceOf, hasUndecidedLinkedRequest, listEvents } from '../request-store.ts';
import { preservationView, toSummary } from '../request-view.ts';
import { getRow, snapshotOf } from './request-guards.ts';
import type { RequestContext } from './request-types.ts';

export async function showRequest(ctx: RequestContext, tx: Db, id: string, now = ctx.clock.now()) {
  const row = await getRow(tx, id);
  const caseReference = await caseReferenceOf(tx, row.caseId);
  const events = await listEvents(tx, id);
  const held = row.type === 'PRESERVATION' ? await hasUndecidedLinkedRequest(tx, id) : false;
  return {
    ...toSummary(row, caseReference, now, ctx.policy),
    body: row.body as Record<string, unknown>,
    scope: { result: row.scopeResult, reason: row.scopeReason },
    legalBasisCandidates: row.legalBasisCandidates,
    draftedBy: row.draftedBy,
    approvedBy: row.approvedBy,
    executedAt: row.executedAt ? row.executedAt.toISOString() : null,
    postponedUntil: row.postponedUntil ? row.postponedUntil.toISOString() : null,
    preservation: preservationView(row, held, now),
    version: row.version,
    nextSteps: allowedNextSteps(snapshotOf(row)),
    timeline: events.map((e) => ({
      at: e.at.toISOString(),
      actor: e.actor,
      action: e.action,
      from: e.fromStatus,
      to: e.toStatus,
      details: e.details,
    })),
  };
}

/** A request as stored now, outside any transaction. */
export async function getRequest(ctx: RequestContext, id: string) {
  return showRequest(ctx, ctx.db, id);
}
