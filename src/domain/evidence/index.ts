// Public API of the evidence domain (issue #15). Pure: no I/O.

export {
  type CarriedCustody,
  CONSENT_ANSWER_MESSAGE,
  CONSENT_DECISIONS,
  CONSENT_GRANT_TYPE,
  CONSENT_REQUEST_MESSAGE,
  type ConsentAnswerBody,
  type ConsentDecision,
  type ConsentGrant,
  type ConsentRequestBody,
  consentAnswerProblems,
  consentRequestProblems,
  grantProblem,
  needsOnwardConsent,
  type OnwardOrigin,
} from './consent.ts';
export {
  type EvidenceMetadata,
  evidenceStateProblem,
  formatTusMetadata,
  PERSONAL_DATA_CATEGORIES,
  type PersonalDataCategory,
  parseTusMetadata,
  validateEvidenceMetadata,
} from './evidence-rules.ts';
export {
  type ConditionsOfUse,
  type EvidenceManifest,
  MANIFEST_TYPE,
  type ManifestItem,
} from './manifest.ts';
