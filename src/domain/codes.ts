// The shared vocabulary of the Convention, as closed lists. Each list is an `as const` array so
// that TypeBox schemas, SQL checks, UI pickers and types all come from the same values.
// Sources: ../shared/docs/convention.md (§2.1 offences, §4.1 request types and legal bases).

export const ROLES = [
  'DUTY_OFFICER', // 24/7 point of contact
  'CENTRAL_AUTHORITY', // central-authority officer (MLA lawyer)
  'INVESTIGATOR',
  'APPROVER', // four-eyes approver of outgoing requests
  'PRIVATE_LIAISON', // bank / telecom / platform liaison (early-warning hub)
  'CERT_ANALYST',
  'AUDITOR', // oversight: read-only, may read the audit log
  'ADMIN',
] as const;
export type Role = (typeof ROLES)[number];

/** Roles whose accounts must have a second factor once TOTP enforcement is configured. */
export const ROLES_REQUIRING_TOTP: readonly Role[] = ['APPROVER', 'ADMIN'];

export const OFFENCE_CODES = [
  'ILLEGAL_ACCESS', // art. 7
  'ILLEGAL_INTERCEPTION', // art. 8
  'DATA_INTERFERENCE', // art. 9
  'SYSTEM_INTERFERENCE', // art. 10
  'MISUSE_OF_DEVICES', // art. 11
  'ICT_FORGERY', // art. 12
  'ICT_THEFT_FRAUD', // art. 13
  'CSAM', // art. 14
  'GROOMING', // art. 15
  'NCII', // art. 16 [U]
  'LAUNDERING', // art. 17
  'UN_INSTRUMENT_OFFENCE_VIA_ICT', // art. 4
  'SERIOUS_CRIME', // art. 2: maximum penalty of at least four years
  'OTHER_ICT_OFFENCE', // art. 23
] as const;
export type OffenceCode = (typeof OFFENCE_CODES)[number];

export const REQUEST_TYPES = [
  'PRESERVATION', // art. 42
  'TRAFFIC_DATA_DISCLOSURE', // art. 43
  'MLA_STORED_DATA', // art. 44
  'MLA_REALTIME_TRAFFIC', // art. 45
  'MLA_INTERCEPTION', // art. 46
  'MLA_GENERAL', // art. 40
  'EMERGENCY_DISCLOSURE', // art. 41 + art. 2 "emergency"
  'ASSISTANCE_24_7', // art. 41
  'SPONTANEOUS_INFORMATION', // arts. 40, 51
  'LE_COOPERATION', // art. 47
  'JOINT_INVESTIGATION', // art. 48
  'EXTRADITION', // art. 37
  'PROVISIONAL_ARREST', // art. 37
] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];

export const LEGAL_BASES = [
  'UNCC',
  'BUDAPEST',
  'BUDAPEST_SAP2',
  'EU_E_EVIDENCE',
  'EU_EIO',
  'UNTOC',
  'UNCAC',
  'BILATERAL_TREATY',
  'REGIONAL_TREATY',
  'RECIPROCITY',
  'DOMESTIC_LAW',
  'POLICE_CHANNEL',
] as const;
export type LegalBasisCode = (typeof LEGAL_BASES)[number];

export const URGENCIES = ['ROUTINE', 'URGENT', 'EMERGENCY'] as const;
export type Urgency = (typeof URGENCIES)[number];

export const AUTHORITY_KINDS = ['POINT_24_7', 'CENTRAL_AUTHORITY', 'COMPETENT_AUTHORITY'] as const;
export type AuthorityKind = (typeof AUTHORITY_KINDS)[number];

export const PARTY_STATUSES = ['NOT_SIGNED', 'SIGNED', 'PARTY_NOT_IN_FORCE', 'PARTY_IN_FORCE'] as const;
export type PartyStatus = (typeof PARTY_STATUSES)[number];

export const DATA_CATEGORIES = ['SUBSCRIBER', 'TRAFFIC', 'CONTENT'] as const;
export type DataCategory = (typeof DATA_CATEGORIES)[number];

export const CHANNELS = [
  'CENTRAL_AUTHORITY',
  'POINT_24_7',
  'DIPLOMATIC',
  'INTERPOL',
  'DIRECT_PROVIDER',
] as const;
export type Channel = (typeof CHANNELS)[number];
