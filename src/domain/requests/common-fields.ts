// Field schemas shared by every request type. Each field carries `x-article`: the article that
// requires it, so a missing field can be reported with its legal source and a form can show it.
import { Type } from 'typebox';
import { CHANNELS, DATA_CATEGORIES, LEGAL_BASES, OFFENCE_CODES, URGENCIES } from '../codes.ts';
import { AUTHORISATION_KINDS, IDENTIFIER_KINDS, PERSON_ROLES } from './vocabulary.ts';

const text = (article: string, description: string, maxLength = 4000) =>
  Type.String({ minLength: 1, maxLength, description, 'x-article': article });

export const Text = text;
export const DateTime = (article: string, description: string) =>
  Type.String({ format: 'date-time', description, 'x-article': article });
export const Day = (article: string, description: string) =>
  Type.String({ format: 'date', description, 'x-article': article });
export const StateCode = (article: string, description: string) =>
  Type.String({ pattern: '^[A-Z]{2}$', description, 'x-article': article });

export const Offence = Type.Object(
  {
    code: Type.Enum(OFFENCE_CODES, { description: 'offence in the catalogue (arts. 4, 7–17, 2)' }),
    domesticName: Type.Optional(Type.String({ maxLength: 300 })),
    statute: Type.Optional(Type.String({ maxLength: 300 })),
    maxPenaltyMonths: Type.Optional(Type.Integer({ minimum: 0, maximum: 1200 })),
  },
  { additionalProperties: false },
);

export const Identifier = Type.Object(
  {
    kind: Type.Enum(IDENTIFIER_KINDS),
    value: Type.String({ minLength: 1, maxLength: 500 }),
    from: Type.Optional(Type.String({ format: 'date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);

export const Person = Type.Object(
  {
    role: Type.Enum(PERSON_ROLES),
    name: Type.Optional(Type.String({ maxLength: 300 })),
    nationality: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$' })),
    dateOfBirth: Type.Optional(Type.String({ format: 'date' })),
    location: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);

export const Authorisation = Type.Object(
  {
    kind: Type.Enum(AUTHORISATION_KINDS),
    reference: Type.String({ minLength: 1, maxLength: 200 }),
    date: Type.String({ format: 'date' }),
    issuer: Type.String({ minLength: 1, maxLength: 300 }),
  },
  { additionalProperties: false },
);

export const DataCategories = (article: string) =>
  Type.Array(Type.Enum(DATA_CATEGORIES), {
    minItems: 1,
    uniqueItems: true,
    description: 'subscriber, traffic or content data (art. 2)',
    'x-article': article,
  });

/** Fields every request has, whatever its type. */
export const COMMON_FIELDS = {
  caseReference: text('art. 40', 'the case file this request belongs to', 100),
  requestingState: StateCode('art. 40', 'State making the request'),
  requestedState: StateCode('art. 40', 'State asked to assist'),
  requestingAuthority: text('art. 40', 'authority making the request', 300),
  requestedAuthority: Type.Optional(text('art. 40', 'authority addressed (directory id)', 100)),
  channel: Type.Optional(
    Type.Enum(CHANNELS, { 'x-article': 'art. 40', description: 'transmission channel' }),
  ),
  legalBasis: Type.Optional(
    Type.Enum(LEGAL_BASES, {
      'x-article': 'art. 60',
      description: 'legal basis chosen; when absent the first that applies is taken',
    }),
  ),
  treatyRef: Type.Optional(text('art. 60', 'treaty reference for a bilateral or regional treaty', 100)),
  reciprocityUndertaking: Type.Optional(
    Type.Boolean({
      'x-article': 'art. 40',
      description: 'an undertaking of reciprocity, needed when no treaty applies',
    }),
  ),
  offences: Type.Array(Offence, {
    minItems: 1,
    maxItems: 20,
    'x-article': 'art. 35',
    description: 'offences investigated, from the catalogue',
  }),
  factsSummary: text('art. 40', 'summary of the relevant facts', 8000),
  urgency: Type.Enum(URGENCIES, { 'x-article': 'art. 40', description: 'routine, urgent or emergency' }),
  emergencyJustification: Type.Optional(
    text('art. 2', 'the significant and imminent risk to the life or safety of a person', 4000),
  ),
  confidentialityRequired: Type.Boolean({
    'x-article': 'art. 40',
    description: 'keep the fact and substance of the request confidential',
  }),
  persons: Type.Optional(
    Type.Array(Person, {
      maxItems: 20,
      'x-article': 'art. 40',
      description: 'persons concerned, kept to the minimum',
    }),
  ),
  identifiers: Type.Optional(
    Type.Array(Identifier, {
      maxItems: 50,
      'x-article': 'art. 40',
      description: 'phone numbers, accounts, IP addresses, e-mails, wallets... kept to the minimum',
    }),
  ),
  deadline: Type.Optional(DateTime('art. 40', 'deadline asked for')),
  deadlineReason: Type.Optional(text('art. 40', 'why the deadline is asked for', 2000)),
  linkedRequestIds: Type.Optional(
    Type.Array(Type.String({ format: 'uuid' }), {
      maxItems: 20,
      uniqueItems: true,
      'x-article': 'art. 40',
      description: 'related requests, e.g. the preservation an MLA request follows',
    }),
  ),
};

/** Necessity and proportionality, required of intrusive measures (art. 24). */
export const SAFEGUARD_FIELDS = {
  necessityJustification: text('art. 24', 'why the measure is necessary', 4000),
  proportionalityJustification: text('art. 24', 'why the measure is proportionate', 4000),
};

export const Proceeding = Type.Object(
  {
    subject: Type.String({ minLength: 1, maxLength: 2000 }),
    nature: Type.String({ minLength: 1, maxLength: 500 }),
    conductingAuthority: Type.String({ minLength: 1, maxLength: 300 }),
  },
  {
    additionalProperties: false,
    'x-article': 'art. 40',
    description: 'subject and nature of the proceeding; authority conducting it',
  },
);
