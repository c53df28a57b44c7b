// The Directory of Parties as ONE JSON document: signed by a publisher, shipped between nodes and
// stored as versions. `formatVersion` lets a later format be told apart before it is parsed.
import { type Static, Type } from 'typebox';
import { IsoDate, IsoDateTime } from './common-schema.ts';
import { Party } from './party-schema.ts';
import { Treaty } from './treaty-schema.ts';

/** Art. 65 parameters. Configurable because art. 65(2) is unverified (convention.md §11). */
export const ConventionRules = Type.Object(
  {
    instrumentsForEntryIntoForce: Type.Integer({ minimum: 1 }),
    daysAfterThreshold: Type.Integer({ minimum: 0 }),
    daysAfterLaterDeposit: Type.Integer({ minimum: 0 }),
    // The real general date once known; it wins over the computation from listed deposits.
    generalEntryIntoForce: Type.Optional(IsoDate),
  },
  { additionalProperties: false },
);
export type ConventionRules = Static<typeof ConventionRules>;

export const DEFAULT_CONVENTION_RULES: ConventionRules = Object.freeze({
  instrumentsForEntryIntoForce: 40,
  daysAfterThreshold: 90,
  daysAfterLaterDeposit: 30,
});

export const DirectoryDocument = Type.Object(
  {
    formatVersion: Type.Literal(1, {
      errorMessage: 'must be 1 (the only directory format this software reads)',
    }),
    // true marks demo data; every screen and printout must then say "DEMO DATA".
    demo: Type.Boolean(),
    issuedAt: IsoDateTime,
    validUntil: Type.Optional(IsoDateTime),
    conventionRules: ConventionRules,
    parties: Type.Array(Party),
    treaties: Type.Array(Treaty),
  },
  { additionalProperties: false },
);
export type DirectoryDocument = Static<typeof DirectoryDocument>;
