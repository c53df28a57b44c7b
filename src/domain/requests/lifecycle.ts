// The life cycle of a request as an explicit table (convention.md §4.2). The requesting node's copy
// (OUTGOING) and the requested node's copy (INCOMING) have their own transitions; each names the
// roles that may make it and what it needs (a refusal ground, reasons, a date...).
import type { RequestType, Role } from '../codes.ts';
import type { Direction, RequestState } from './vocabulary.ts';

export const REQUEST_ACTIONS = [
  'submit',
  'approve',
  'return_to_draft',
  'send',
  'record_acknowledgement',
  'record_info_request',
  'answer_info_request',
  'record_consultation',
  'accept_conditions',
  'record_execution',
  'record_partial_result',
  'record_result',
  'record_refusal',
  'record_postponement',
  'withdraw',
  'acknowledge',
  'request_info',
  'info_received',
  'open_consultation',
  'start_execution',
  'report_partial',
  'complete',
  'refuse',
  'postpone',
  'record_withdrawal',
  'extend_preservation',
  'record_extension',
  'assign',
  'close',
] as const;
export type RequestAction = (typeof REQUEST_ACTIONS)[number];

/** What a transition needs besides the action: each checked before anything is written. */
export type Requirement = 'reason' | 'ground' | 'until' | 'message' | 'assignee';

export type TransitionRule = {
  action: RequestAction;
  direction: Direction;
  from: readonly RequestState[];
  /** 'same' keeps the state: approval after an emergency send, assignment. */
  to: RequestState | 'same';
  roles: readonly Role[];
  requires?: readonly Requirement[];
  /** Limits the rule to some requests; `why` explains the limit when it does not hold. */
  when?: {
    test: (s: { urgency: string; type: RequestType; emergencyApprovalPending: boolean }) => boolean;
    why: string;
  };
  article?: string;
};

/** Who composes outgoing requests. */
export const DRAFTER_ROLES: readonly Role[] = ['DUTY_OFFICER', 'CENTRAL_AUTHORITY', 'INVESTIGATOR'];
/** Who handles requests with partners: sends, records answers, executes incoming ones. */
export const HANDLER_ROLES: readonly Role[] = ['DUTY_OFFICER', 'CENTRAL_AUTHORITY'];
const APPROVERS: readonly Role[] = ['APPROVER'];

const AFTER_SEND: readonly RequestState[] = [
  'sent',
  'acknowledged',
  'consultation',
  'info_requested',
  'in_execution',
  'partially_executed',
  'postponed',
];
const INCOMING_OPEN: readonly RequestState[] = [
  'received',
  'acknowledged',
  'consultation',
  'info_requested',
  'in_execution',
  'partially_executed',
  'postponed',
];
// Assignment works on any copy that is not closed; each direction lists only the states its copy has.
const SETTLED_OPEN_TO_CLOSE: readonly RequestState[] = ['executed', 'refused', 'withdrawn'];
const OUTGOING_NOT_CLOSED: readonly RequestState[] = [
  'draft',
  'pending_approval',
  'approved',
  ...AFTER_SEND,
  ...SETTLED_OPEN_TO_CLOSE,
];
const INCOMING_NOT_CLOSED: readonly RequestState[] = [...INCOMING_OPEN, ...SETTLED_OPEN_TO_CLOSE];

const emergencyOnly = {
  test: (s: { urgency: string }) => s.urgency === 'EMERGENCY',
  why: 'only an emergency request may be sent before approval; it must then be approved in time',
};

const preservationOnly = {
  test: (s: { type: RequestType }) => s.type === 'PRESERVATION',
  why: 'only a preservation is extended',
};

