// Closed lists of the request domain (convention.md §4.2, §5.5): states, directions, refusal
// grounds and the kinds of identifiers, persons and assistance a request can name.

/** Which copy of a request this node holds: the one it sends, or the one it received. */
export const DIRECTIONS = ['OUTGOING', 'INCOMING'] as const;
export type Direction = (typeof DIRECTIONS)[number];

export const REQUEST_STATES = [
  'draft',
  'pending_approval',
  'approved',
  'sent',
  'received',
  'acknowledged',
  'consultation',
  'info_requested',
  'in_execution',
  'partially_executed',
  'executed',
  'refused',
  'postponed',
  'withdrawn',
  'closed',
] as const;
export type RequestState = (typeof REQUEST_STATES)[number];

/**
 * How a step with a partner without a node was carried out by hand (the printed form posted,
 * e-mailed, handed over...): recorded with the step, with the letter's or message's reference.
 */
export const MANUAL_MEANS = [
  'EMAIL',
  'POST',
  'COURIER',
  'FAX',
  'DIPLOMATIC_POUCH',
  'HAND_DELIVERY',
  'OTHER',
] as const;
export type ManualMeans = (typeof MANUAL_MEANS)[number];

/** States in which nothing more is expected from either side; deadlines stop. */
export const SETTLED_STATES: readonly RequestState[] = ['executed', 'refused', 'withdrawn', 'closed'];

/**
 * Grounds on which assistance may be refused (art. 40 [U]; POLITICAL_OFFENCE from Budapest arts. 27,
 * 29). Reasons in writing are always required besides the ground.
 */
export const REFUSAL_GROUNDS = [
  'NON_CONFORMING_REQUEST',
  'ESSENTIAL_INTERESTS',
  'DOMESTIC_PROHIBITION',
  'CONTRARY_TO_LEGAL_SYSTEM',
  'PERSECUTION_RISK',
  'NO_DUAL_CRIMINALITY',
  'DATA_PROTECTION',
  'POLITICAL_OFFENCE',
] as const;
export type RefusalGround = (typeof REFUSAL_GROUNDS)[number];

/** Grounds the Convention rules out as the sole reason to refuse (art. 40 [U]). */
export const EXCLUDED_REFUSAL_GROUNDS: Readonly<Record<string, string>> = {
  BANK_SECRECY: 'bank secrecy is not a ground to refuse mutual legal assistance',
  FISCAL_MATTERS: 'that the offence also involves fiscal matters is not a ground to refuse',
};

export const IDENTIFIER_KINDS = [
  'PHONE_NUMBER',
  'EMAIL',
  'IP_ADDRESS',
  'ACCOUNT',
  'BANK_ACCOUNT',
  'CRYPTO_WALLET',
  'URL',
  'DOMAIN',
  'DEVICE_ID',
  'OTHER',
] as const;
export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number];

export const PERSON_ROLES = ['SUSPECT', 'VICTIM', 'WITNESS', 'ACCOUNT_HOLDER', 'OTHER'] as const;

/** Kinds of assistance under art. 40 (convention.md §5.5, `MlaMeasure`). */
export const MLA_MEASURES = [
  'TAKING_EVIDENCE',
  'SERVICE_OF_DOCUMENTS',
  'SEARCH_SEIZURE_FREEZING',
  'STORED_DATA',
  'REALTIME_TRAFFIC',
  'INTERCEPTION',
  'EXAMINING_OBJECTS_SITES',
  'INFORMATION_EXPERT_EVALUATION',
  'CERTIFIED_RECORDS',
  'TRACING_PROCEEDS',
  'VOLUNTARY_APPEARANCE',
  'ASSET_RECOVERY',
  'OTHER',
] as const;

/** What a 24/7 point is asked for under art. 41 besides preservation and emergency disclosure. */
export const ASSISTANCE_24_7_KINDS = [
  'TECHNICAL_ADVICE',
  'LEGAL_INFORMATION',
  'LOCATE_SUSPECT',
  'EVIDENCE_COLLECTION',
] as const;

/** Art. 47 subjects of law-enforcement cooperation. */
export const LE_COOPERATION_KINDS = [
  'IDENTITY',
  'WHEREABOUTS',
  'ACTIVITIES',
  'PROCEEDS_MOVEMENT',
  'ITEMS_FOR_ANALYSIS',
  'MODUS_OPERANDI',
  'LIAISON_OFFICER',
  'EARLY_IDENTIFICATION',
] as const;

/** Kinds of independent authorisation (art. 24 safeguards, convention.md §6.2). */
export const AUTHORISATION_KINDS = ['JUDICIAL', 'PROSECUTORIAL', 'INDEPENDENT_BODY', 'NOT_REQUIRED'] as const;
