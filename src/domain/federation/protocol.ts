// The protocol between two nodes as a table: which step on one copy of a request sends which
// message, and which step the message makes on the other copy, so both show the same state.
// Steps recorded from a partner's message (record_*) send nothing: that is what stops echoes.

export const MESSAGE_TYPES = [
  'request',
  'acknowledgement',
  'info_request',
  'info_answer',
  'consultation',
  'conditions_accepted',
  'status_update',
  'partial_result',
  'result',
  'refusal',
  'postponement',
  'withdrawal',
  'extension',
  // Hub alerts of a sharing group shared between nodes (published, updated, revoked, withdrawn) and
  // the sightings and false positives sent back to their publisher: not steps of a request, so no
  // rule below; src/hub/hub-federation.ts sends and applies them.
  'alert',
  'alert_feedback',
  // Consent to the onward transfer of an evidence package to a third State (art. 36): asked by the
  // State that received the package, answered by the State that sealed it; src/evidence/consent-service.ts
  // sends and applies them.
  'evidence_consent_request',
  'evidence_consent_answer',
  // A member's released implementation report, sent to its region's hub for the regional aggregate
  // (src/reports/regional-reports.ts).
  'indicator_report',
  // Joint exercises (issue #18): an indicator shared inside an exercise, and the controller's clock
  // (pause, resume, jump) for the joined nodes; src/exercises/exercise-federation.ts sends and applies them.
  // The controller's end for the joined nodes, and each one's final score back to the controller:
  // src/exercises/exercise-end-federation.ts.
  'exercise_alert',
  'exercise_clock',
  'exercise_end',
  'exercise_score',
] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

/** The message types that travel only as exercise traffic: their signed header always names the exercise. */
export const EXERCISE_MESSAGE_TYPES: readonly MessageType[] = [
  'exercise_alert',
  'exercise_clock',
  'exercise_end',
  'exercise_score',
];

export function isExerciseMessage(type: string): boolean {
  return (EXERCISE_MESSAGE_TYPES as readonly string[]).includes(type);
}

/**
 * On the wire, a request step that belongs to an exercise is typed `exercise:<type>`. A node of a
 * release before exercises drops the header's `exerciseId` it does not know; with the plain type it
 * would take an exercise request as a real case, with this one it refuses an unknown message type.
 */
export const EXERCISE_WIRE_PREFIX = 'exercise:';

/** The type a message travels under. */
export function wireType(type: string, exerciseId: string | null | undefined): string {
  return exerciseId && !isExerciseMessage(type) ? `${EXERCISE_WIRE_PREFIX}${type}` : type;
}

type Rule = {
  /** The step on the sender's copy and its direction there. */
  sentBy: { direction: 'OUTGOING' | 'INCOMING'; action: string };
  type: MessageType;
  /** The step it makes on the receiver's copy; null: the message creates the receiver's copy. */
  applies: string | null;
  /** Inputs of the step carried in the message. */
  carries: readonly ('reason' | 'ground' | 'until' | 'message' | 'conditions')[];
};

export const PROTOCOL: readonly Rule[] = [
  { sentBy: { direction: 'OUTGOING', action: 'send' }, type: 'request', applies: null, carries: [] },
  {
    sentBy: { direction: 'OUTGOING', action: 'answer_info_request' },
    type: 'info_answer',
    applies: 'info_received',
    carries: ['message'],
  },
  {
    sentBy: { direction: 'OUTGOING', action: 'withdraw' },
    type: 'withdrawal',
    applies: 'record_withdrawal',
    carries: ['reason'],
  },
  {
    sentBy: { direction: 'INCOMING', action: 'acknowledge' },
    type: 'acknowledgement',
    applies: 'record_acknowledgement',
    carries: [],
  },
  {
    sentBy: { direction: 'INCOMING', action: 'request_info' },
    type: 'info_request',
    applies: 'record_info_request',
    carries: ['message'],
  },
  {
    sentBy: { direction: 'INCOMING', action: 'open_consultation' },
    type: 'consultation',
    applies: 'record_consultation',
    carries: ['message', 'conditions'],
  },
  {
    sentBy: { direction: 'INCOMING', action: 'start_execution' },
    type: 'status_update',
    applies: 'record_execution',
    carries: [],
  },
  {
    sentBy: { direction: 'INCOMING', action: 'report_partial' },
    type: 'partial_result',
    applies: 'record_partial_result',
    carries: ['message'],
  },
  {
    sentBy: { direction: 'INCOMING', action: 'complete' },
    type: 'result',
    applies: 'record_result',
    carries: ['message'],
  },
  {
    sentBy: { direction: 'INCOMING', action: 'refuse' },
    type: 'refusal',
    applies: 'record_refusal',
    carries: ['ground', 'reason'],
  },
  {
    sentBy: { direction: 'INCOMING', action: 'postpone' },
    type: 'postponement',
    applies: 'record_postponement',
    carries: ['reason', 'until'],
  },
  {
    sentBy: { direction: 'INCOMING', action: 'extend_preservation' },
    type: 'extension',
    applies: 'record_extension',
    carries: [],
  },
];

/** The message a step sends to the partner, or null when the step stays local. */
export function messageForStep(direction: string, action: string): Rule | null {
  return PROTOCOL.find((r) => r.sentBy.direction === direction && r.sentBy.action === action) ?? null;
}

/** How a received message is applied, or null for a type this node does not know. */
export function ruleForMessage(type: string): Rule | null {
  return PROTOCOL.find((r) => r.type === type) ?? null;
}

/** The direction of the receiver's copy: the opposite of the sender's. */
export function receiverDirection(rule: Rule): 'OUTGOING' | 'INCOMING' {
  return rule.sentBy.direction === 'OUTGOING' ? 'INCOMING' : 'OUTGOING';
}

/** Picks the inputs a message carries out of the step's inputs. */
export function carriedInputs(rule: Rule, input: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of rule.carries) if (input[key] !== undefined) out[key] = input[key];
  return out;
}
