// One schema per request type (convention.md §5): the common fields plus what the article of the
// type requires. These feed API validation, the request-types endpoint (UI forms) and printed forms.
import { type TObject, Type } from 'typebox';
import type { RequestType } from '../codes.ts';
import { CUSTODIAN_UNKNOWN } from '../law/unverified.ts';
import {
  Authorisation,
  COMMON_FIELDS,
  DataCategories,
  Day,
  Person,
  Proceeding,
  SAFEGUARD_FIELDS,
  StateCode,
  Text,
} from './common-fields.ts';
import { ASSISTANCE_24_7_KINDS, LE_COOPERATION_KINDS, MLA_MEASURES } from './vocabulary.ts';

const DateRange = Type.Object(
  {
    from: Type.Optional(Type.String({ format: 'date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);

const CollectionWindow = (article: string) =>
  Type.Object(
    { start: Type.String({ format: 'date-time' }), end: Type.String({ format: 'date-time' }) },
    { additionalProperties: false, 'x-article': article, description: 'period of collection' },
  );

const identifiersRequired = (article: string) =>
  Type.Array(COMMON_FIELDS.identifiers.items, {
    minItems: 1,
    maxItems: 50,
    'x-article': article,
    description: 'identifiers of the data concerned, kept to the minimum',
  });

const PersonSought = Type.Object(
  {
    role: Person.properties.role,
    name: Type.String({ minLength: 1, maxLength: 300 }),
    nationality: Type.String({ pattern: '^[A-Z]{2}$' }),
    dateOfBirth: Type.Optional(Type.String({ format: 'date' })),
    location: Type.Optional(Type.String({ maxLength: 500 })),
  },
  {
    additionalProperties: false,
    'x-article': 'art. 37',
    description: 'the person sought: identity, nationality, whereabouts',
  },
);

const Warrant = Type.Object(
  {
    kind: Type.Enum(['ARREST_WARRANT', 'JUDGMENT']),
    reference: Type.String({ minLength: 1, maxLength: 200 }),
    date: Type.String({ format: 'date' }),
    issuer: Type.String({ minLength: 1, maxLength: 300 }),
  },
  { additionalProperties: false, 'x-article': 'art. 37', description: 'warrant of arrest or judgment' },
);

const object = (type: RequestType, title: string, properties: Record<string, unknown>): TObject =>
  Type.Object(properties as never, {
    additionalProperties: false,
    title,
    'x-request-type': type,
  }) as TObject;

const preservation = object('PRESERVATION', 'Expedited preservation of stored data (art. 42)', {
  ...COMMON_FIELDS,
  identifiers: identifiersRequired('art. 42'),
  dataCategories: DataCategories('art. 42'),
  dateRange: Type.Optional(
    Type.Object(DateRange.properties, {
      additionalProperties: false,
      'x-article': 'art. 42',
      description: 'period of the data to preserve',
    }),
  ),
  relationToOffence: Text('art. 42', 'how the stored data relate to the offence'),
  custodianOrLocation: Text(
    'art. 42',
    `any available information on the custodian of the data or the location of the system; ${CUSTODIAN_UNKNOWN} when none is available`,
    1000,
  ),
  necessity: Text('art. 42', 'why preservation is needed: the risk that the data are lost or changed'),
  intentToFollowUp: Type.Literal(true, {
    'x-article': 'art. 42',
    description: 'a request for mutual legal assistance will follow',
  }),
});

const trafficDisclosure = object(
  'TRAFFIC_DATA_DISCLOSURE',
  'Expedited disclosure of preserved traffic data (art. 43)',
  {
    ...COMMON_FIELDS,
    linkedPreservationId: Type.String({
      format: 'uuid',
      'x-article': 'art. 43',
      description: 'the preservation request this disclosure arises from',
    }),
    providerName: Text('art. 43', 'the service provider in the other State', 300),
    providerCountry: StateCode('art. 43', 'the State of that provider'),
    pathHops: Type.Array(Type.String({ minLength: 1, maxLength: 300 }), {
      minItems: 1,
      maxItems: 50,
      'x-article': 'art. 43',
      description: 'the path of the communication, only as far as needed to identify the provider',
    }),
  },
);

const mlaCore = {
  proceeding: Proceeding,
  purpose: Text('art. 40', 'why the evidence or action is sought'),
};

const mlaGeneral = object('MLA_GENERAL', 'Mutual legal assistance (art. 40)', {
  ...COMMON_FIELDS,
  // Art. 40 [U]: not needed for service of judicial documents alone; validate-request checks the rest.
  factsSummary: Type.Optional(COMMON_FIELDS.factsSummary),
  ...mlaCore,
  assistanceSought: Type.Array(Type.Enum(MLA_MEASURES), {
    minItems: 1,
    uniqueItems: true,
    'x-article': 'art. 40',
    description: 'the assistance sought',
  }),
  procedureToFollow: Type.Optional(Text('art. 40', 'any particular procedure to follow')),
});

const mlaStoredData = object(
  'MLA_STORED_DATA',
  'Mutual legal assistance in accessing stored data (art. 44)',
  {
    ...COMMON_FIELDS,
    ...mlaCore,
    ...SAFEGUARD_FIELDS,
    identifiers: identifiersRequired('art. 44'),
    dataCategories: DataCategories('art. 44'),
    dataSought: Text('art. 44', 'the stored data to search, seize or disclose'),
    linkedPreservationId: Type.Optional(
      Type.String({ format: 'uuid', 'x-article': 'art. 44', description: 'preservation this follows' }),
    ),
    vulnerableToLoss: Type.Optional(
      Type.Boolean({ 'x-article': 'art. 44', description: 'data vulnerable to loss: expedite' }),
    ),
  },
);

const realtimeFields = (article: string) => ({
  ...COMMON_FIELDS,
  ...mlaCore,
  ...SAFEGUARD_FIELDS,
  identifiers: identifiersRequired(article),
  targetedData: Text(article, 'the communications or data targeted'),
  relationToOffence: Text(article, 'how they relate to the offence'),
  collectionWindow: CollectionWindow(article),
  durationJustification: Text(article, 'why the collection lasts that long'),
});

const mlaRealtime = object('MLA_REALTIME_TRAFFIC', 'Real-time collection of traffic data (art. 45)', {
  ...realtimeFields('art. 45'),
  authorisation: Type.Optional(
    Type.Object(Authorisation.properties, {
      additionalProperties: false,
      'x-article': 'art. 24',
      description: 'judicial or other independent authorisation, where the law of either side needs one',
    }),
  ),
});

const mlaInterception = object('MLA_INTERCEPTION', 'Interception of content data (art. 46)', {
  ...realtimeFields('art. 46'),
  authorisation: Type.Object(Authorisation.properties, {
    additionalProperties: false,
    'x-article': 'art. 24',
    description: 'judicial or other independent authorisation',
  }),
});

const emergencyDisclosure = object('EMERGENCY_DISCLOSURE', 'Emergency disclosure (arts. 41, 2)', {
  ...COMMON_FIELDS,
  ...SAFEGUARD_FIELDS,
  emergencyJustification: Text(
    'art. 2',
    'the significant and imminent risk to the life or safety of a person',
  ),
  identifiers: identifiersRequired('art. 41'),
  dataCategories: DataCategories('art. 41'),
  dataSought: Text('art. 41', 'the data needed to avert the emergency'),
});

const assistance247 = object('ASSISTANCE_24_7', '24/7 assistance (art. 41)', {
  ...COMMON_FIELDS,
  assistanceKind: Type.Enum(ASSISTANCE_24_7_KINDS, {
    'x-article': 'art. 41',
    description: 'technical advice, legal information, locating a suspect, evidence collection',
  }),
  question: Text('art. 41', 'what the 24/7 point is asked'),
});

const spontaneous = object('SPONTANEOUS_INFORMATION', 'Spontaneous information (arts. 40, 51)', {
  ...COMMON_FIELDS,
  informationSummary: Text('art. 40', 'the information transmitted without prior request', 8000),
  useRestrictions: Type.Optional(
    Type.Array(Type.String({ minLength: 1, maxLength: 500 }), {
      maxItems: 20,
      'x-article': 'art. 40',
      description: 'conditions on use that bind the receiving State',
    }),
  ),
});

const leCooperation = object('LE_COOPERATION', 'Law-enforcement cooperation (art. 47)', {
  ...COMMON_FIELDS,
  cooperationKind: Type.Enum(LE_COOPERATION_KINDS, {
    'x-article': 'art. 47',
    description: 'subject of the inquiry',
  }),
  question: Text('art. 47', 'what is asked of the partner'),
});

const jointInvestigation = object('JOINT_INVESTIGATION', 'Proposal of a joint investigation (art. 48)', {
  ...COMMON_FIELDS,
  purpose: Text('art. 48', 'purpose of the joint investigation'),
  participatingStates: Type.Array(Type.String({ pattern: '^[A-Z]{2}$' }), {
    minItems: 2,
    uniqueItems: true,
    'x-article': 'art. 48',
    description: 'States taking part',
  }),
  durationMonths: Type.Integer({
    minimum: 1,
    maximum: 60,
    'x-article': 'art. 48',
    description: 'planned duration',
  }),
  dataSharingRules: Text('art. 48', 'how information and evidence are shared'),
  costs: Type.Optional(Text('art. 48', 'how costs are shared', 2000)),
});

const extraditionFields = {
  ...COMMON_FIELDS,
  personSought: PersonSought,
  warrant: Warrant,
  penaltyText: Text('art. 37', 'text of the offence and its penalty'),
  nationalOfRequested: Type.Boolean({
    'x-article': 'art. 37',
    description: 'the person is a national of the requested State',
  }),
  assurances: Type.Optional(
    Type.Array(Type.String({ minLength: 1, maxLength: 1000 }), { maxItems: 20, 'x-article': 'art. 37' }),
  ),
};

const extradition = object('EXTRADITION', 'Extradition (art. 37)', extraditionFields);

const provisionalArrest = object('PROVISIONAL_ARREST', 'Provisional arrest pending extradition (art. 37)', {
  ...extraditionFields,
  urgencyReason: Text('art. 37', 'why provisional arrest is urgent'),
  extraditionRequestBy: Type.Optional(Day('art. 37', 'when the extradition request will follow')),
});

/** The schema of each request type. */
export const REQUEST_SCHEMAS: Readonly<Record<RequestType, TObject>> = {
  PRESERVATION: preservation,
  TRAFFIC_DATA_DISCLOSURE: trafficDisclosure,
  MLA_GENERAL: mlaGeneral,
  MLA_STORED_DATA: mlaStoredData,
  MLA_REALTIME_TRAFFIC: mlaRealtime,
  MLA_INTERCEPTION: mlaInterception,
  EMERGENCY_DISCLOSURE: emergencyDisclosure,
  ASSISTANCE_24_7: assistance247,
  SPONTANEOUS_INFORMATION: spontaneous,
  LE_COOPERATION: leCooperation,
  JOINT_INVESTIGATION: jointInvestigation,
  EXTRADITION: extradition,
  PROVISIONAL_ARREST: provisionalArrest,
};

/** Types whose measures intrude on private life: necessity and proportionality are required (art. 24). */
export const INTRUSIVE_TYPES: readonly RequestType[] = [
  'MLA_STORED_DATA',
  'MLA_REALTIME_TRAFFIC',
  'MLA_INTERCEPTION',
  'EMERGENCY_DISCLOSURE',
];
