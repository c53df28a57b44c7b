// The scenario file of a joint exercise, as one TypeBox schema: the single source of the published
// JSON schema (docs/schemas/exercise-scenario.schema.json, GET /api/v1/exercises/scenario-schema), of
// the structural check and of the types. Rules a schema cannot express (States of the directory,
// times against the duration, references between ids) are in validate-scenario.ts.
import { type Static, Type } from 'typebox';
import { LEGAL_BASES, REQUEST_TYPES } from '../codes.ts';
import { INDICATOR_TYPES } from '../indicators/types.ts';
import { REFUSAL_GROUNDS } from '../requests/vocabulary.ts';
import { TLP_LEVELS } from '../tlp/index.ts';

export const INJECT_KINDS = [
  'incoming_request', // a partner's request arrives (art. 41 emergency, preservation…)
  'hub_alert', // an alert (e.g. a ransomware wallet) is published to the hub
  'provider_late', // a service provider answers late: the controller's message to the players
  'partner_offline', // a partner node goes offline: its messages are held until it is back
  'manual', // a message the controller reads out or fires by hand
] as const;
export type InjectKind = (typeof INJECT_KINDS)[number];

export const ACTION_KINDS = [
  'acknowledge', // acknowledge the incoming request
  'choose_legal_basis', // the legal basis of the answer or of an outgoing request
  'refuse', // refuse, only on a valid ground
  'preserve', // preserve the data (execute a preservation) before a deadline
  'share_indicator', // share the indicator inside the exercise with the right TLP
  'send_request', // send a request of a given type to a partner
  'execute', // execute (answer) the incoming request
] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

/** A time after the start: an ISO 8601 duration (PT30M, P1DT2H) or a number of minutes. */
const Offset = Type.Union([Type.String({ pattern: '^P' }), Type.Number({ minimum: 0 })], {
  description: 'ISO 8601 duration (PT30M) or minutes after the start',
});
const Id = Type.String({
  pattern: '^[a-z0-9][a-z0-9-]{0,63}$',
  description: 'lower-case id, unique in the file',
});
const State = Type.String({ pattern: '^[A-Z]{2}$', description: 'Party code of the directory (ISO 3166-1)' });

export const Participant = Type.Object(
  {
    state: State,
    organisation: Type.String({ minLength: 1, maxLength: 200 }),
    simulated: Type.Optional(
      Type.Boolean({ description: 'played by the node running the exercise, answering per behaviour' }),
    ),
    language: Type.Optional(Type.String({ pattern: '^(en|fr|vi|ar|zh|ru|es)$' })),
    behaviour: Type.Optional(
      Type.Object(
        {
          acknowledgeAfter: Type.Optional(Offset),
          executeAfter: Type.Optional(Offset),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const Inject = Type.Object(
  {
    id: Id,
    at: Offset,
    kind: Type.Enum(INJECT_KINDS),
    title: Type.String({ minLength: 1, maxLength: 300 }),
    message: Type.Optional(Type.String({ maxLength: 4000 })),
    from: Type.Optional(State),
    to: Type.Optional(State),
    request: Type.Optional(
      Type.Object(
        { type: Type.Enum(REQUEST_TYPES) },
        { additionalProperties: true, description: 'the request body, as POST /api/v1/requests takes it' },
      ),
    ),
    alert: Type.Optional(
      Type.Object(
        {
          tlp: Type.Enum(TLP_LEVELS),
          indicators: Type.Array(
            Type.Object(
              { type: Type.Enum(INDICATOR_TYPES), value: Type.String({ minLength: 1, maxLength: 500 }) },
              { additionalProperties: false },
            ),
            { minItems: 1, maxItems: 50 },
          ),
        },
        { additionalProperties: false },
      ),
    ),
    offlineFor: Type.Optional(Offset),
  },
  { additionalProperties: false },
);

export const ExpectedAction = Type.Object(
  {
    id: Id,
    kind: Type.Enum(ACTION_KINDS),
    title: Type.Optional(Type.String({ maxLength: 300 })),
    by: State,
    inject: Type.Optional(Id),
    within: Type.Optional(Offset),
    legalBasis: Type.Optional(Type.Enum(LEGAL_BASES)),
    grounds: Type.Optional(Type.Array(Type.Enum(REFUSAL_GROUNDS), { minItems: 1 })),
    tlp: Type.Optional(Type.Enum(TLP_LEVELS)),
    requestType: Type.Optional(Type.Enum(REQUEST_TYPES)),
    to: Type.Optional(State),
  },
  { additionalProperties: false },
);

export const Scenario = Type.Object(
  {
    id: Id,
    title: Type.String({ minLength: 1, maxLength: 300 }),
    description: Type.Optional(Type.String({ maxLength: 4000 })),
    language: Type.Optional(Type.String({ pattern: '^(en|fr|vi|ar|zh|ru|es)$' })),
    duration: Offset,
    speed: Type.Optional(Type.Number({ minimum: 1, maximum: 1000 })),
    participants: Type.Array(Participant, { minItems: 1, maxItems: 50 }),
    injects: Type.Array(Inject, { maxItems: 500 }),
    expectedActions: Type.Array(ExpectedAction, { maxItems: 500 }),
  },
  {
    $id: 'urn:hanoi247:schema:exercise-scenario',
    title: 'hanoi247 exercise scenario',
    additionalProperties: false,
  },
);

export type Scenario = Static<typeof Scenario>;
export type ScenarioParticipant = Static<typeof Participant>;
export type ScenarioInject = Static<typeof Inject>;
export type ScenarioAction = Static<typeof ExpectedAction>;

/** The published JSON schema: the TypeBox schema as plain JSON (TypeBox's symbols dropped). */
export function scenarioJsonSchema(): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    ...(JSON.parse(JSON.stringify(Scenario)) as Record<string, unknown>),
  };
}
