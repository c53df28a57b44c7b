// Public API of the legal-basis domain: entry into force, the art. 35 scope gate and the resolver.
export {
  DEFAULT_BASIS_ORDER,
  type LegalBasisCandidate,
  pickPrimaryBasis,
  type ReasonPart,
  type ResolvableBasis,
} from './candidate.ts';
export {
  conventionInForceFrom,
  conventionInForceOn,
  conventionInForceUntil,
  conventionStatus,
  type GeneralEntryIntoForce,
  generalEntryIntoForce,
} from './entry-into-force.ts';
export { InvalidDateError, SamePartyError, UnknownPartyError } from './errors.ts';
export { type CoverageTable, DEFAULT_COVERAGE, INSTRUMENT_NAMES } from './instrument-coverage.ts';
export { E_EVIDENCE_REQUEST_TYPES, REQUEST_TYPE_LABELS, UNCC_ARTICLES } from './request-labels.ts';
export { RECIPROCITY_REASON, type ResolveLegalBasisInput, resolveLegalBasis } from './resolve-legal-basis.ts';
export {
  CONVENTION_OFFENCE_ARTICLES,
  DEFAULT_SERIOUS_CRIME_MONTHS,
  type ScopeDecision,
  type ScopeGateInput,
  type ScopeGateOptions,
  type ScopeGateResult,
  type ScopeOffence,
  scopeGate,
  seeksElectronicEvidence,
} from './scope-gate.ts';
