// A valid request of every type, for tests: buildRequest(type, overrides).
import type { RequestType } from '../../../src/domain/codes.ts';

const common = {
  caseReference: 'VN-2026-0042',
  requestingState: 'VN',
  requestedState: 'FR',
  requestingAuthority: 'Ministry of Public Security, 24/7 point',
  offences: [{ code: 'ICT_THEFT_FRAUD', statute: 'Penal Code art. 290', maxPenaltyMonths: 240 }],
  factsSummary: 'An investment-scam network defrauded 300 victims through a fake trading platform.',
  urgency: 'URGENT',
  confidentialityRequired: true,
};

const safeguards = {
  necessityJustification: 'The platform operators can only be identified from the stored data.',
  proportionalityJustification: 'Limited to three accounts and the period of the fraud.',
};

const proceeding = {
  proceeding: {
    subject: 'Fraud by means of an ICT system',
    nature: 'criminal investigation',
    conductingAuthority: 'Hanoi People’s Procuracy',
  },
  purpose: 'Identify the operators of the platform and trace the proceeds.',
};

const identifiers = [
  { kind: 'EMAIL', value: 'operator@scam.example' },
  { kind: 'IP_ADDRESS', value: '203.0.113.7' },
];

const window = { start: '2026-12-10T00:00:00Z', end: '2027-01-10T00:00:00Z' };
const person = { role: 'SUSPECT', name: 'Tran Van A', nationality: 'VN', location: 'Paris' };
const warrant = {
  kind: 'ARREST_WARRANT',
  reference: 'W-2026-17',
  date: '2026-11-20',
  issuer: 'Hanoi People’s Court',
};

const SPECIFIC: Record<RequestType, Record<string, unknown>> = {
  PRESERVATION: {
    identifiers,
    dataCategories: ['SUBSCRIBER', 'TRAFFIC'],
    relationToOffence: 'The e-mail account received the victims’ payment confirmations.',
    custodianOrLocation: 'Mail provider with servers in France',
    necessity: 'The provider deletes logs after 30 days.',
    intentToFollowUp: true,
  },
  TRAFFIC_DATA_DISCLOSURE: {
    linkedPreservationId: '01890000-0000-7000-8000-000000000001',
    providerName: 'Relay Hosting',
    providerCountry: 'DE',
    pathHops: ['203.0.113.7', '198.51.100.20'],
  },
  MLA_GENERAL: { ...proceeding, assistanceSought: ['TAKING_EVIDENCE'] },
  MLA_STORED_DATA: {
    ...proceeding,
    ...safeguards,
    identifiers,
    dataCategories: ['CONTENT'],
    dataSought: 'Content of the mailbox for 2026-06 to 2026-10',
  },
  MLA_REALTIME_TRAFFIC: {
    ...proceeding,
    ...safeguards,
    identifiers,
    targetedData: 'Traffic data of the e-mail account',
    relationToOffence: 'Used to contact victims',
    collectionWindow: window,
    durationJustification: 'One month covers the next payment cycle.',
  },
  MLA_INTERCEPTION: {
    ...proceeding,
    ...safeguards,
    identifiers,
    targetedData: 'Content of messages of the account',
    relationToOffence: 'Used to instruct money mules',
    collectionWindow: window,
    durationJustification: 'One month covers the next payment cycle.',
    authorisation: {
      kind: 'JUDICIAL',
      reference: 'J-2026-5',
      date: '2026-11-30',
      issuer: 'Hanoi People’s Court',
    },
  },
  EMERGENCY_DISCLOSURE: {
    ...safeguards,
    urgency: 'EMERGENCY',
    emergencyJustification: 'A kidnapped person is held; the kidnappers use this account.',
    identifiers,
    dataCategories: ['SUBSCRIBER', 'TRAFFIC'],
    dataSought: 'Last login IP addresses and subscriber details',
  },
  ASSISTANCE_24_7: {
    assistanceKind: 'LEGAL_INFORMATION',
    question: 'What must an MLA request for stored data contain?',
  },
  SPONTANEOUS_INFORMATION: { informationSummary: 'A server in your territory hosts the scam platform.' },
  LE_COOPERATION: { cooperationKind: 'WHEREABOUTS', question: 'Is the suspect present in your territory?' },
  JOINT_INVESTIGATION: {
    purpose: 'Dismantle the scam network',
    participatingStates: ['VN', 'FR'],
    durationMonths: 12,
    dataSharingRules: 'Evidence shared through the joint team only.',
  },
  EXTRADITION: {
    personSought: person,
    warrant,
    penaltyText: 'Fraud, up to 20 years',
    nationalOfRequested: false,
  },
  PROVISIONAL_ARREST: {
    personSought: person,
    warrant,
    penaltyText: 'Fraud, up to 20 years',
    nationalOfRequested: false,
    urgencyReason: 'The person is about to leave France.',
  },
};

/** A complete, valid request body of the given type. */
export function buildRequest(
  type: RequestType,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return structuredClone({ ...common, ...SPECIFIC[type], ...overrides });
}
