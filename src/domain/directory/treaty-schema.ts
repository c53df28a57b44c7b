// Bilateral and regional mutual-legal-assistance treaties; kept beside the Convention because
// art. 60 lets them keep applying between Parties (one more legal-basis candidate each).
import { type Static, Type } from 'typebox';
import { REQUEST_TYPES } from '../codes.ts';
import { IsoDate, NonEmptyString, PartyCode, TREATY_KINDS } from './common-schema.ts';

export const Treaty = Type.Object(
  {
    id: Type.String({
      pattern: '^[a-z0-9][a-z0-9._-]*$',
      errorMessage: 'must be a stable lower-case id, e.g. vn-kr-mlat',
    }),
    kind: Type.Enum(TREATY_KINDS),
    name: NonEmptyString,
    parties: Type.Array(PartyCode, { minItems: 2, uniqueItems: true }),
    inForceFrom: IsoDate,
    until: Type.Optional(IsoDate),
    covers: Type.Union(
      [Type.Literal('ALL'), Type.Array(Type.Enum(REQUEST_TYPES), { minItems: 1, uniqueItems: true })],
      {
        errorMessage: "must be 'ALL' or a non-empty list of request types",
      },
    ),
  },
  { additionalProperties: false },
);
export type Treaty = Static<typeof Treaty>;
