// An authority listed for a Party: its 24/7 point, central authority or another competent body,
// with the facts a duty officer needs at 3 a.m.: local time, hours, languages and how to reach it.
import { type Static, Type } from 'typebox';
import { AUTHORITY_KINDS } from '../codes.ts';
import { CONTACT_CHANNEL_KINDS, IsoDateTime, NonEmptyString, POINT_CAPABILITIES } from './common-schema.ts';

const HHMM = '^([01][0-9]|2[0-3]):[0-5][0-9]$';

export const AlwaysOpen = Type.Object({ always: Type.Literal(true) }, { additionalProperties: false });

export const OfficeHours = Type.Object(
  {
    days: Type.Array(
      Type.Integer({
        minimum: 1,
        maximum: 7,
        errorMessage: 'must be an ISO weekday from 1 (Monday) to 7 (Sunday)',
      }),
      { minItems: 1, uniqueItems: true },
    ),
    start: Type.String({ pattern: HHMM, errorMessage: "must be a local time 'HH:MM', e.g. 08:00" }),
    end: Type.String({
      pattern: '^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$',
      errorMessage: "must be a local time 'HH:MM', e.g. 17:30",
    }),
  },
  { additionalProperties: false },
);

export const WorkingHours = Type.Union([AlwaysOpen, OfficeHours], {
  errorMessage: "must be either { always: true } (24/7) or { days: [1..7], start: 'HH:MM', end: 'HH:MM' }",
});
export type WorkingHours = Static<typeof WorkingHours>;

export const ContactChannel = Type.Object(
  { kind: Type.Enum(CONTACT_CHANNEL_KINDS), value: NonEmptyString },
  { additionalProperties: false },
);
export type ContactChannel = Static<typeof ContactChannel>;

/** A public key a node publishes; private members are rejected by validate-directory. */
export const NodeKey = Type.Object(
  {
    kid: NonEmptyString,
    publicJwk: Type.Object({ kty: NonEmptyString }, { additionalProperties: true }),
    validFrom: IsoDateTime,
    validUntil: Type.Optional(IsoDateTime),
    revokedAt: Type.Optional(IsoDateTime),
  },
  { additionalProperties: false },
);
export type NodeKey = Static<typeof NodeKey>;

export const NodeEndpoint = Type.Object(
  {
    // Plain http only on loopback: nodes of a test or demo network on one machine.
    url: Type.String({
      pattern: '^(https://|http://(127\\.0\\.0\\.1|localhost|\\[::1\\])(:[0-9]+)?(/|$))',
      errorMessage: 'must be an https:// URL (http:// only on a loopback address)',
    }),
    signingKeys: Type.Array(NodeKey),
    encryptionKeys: Type.Array(NodeKey),
  },
  { additionalProperties: false },
);
export type NodeEndpoint = Static<typeof NodeEndpoint>;

export const Authority = Type.Object(
  {
    id: Type.String({
      pattern: '^[a-z0-9][a-z0-9._-]*$',
      errorMessage: 'must be a stable lower-case id, e.g. vn-247',
    }),
    kind: Type.Enum(AUTHORITY_KINDS),
    name: NonEmptyString,
    timeZone: NonEmptyString,
    workingHours: WorkingHours,
    languages: Type.Array(NonEmptyString, { minItems: 1 }),
    channels: Type.Array(ContactChannel, { minItems: 1 }),
    capabilities: Type.Optional(Type.Array(Type.Enum(POINT_CAPABILITIES), { uniqueItems: true })),
    node: Type.Optional(NodeEndpoint),
  },
  { additionalProperties: false },
);
export type Authority = Static<typeof Authority>;
