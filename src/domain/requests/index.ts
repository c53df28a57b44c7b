// Public API of the request domain: schemas per type, validation, the life cycle, deadlines and
// preservation. Pure: no I/O, time comes from the caller.

export { type ChooseInput, chooseLegalBasis, type LegalBasisChoice } from './choose-legal-basis.ts';
export {
  currentDeadline,
  DEFAULT_DEADLINE_POLICY,
  type Deadline,
  type DeadlineInput,
  type DeadlinePolicy,
  executeBy,
  isEmergencyApprovalOverdue,
  isOverdue,
  resolveDeadlinePolicy,
} from './deadlines.ts';
export { addMs, DAY_MS, durationMs } from './durations.ts';
export {
  FIELD_LABELS,
  FORM_LANGUAGES,
  FORM_TEXT,
  type FormLanguage,
  formLanguageFor,
  TYPE_TITLES,
} from './form-labels.ts';
export { normaliseIdentifier } from './identifiers.ts';
export {
  DRAFTER_ROLES,
  HANDLER_ROLES,
  initialState,
  REQUEST_ACTIONS,
  type RequestAction,
  TRANSITIONS,
  type TransitionRule,
} from './lifecycle.ts';
export {
  DEFAULT_PRESERVATION_POLICY,
  dueReminders,
  extendPreservation,
  holdsPreservation,
  type LinkedRequest,
  type PreservationPolicy,
  type PreservationStatus,
  preservationExpiry,
  preservationFloor,
  preservationStatus,
  reminderTimes,
  resolvePreservationPolicy,
} from './preservation.ts';
export { dualCriminalityStatement, type GroundList, refusalGroundsFor } from './refusal-grounds.ts';
export { parseRequestPolicy, type RequestPolicy } from './request-policy.ts';
export { INTRUSIVE_TYPES, REQUEST_SCHEMAS } from './request-schemas.ts';
export type { RequestSummary } from './request-summary.ts';
export { type PlannedTimer, planTimers, TIMER_KINDS, type TimerInput, type TimerKind } from './timers.ts';
export {
  type Actor,
  allowedNextSteps,
  decideTransition,
  type LifecycleSnapshot,
  type NextStep,
  type TransitionDecision,
  type TransitionInput,
  type TransitionOptions,
  type TransitionOutcome,
} from './transition.ts';
export {
  articleOf,
  isRequestType,
  type RequestProblem,
  type RequestValidation,
  validateRequest,
} from './validate-request.ts';
export * from './vocabulary.ts';
