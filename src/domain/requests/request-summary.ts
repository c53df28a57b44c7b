// What the API, the CLI and the desk show of a request in a list: one type for the server and the web.
import type { Urgency } from '../codes.ts';
import type { Direction } from './vocabulary.ts';

/** A request as listed: its state, parties, legal basis and next deadline (dates as ISO strings). */
export type RequestSummary = {
  id: string;
  caseId: string;
  caseReference: string;
  direction: Direction;
  type: string;
  status: string;
  urgency: Urgency;
  requestingState: string;
  requestedState: string;
  partnerState: string;
  legalBasis: { basis: string; treatyRef: string | null; reason: string };
  assignedTo: string | null;
  emergencyApprovalPending: boolean;
  emergencyApprovalDueAt: string | null;
  nextDue: { kind: string; dueAt: string } | null;
  overdue: boolean;
  createdAt: string;
  updatedAt: string;
  /** The exercise the request belongs to (issue #18): shown as EXERCISE everywhere; null for real work. */
  exerciseId?: string | null;
};
