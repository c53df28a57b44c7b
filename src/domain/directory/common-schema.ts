// Small schema pieces shared by the directory document: dates, codes and closed lists that
// belong to the directory only (the cross-cutting vocabulary lives in ../codes.ts).
import { Type } from 'typebox';

/** Calendar date 'YYYY-MM-DD' (legal dates: signature, deposit, entry into force). */
export const IsoDate = Type.String({ format: 'date', errorMessage: 'must be a calendar date YYYY-MM-DD' });

/** Instant with offset, e.g. '2026-09-02T08:00:00Z'. */
export const IsoDateTime = Type.String({
  format: 'date-time',
  errorMessage: 'must be an ISO 8601 date-time with time zone, e.g. 2026-09-02T08:00:00Z',
});

/** Two capital letters; whether the code is assigned is a semantic check (validate-directory). */
export const PartyCode = Type.String({
  pattern: '^[A-Z]{2}$',
  errorMessage: 'must be a two-letter capital code such as VN or FR',
});

export const UpperSnake = Type.String({
  pattern: '^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$',
  errorMessage: 'must be written in UPPER_SNAKE_CASE, e.g. NO_DUAL_CRIMINALITY_FOR_PRESERVATION',
});

export const NonEmptyString = Type.String({ minLength: 1, errorMessage: 'must not be empty' });

/** Instruments other than the UN Convention that a Party can be bound by (legal-basis candidates). */
export const INSTRUMENTS = [
  'BUDAPEST',
  'BUDAPEST_SAP2',
  'UNTOC',
  'UNCAC',
  'EU_E_EVIDENCE',
  'EU_EIO',
] as const;
export type Instrument = (typeof INSTRUMENTS)[number];

/** Ways a State expresses consent to be bound (art. 64). */
export const INSTRUMENT_KINDS = ['RATIFICATION', 'ACCEPTANCE', 'APPROVAL', 'ACCESSION'] as const;
export type InstrumentKind = (typeof INSTRUMENT_KINDS)[number];

/** What a 24/7 point can do (art. 41). */
export const POINT_CAPABILITIES = [
  'TECHNICAL_ADVICE',
  'PRESERVATION',
  'EVIDENCE_COLLECTION',
  'LEGAL_INFORMATION',
  'LOCATE_SUSPECT',
  'EMERGENCY_DISCLOSURE',
] as const;
export type PointCapability = (typeof POINT_CAPABILITIES)[number];

export const CONTACT_CHANNEL_KINDS = ['EMAIL', 'PHONE', 'NODE', 'FAX', 'POSTAL'] as const;
export type ContactChannelKind = (typeof CONTACT_CHANNEL_KINDS)[number];

export const TREATY_KINDS = ['BILATERAL_TREATY', 'REGIONAL_TREATY'] as const;
export type TreatyKind = (typeof TREATY_KINDS)[number];
