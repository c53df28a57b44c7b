// A Party (or a State listed for information) with its Convention record, the other instruments
// that bind it and its authorities.
import { type Static, Type } from 'typebox';
import { Authority } from './authority-schema.ts';
import {
  INSTRUMENT_KINDS,
  INSTRUMENTS,
  IsoDate,
  NonEmptyString,
  PartyCode,
  UpperSnake,
} from './common-schema.ts';

export const Statement = Type.Object(
  { article: NonEmptyString, flag: UpperSnake, text: NonEmptyString },
  { additionalProperties: false },
);
export type Statement = Static<typeof Statement>;

export const ConventionRecord = Type.Object(
  {
    signedOn: Type.Optional(IsoDate),
    depositedOn: Type.Optional(IsoDate),
    instrumentKind: Type.Optional(Type.Enum(INSTRUMENT_KINDS)),
    // Date the notice of denunciation was received; it takes effect one year later (art. 67).
    denouncedOn: Type.Optional(IsoDate),
    declarations: Type.Array(Statement),
    reservations: Type.Array(Statement),
    // Whether the Party takes the Convention as the treaty basis for extradition (art. 37).
    treatyBasisForExtradition: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type ConventionRecord = Static<typeof ConventionRecord>;

export const InstrumentMembership = Type.Object(
  { instrument: Type.Enum(INSTRUMENTS), inForceFrom: IsoDate, until: Type.Optional(IsoDate) },
  { additionalProperties: false },
);
export type InstrumentMembership = Static<typeof InstrumentMembership>;

export const Party = Type.Object(
  {
    code: PartyCode,
    name: NonEmptyString,
    isRegionalOrganisation: Type.Boolean(),
    convention: ConventionRecord,
    instruments: Type.Array(InstrumentMembership),
    authorities: Type.Array(Authority),
  },
  { additionalProperties: false },
);
export type Party = Static<typeof Party>;
