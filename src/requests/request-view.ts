// What the API and CLI show of a stored request: the row with its deadline, flags and legal basis.

import type { RequestType, Urgency } from '../domain/codes.ts';
import {
  currentDeadline,
  type DeadlinePolicy,
  type Direction,
  isEmergencyApprovalOverdue,
  preservationStatus,
  type RequestState,
  type RequestSummary,
} from '../domain/requests/index.ts';
import type { requests } from '../store/schema/index.ts';

export type { RequestSummary };

export type RequestRow = typeof requests.$inferSelect;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The columns a request's running deadline is computed from. */
export type DeadlineColumns = Pick<
  RequestRow,
  'direction' | 'type' | 'urgency' | 'status' | 'startedAt' | 'requestedDeadline' | 'postponedUntil'
>;

/** The deadline a stored request runs against now, or null. */
export function deadlineOfRow(row: DeadlineColumns, policy: DeadlinePolicy) {
  return currentDeadline(
    {
      direction: row.direction as Direction,
      type: row.type as RequestType,
      urgency: row.urgency as Urgency,
      state: row.status as RequestState,
      startedAt: row.startedAt,
      requestedDeadline: row.requestedDeadline,
      postponedUntil: row.postponedUntil,
    },
    policy,
  );
}

/** The summary of a row at `now` (overdue is relative to the caller's clock). */
export function toSummary(
  row: RequestRow,
  caseReference: string,
  now: Date,
  policy: DeadlinePolicy,
): RequestSummary {
  const deadline = deadlineOfRow(row, policy);
  const approvalLate = isEmergencyApprovalOverdue(row, now);
  return {
    id: row.id,
    caseId: row.caseId,
    caseReference,
    direction: row.direction as Direction,
    type: row.type,
    status: row.status,
    urgency: row.urgency as Urgency,
    requestingState: row.requestingState,
    requestedState: row.requestedState,
    partnerState: row.partnerState,
    legalBasis: { basis: row.legalBasis, treatyRef: row.treatyRef, reason: row.legalBasisReason },
    assignedTo: row.assignedTo,
    emergencyApprovalPending: row.emergencyApprovalPending,
    emergencyApprovalDueAt: iso(row.emergencyApprovalDueAt),
    nextDue: deadline ? { kind: deadline.kind, dueAt: deadline.dueAt.toISOString() } : null,
    overdue: approvalLate || (deadline !== null && deadline.dueAt < now),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    exerciseId: row.exerciseId ?? null,
  };
}

export type PreservationView = { expiresAt: string; status: string; extensions: number } | null;

export function preservationView(row: RequestRow, linkedMlaUndecided: boolean, now: Date): PreservationView {
  if (row.type !== 'PRESERVATION' || !row.preservationExpiresAt) return null;
  return {
    expiresAt: row.preservationExpiresAt.toISOString(),
    status: preservationStatus({ expiresAt: row.preservationExpiresAt, linkedMlaUndecided }, now),
    extensions: row.preservationExtensions,
  };
}
