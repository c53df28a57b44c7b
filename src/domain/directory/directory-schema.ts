// The Directory of Parties as ONE JSON document: signed by a publisher, shipped between nodes and
// stored as versions. `formatVersion` lets a later format be told apart before it is parsed.
import { type Static, Type } from 'typebox';
import { LATER_DEPOSIT_DAYS } from '../law/unverified.ts';
import { ENTRY_INTO_FORCE } from '../law/verified.ts';
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

// Art. 65(1) [V] gives the first two (law/verified.ts); art. 65(2) [U] the third (law/unverified.ts).
export const DEFAULT_CONVENTION_RULES: ConventionRules = Object.freeze({
  instrumentsForEntryIntoForce: ENTRY_INTO_FORCE.instruments,
  daysAfterThreshold: ENTRY_INTO_FORCE.daysAfterThreshold,
  daysAfterLaterDeposit: LATER_DEPOSIT_DAYS.days,
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
