// TypeBox schemas of the hub API.
import { Type } from 'typebox';
import { INDICATOR_TYPES } from '../../../domain/indicators/index.ts';
import { TLP_LEVELS } from '../../../domain/tlp/index.ts';
import {
  HUB_ALERT_KINDS,
  HUB_GROUP_KINDS,
  HUB_ORG_KINDS,
  HUB_REPORT_KINDS,
} from '../../../store/schema/hub.ts';

const literals = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));

/** Who may use the hub: bank/telecom/platform liaisons, CERT analysts, and administrators. */
export const HUB_ROLES = ['PRIVATE_LIAISON', 'CERT_ANALYST', 'ADMIN'] as const;
export const HUB_ADMIN = ['ADMIN'] as const;

export const TlpSchema = literals(TLP_LEVELS);
export const AlertKindSchema = literals(HUB_ALERT_KINDS);
export const OrgKindSchema = literals(HUB_ORG_KINDS);
export const GroupKindSchema = literals(HUB_GROUP_KINDS);
export const ReportKindSchema = literals(HUB_REPORT_KINDS);
export const IndicatorTypeSchema = literals(INDICATOR_TYPES);
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const RawIndicatorSchema = Type.Object(
  { type: Type.String({ maxLength: 40 }), value: Type.String({ maxLength: 8192 }) },
  { additionalProperties: false },
);

export const RejectedSchema = Type.Object({
  index: Type.Integer(),
  type: Type.String(),
  value: Type.String(),
  error: Type.String(),
});

export const ReportSchema = Type.Object({
  id: Type.String(),
  kind: ReportKindSchema,
  indicatorId: Nullable(Type.String()),
  orgId: Type.String(),
  orgName: Type.String(),
  count: Type.Integer(),
  note: Type.String(),
  observedAt: Type.String(),
  createdAt: Type.String(),
});

const alertCore = {
  id: Type.String(),
  kind: AlertKindSchema,
  title: Type.String(),
  confidence: Type.Integer(),
  tlp: TlpSchema,
  groupId: Type.String(),
  publisherOrgId: Type.String(),
  status: literals(['active', 'revoked']),
  state: literals(['active', 'pending', 'expired', 'revoked']),
  validFrom: Type.String(),
  validUntil: Nullable(Type.String()),
  version: Type.Integer(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
};

export const AlertSummarySchema = Type.Object(alertCore);

export const AlertSchema = Type.Object({
  ...alertCore,
  description: Type.String(),
  publisherOrgName: Type.String(),
  recipientOrgIds: Type.Array(Type.String()),
  revokedAt: Nullable(Type.String()),
  indicators: Type.Array(
    Type.Object({
      id: Type.String(),
      type: IndicatorTypeSchema,
      value: Type.String(),
      valueHash: Type.String(),
    }),
  ),
  feedback: Type.Array(ReportSchema, {
    description: 'sightings and false positives: all of them for the publisher, your own otherwise',
  }),
});

export const MatchSchema = Type.Object({
  alertId: Type.String(),
  indicatorId: Type.String(),
  kind: AlertKindSchema,
  title: Type.String(),
  confidence: Type.Integer(),
  tlp: TlpSchema,
  validUntil: Nullable(Type.String()),
});

export const CheckItemResultSchema = Type.Object({
  i: Type.Integer(),
  type: Type.String(),
  value: Type.Optional(Type.String()),
  input: Type.Optional(Type.String()),
  matches: Type.Optional(Type.Array(MatchSchema)),
  error: Type.Optional(Type.String()),
});

/** The media type of the compact bulk answer (?answer=compact): JSON, each alert named once. */
export const COMPACT_CHECK = 'application/vnd.hanoi247.check-compact+json';

const CheckedAlertsSchema = Type.Array(
  Type.Object({
    id: Type.String(),
    kind: AlertKindSchema,
    title: Type.String(),
    confidence: Type.Integer(),
    tlp: TlpSchema,
    validUntil: Nullable(Type.String()),
  }),
  { description: 'each alert with a hit, once; a hit names it by its position in this list' },
);

const CheckErrorsSchema = Type.Array(
  Type.Object({ i: Type.Integer(), type: Type.String(), input: Type.String(), error: Type.String() }),
  { description: 'values refused, as in the full answer' },
);

export const CompactCheckSchema = Type.Object({
  checked: Type.Integer(),
  matched: Type.Integer({ description: 'values with at least one match' }),
  alerts: CheckedAlertsSchema,
  hits: Type.Array(
    // A tuple in OpenAPI 3.1's JSON Schema (prefixItems), which Type.Tuple does not write.
    Type.Array(Type.Union([Type.Integer(), Type.String()]), {
      minItems: 3,
      maxItems: 3,
      prefixItems: [
        Type.Integer({ description: 'index of the value in the request' }),
        Type.Integer({ description: 'position of the alert in `alerts`' }),
        Type.String({ description: 'indicator id' }),
      ],
    }),
    {
      description:
        'one [i, alert, indicatorId] per match, in request order (as the full answer lists them); values that matched nothing are not listed',
    },
  ),
  errors: CheckErrorsSchema,
});

/** The media type of the hits answer (?answer=hits): the compact answer without indicator ids. */
export const HITS_CHECK = 'application/vnd.hanoi247.check-hits+json';

export const HitsCheckSchema = Type.Object({
  checked: Type.Integer(),
  matched: Type.Integer({ description: 'values with at least one match' }),
  alerts: CheckedAlertsSchema,
  hits: Type.Array(Type.Integer(), {
    description:
      'two numbers per match, flat: i (index of the value in the request), then the position of its alert in `alerts`; in request order, as the compact answer lists them; values that matched nothing are not listed',
  }),
  errors: CheckErrorsSchema,
});
