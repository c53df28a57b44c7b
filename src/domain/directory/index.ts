// Public API of the directory domain: the document format, its validation and the demo data.
export type { Authority, ContactChannel, NodeEndpoint, NodeKey, WorkingHours } from './authority-schema.ts';
export { Authority as AuthoritySchema } from './authority-schema.ts';
export {
  CONTACT_CHANNEL_KINDS,
  type ContactChannelKind,
  INSTRUMENT_KINDS,
  INSTRUMENTS,
  type Instrument,
  type InstrumentKind,
  POINT_CAPABILITIES,
  type PointCapability,
  TREATY_KINDS,
  type TreatyKind,
} from './common-schema.ts';
export { buildDemoDirectory, DEMO_GENERAL_ENTRY_INTO_FORCE } from './demo-directory.ts';
export {
  ConventionRules,
  DEFAULT_CONVENTION_RULES,
  DirectoryDocument,
} from './directory-schema.ts';
export {
  ISO_3166_1,
  isIso3166Alpha2,
  isRegionalOrganisationCode,
  REGIONAL_ORGANISATION_CODES,
} from './iso-3166.ts';
export type { ConventionRecord, InstrumentMembership, Party, Statement } from './party-schema.ts';
export { Party as PartySchema } from './party-schema.ts';
export type { DirectoryProblem } from './problem.ts';
export type { Treaty } from './treaty-schema.ts';
export { Treaty as TreatySchema } from './treaty-schema.ts';
export { type DirectoryValidation, validateDirectory } from './validate-directory.ts';
