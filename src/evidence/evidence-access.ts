// Art. 36: only the officers of the request's case see or download its evidence. An officer of the
// case is anyone who created the case, drafted, approved, was assigned or acted on one of its requests.
import { sql } from 'drizzle-orm';
import { appendAudit } from '../audit/audit-log.ts';
import { findRequest } from '../requests/request-store.ts';
import type { RequestRow } from '../requests/request-view.ts';
import type { Clock } from '../shared/clock.ts';
import { ForbiddenError, NotFoundError } from '../shared/errors.ts';
import { type Db, rowsOf } from '../store/database.ts';

export async function isCaseOfficer(db: Db, caseId: string, userId: string): Promise<boolean> {
  const rows = rowsOf<{ yes: boolean }>(
    await db.execute(sql`SELECT (
      EXISTS (SELECT 1 FROM cases c WHERE c.id = ${caseId} AND c.created_by = ${userId})
      OR EXISTS (SELECT 1 FROM requests r WHERE r.case_id = ${caseId}
        AND (r.drafted_by = ${userId} OR r.approved_by = ${userId} OR r.assigned_to = ${userId}))
      OR EXISTS (SELECT 1 FROM request_events e JOIN requests r ON r.id = e.request_id
        WHERE r.case_id = ${caseId} AND e.actor = ${userId})
    ) AS yes`),
  );
  return rows[0]?.yes === true;
}

export class NotInCaseError extends ForbiddenError {
  constructor() {
    super(
      "Only the officers of this request's case may see or handle its evidence (art. 36). Ask to be assigned to the request.",
      'ERR_EVIDENCE_NOT_IN_CASE',
    );
  }
}

/**
 * The request, if it exists and the user is an officer of its case; 404 first, then 403. A refusal is
 * audited in its own transaction, so call this before opening one.
 */
export async function requireCaseOfficer(
  db: Db,
  requestId: string,
  userId: string,
  clock: Clock,
): Promise<RequestRow> {
  const row = /^[0-9a-f-]{36}$/i.test(requestId) ? await findRequest(db, requestId) : undefined;
  if (!row) throw new NotFoundError('Request', requestId);
  if (!(await isCaseOfficer(db, row.caseId, userId))) {
    await db.transaction((tx) =>
      appendAudit(
        tx,
        { actor: userId, action: 'evidence.access_refused', objectType: 'request', objectId: requestId },
        clock.now(),
      ),
    );
    throw new NotInCaseError();
  }
  return row;
}
