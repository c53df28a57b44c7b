// Builds the DEMO directory: every screen showing it must say "DEMO DATA" (demo: true).
//
// Entry into force: the demo tells the story "40th instrument deposited on 2026-09-02, so the
// Convention enters into force on the 90th day after, 2026-12-01". It lists about twenty States,
// not forty, so it states that date as `generalEntryIntoForce` instead of listing forty deposits;
// the resolver then treats deposits up to 2026-09-02 as early and later ones by the 30-day rule.
import type { Authority } from './authority-schema.ts';
import { DEMO_PARTY_ROWS, type DemoPartyRow } from './demo-parties.ts';
import { DEFAULT_CONVENTION_RULES, type DirectoryDocument } from './directory-schema.ts';
import type { Party } from './party-schema.ts';
import type { Treaty } from './treaty-schema.ts';

export const DEMO_GENERAL_ENTRY_INTO_FORCE = '2026-12-01';

const ASEAN_IN_DEMO = ['VN', 'SG', 'TH', 'PH', 'MY', 'ID', 'KH', 'LA'];

const DEMO_TREATIES: Treaty[] = [
  {
    id: 'demo-vn-kr-mlat',
    kind: 'BILATERAL_TREATY',
    name: '(demo) Treaty on Mutual Legal Assistance in Criminal Matters between Viet Nam and the Republic of Korea',
    parties: ['VN', 'KR'],
    inForceFrom: '2005-04-19',
    covers: [
      'PRESERVATION',
      'TRAFFIC_DATA_DISCLOSURE',
      'MLA_STORED_DATA',
      'MLA_REALTIME_TRAFFIC',
      'MLA_INTERCEPTION',
      'MLA_GENERAL',
      'SPONTANEOUS_INFORMATION',
    ],
  },
  {
    // Brunei Darussalam and Myanmar are also parties in reality; the demo lists only its own States.
    id: 'demo-asean-mlat',
    kind: 'REGIONAL_TREATY',
    name: '(demo) ASEAN Treaty on Mutual Legal Assistance in Criminal Matters',
    parties: ASEAN_IN_DEMO,
    inForceFrom: '2008-01-01',
    covers: ['MLA_STORED_DATA', 'MLA_REALTIME_TRAFFIC', 'MLA_INTERCEPTION', 'MLA_GENERAL'],
  },
];

/** The demo directory (fixed content, no clock): ~20 States, the EU, two treaties. */
export function buildDemoDirectory(): DirectoryDocument {
  return {
    formatVersion: 1,
    demo: true,
    issuedAt: '2026-09-10T00:00:00Z',
    conventionRules: { ...DEFAULT_CONVENTION_RULES, generalEntryIntoForce: DEMO_GENERAL_ENTRY_INTO_FORCE },
    parties: DEMO_PARTY_ROWS.map(toParty),
    treaties: structuredClone(DEMO_TREATIES),
  };
}

function toParty(row: DemoPartyRow): Party {
  const convention: Party['convention'] = {
    declarations: structuredClone(row.declarations ?? []),
    reservations: structuredClone(row.reservations ?? []),
  };
  if (row.signedOn) convention.signedOn = row.signedOn;
  if (row.depositedOn) convention.depositedOn = row.depositedOn;
  if (row.kind) convention.instrumentKind = row.kind;
  if (row.treatyBasisForExtradition !== undefined)
    convention.treatyBasisForExtradition = row.treatyBasisForExtradition;
  return {
    code: row.code,
    name: row.name,
    isRegionalOrganisation: row.regional === true,
    convention,
    instruments: structuredClone(row.instruments),
    authorities: row.regional ? [regionalContact(row)] : [pointOfContact(row), centralAuthority(row)],
  };
}

function pointOfContact(row: DemoPartyRow): Authority {
  const host = `${row.code.toLowerCase()}.demo.example`;
  return {
    id: `${row.code.toLowerCase()}-247`,
    kind: 'POINT_24_7',
    name: `(demo) 24/7 point of contact — ${row.name}`,
    timeZone: row.timeZone,
    workingHours: { always: true },
    languages: [...row.languages],
    channels: [
      { kind: 'NODE', value: `https://node.${host}` },
      { kind: 'EMAIL', value: `247@${host}` },
    ],
    capabilities: [
      'TECHNICAL_ADVICE',
      'PRESERVATION',
      'EVIDENCE_COLLECTION',
      'LEGAL_INFORMATION',
      'LOCATE_SUSPECT',
      'EMERGENCY_DISCLOSURE',
    ],
  };
}

function centralAuthority(row: DemoPartyRow): Authority {
  const host = `${row.code.toLowerCase()}.demo.example`;
  return {
    id: `${row.code.toLowerCase()}-ca`,
    kind: 'CENTRAL_AUTHORITY',
    name: `(demo) Central authority for mutual legal assistance — ${row.name}`,
    timeZone: row.timeZone,
    workingHours: { days: [1, 2, 3, 4, 5], start: '08:00', end: '17:00' },
    languages: [...row.languages],
    channels: [
      { kind: 'NODE', value: `https://node.${host}` },
      { kind: 'EMAIL', value: `central-authority@${host}` },
    ],
  };
}

// The EU designates no national 24/7 point or central authority: one coordination contact.
function regionalContact(row: DemoPartyRow): Authority {
  return {
    id: `${row.code.toLowerCase()}-coordination`,
    kind: 'COMPETENT_AUTHORITY',
    name: `(demo) Coordination contact — ${row.name}`,
    timeZone: row.timeZone,
    workingHours: { days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' },
    languages: [...row.languages],
    channels: [{ kind: 'EMAIL', value: `coordination@${row.code.toLowerCase()}.demo.example` }],
  };
}