export const TRANSITIONS: readonly TransitionRule[] = [
  // The requesting node's copy.
  { action: 'submit', direction: 'OUTGOING', from: ['draft'], to: 'pending_approval', roles: DRAFTER_ROLES },
  { action: 'approve', direction: 'OUTGOING', from: ['pending_approval'], to: 'approved', roles: APPROVERS },
  {
    action: 'approve',
    direction: 'OUTGOING',
    from: AFTER_SEND,
    to: 'same',
    roles: APPROVERS,
    when: {
      test: (s) => s.emergencyApprovalPending,
      why: 'this request is already approved',
    },
  },
  {
    action: 'return_to_draft',
    direction: 'OUTGOING',
    from: ['pending_approval'],
    to: 'draft',
    roles: APPROVERS,
    requires: ['reason'],
  },
  { action: 'send', direction: 'OUTGOING', from: ['approved'], to: 'sent', roles: HANDLER_ROLES },
  {
    action: 'send',
    direction: 'OUTGOING',
    from: ['draft', 'pending_approval'],
    to: 'sent',
    roles: HANDLER_ROLES,
    when: emergencyOnly,
    article: 'art. 41',
  },
  {
    action: 'record_acknowledgement',
    direction: 'OUTGOING',
    from: ['sent'],
    to: 'acknowledged',
    roles: HANDLER_ROLES,
  },
  {
    action: 'record_info_request',
    direction: 'OUTGOING',
    from: ['sent', 'acknowledged', 'consultation', 'in_execution'],
    to: 'info_requested',
    roles: HANDLER_ROLES,
    requires: ['message'],
    article: 'art. 40',
  },
  {
    action: 'answer_info_request',
    direction: 'OUTGOING',
    from: ['info_requested'],
    to: 'acknowledged',
    roles: HANDLER_ROLES,
    requires: ['message'],
  },
  {
    action: 'record_consultation',
    direction: 'OUTGOING',
    from: ['sent', 'acknowledged', 'info_requested', 'in_execution'],
    to: 'consultation',
    roles: HANDLER_ROLES,
    requires: ['message'],
    article: 'art. 40',
  },
  {
    action: 'accept_conditions',
    direction: 'OUTGOING',
    from: ['consultation'],
    to: 'acknowledged',
    roles: HANDLER_ROLES,
    requires: ['message'],
    article: 'art. 40',
  },
  {
    action: 'record_execution',
    direction: 'OUTGOING',
    // 'consultation': the requested side may start executing once its conditions are met.
    from: ['sent', 'acknowledged', 'consultation', 'postponed'],
    to: 'in_execution',
    roles: HANDLER_ROLES,
  },
  {
    action: 'record_partial_result',
    direction: 'OUTGOING',
    from: ['in_execution', 'partially_executed'],
    to: 'partially_executed',
    roles: HANDLER_ROLES,
  },
  {
    action: 'record_result',
    direction: 'OUTGOING',
    from: ['acknowledged', 'in_execution', 'partially_executed'],
    to: 'executed',
    roles: HANDLER_ROLES,
  },
  {
    action: 'record_refusal',
    direction: 'OUTGOING',
    from: ['sent', 'acknowledged', 'consultation', 'info_requested', 'in_execution'],
    to: 'refused',
    roles: HANDLER_ROLES,
    requires: ['ground', 'reason'],
    article: 'art. 40',
  },
  {
    action: 'record_postponement',
    direction: 'OUTGOING',
    from: ['acknowledged', 'consultation', 'in_execution'],
    to: 'postponed',
    roles: HANDLER_ROLES,
    requires: ['reason', 'until'],
    article: 'art. 40',
  },
  {
    action: 'withdraw',
    direction: 'OUTGOING',
    from: ['draft', 'pending_approval', 'approved', ...AFTER_SEND],
    to: 'withdrawn',
    roles: HANDLER_ROLES,
    requires: ['reason'],
  },
  {
    action: 'close',
    direction: 'OUTGOING',
    from: ['executed', 'refused', 'withdrawn'],
    to: 'closed',
    roles: HANDLER_ROLES,
  },
  {
    action: 'close',
    direction: 'OUTGOING',
    from: ['acknowledged'],
    to: 'closed',
    roles: HANDLER_ROLES,
    when: {
      test: (s) => s.type === 'SPONTANEOUS_INFORMATION',
      why: 'only spontaneous information is closed once acknowledged; other requests await their result',
    },
  },
  // The requested node's copy.
  {
    action: 'acknowledge',
    direction: 'INCOMING',
    from: ['received'],
    to: 'acknowledged',
    roles: HANDLER_ROLES,
  },
  {
    action: 'request_info',
    direction: 'INCOMING',
    from: ['received', 'acknowledged', 'consultation'],
    to: 'info_requested',
    roles: HANDLER_ROLES,
    requires: ['message'],
    article: 'art. 40',
  },
  {
    action: 'info_received',
    direction: 'INCOMING',
    from: ['info_requested'],
    to: 'acknowledged',
    roles: HANDLER_ROLES,
    requires: ['message'],
  },
  {
    action: 'open_consultation',
    direction: 'INCOMING',
    from: ['acknowledged', 'info_requested', 'in_execution'],
    to: 'consultation',
    roles: HANDLER_ROLES,
    requires: ['message'],
    article: 'art. 40',
  },
  {
    action: 'start_execution',
    direction: 'INCOMING',
    from: ['acknowledged', 'consultation', 'postponed'],
    to: 'in_execution',
    roles: HANDLER_ROLES,
  },
  {
    action: 'report_partial',
    direction: 'INCOMING',
    from: ['in_execution', 'partially_executed'],
    to: 'partially_executed',
    roles: HANDLER_ROLES,
  },
  {
    action: 'complete',
    direction: 'INCOMING',
    from: ['in_execution', 'partially_executed'],
    to: 'executed',
    roles: HANDLER_ROLES,
  },
  // Consultation first: the requested side proposes conditions before it refuses or postpones.
  {
    action: 'refuse',
    direction: 'INCOMING',
    from: ['consultation'],
    to: 'refused',
    roles: HANDLER_ROLES,
    requires: ['ground', 'reason'],
    article: 'art. 40',
  },
  {
    action: 'postpone',
    direction: 'INCOMING',
    from: ['consultation'],
    to: 'postponed',
    roles: HANDLER_ROLES,
    requires: ['reason', 'until'],
    article: 'art. 40',
  },
  {
    action: 'record_withdrawal',
    direction: 'INCOMING',
    from: INCOMING_OPEN,
    to: 'withdrawn',
    roles: HANDLER_ROLES,
    requires: ['reason'],
  },
  {
    action: 'close',
    direction: 'INCOMING',
    from: ['executed', 'refused', 'withdrawn'],
    to: 'closed',
    roles: HANDLER_ROLES,
  },
  {
    action: 'close',
    direction: 'INCOMING',
    from: ['acknowledged'],
    to: 'closed',
    roles: HANDLER_ROLES,
    when: {
      test: (s) => s.type === 'SPONTANEOUS_INFORMATION',
      why: 'only spontaneous information is closed once acknowledged; other requests await their result',
    },
  },
  // Art. 42: the requested side grants an extension of preservation; the requesting side records it.
  {
    action: 'extend_preservation',
    direction: 'INCOMING',
    from: ['executed'],
    to: 'same',
    roles: HANDLER_ROLES,
    when: preservationOnly,
    article: 'art. 42',
  },
  {
    action: 'record_extension',
    direction: 'OUTGOING',
    from: ['executed'],
    to: 'same',
    roles: HANDLER_ROLES,
    when: preservationOnly,
    article: 'art. 42',
  },
  // Both copies.
  {
    action: 'assign',
    direction: 'OUTGOING',
    from: OUTGOING_NOT_CLOSED,
    to: 'same',
    roles: [...HANDLER_ROLES, 'APPROVER'],
    requires: ['assignee'],
  },
  {
    action: 'assign',
    direction: 'INCOMING',
    from: INCOMING_NOT_CLOSED,
    to: 'same',
    roles: [...HANDLER_ROLES, 'APPROVER'],
    requires: ['assignee'],
  },
];

/** The state a new copy starts in. */
export function initialState(direction: Direction): RequestState {
  return direction === 'OUTGOING' ? 'draft' : 'received';
}
