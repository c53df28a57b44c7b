// DEMO DATA. Fictional Convention status for real States, for training and the demo node only.
// Dates of other instruments are approximate; statements and contacts are invented (.example).
import type { InstrumentKind } from './common-schema.ts';
import type { InstrumentMembership, Statement } from './party-schema.ts';

export type DemoPartyRow = {
  code: string;
  name: string;
  timeZone: string;
  languages: string[];
  regional?: true;
  signedOn?: string;
  depositedOn?: string;
  kind?: InstrumentKind;
  treatyBasisForExtradition?: boolean;
  declarations?: Statement[];
  reservations?: Statement[];
  instruments: InstrumentMembership[];
};

const un = (untoc: string, uncac: string): InstrumentMembership[] => [
  { instrument: 'UNTOC', inForceFrom: untoc },
  { instrument: 'UNCAC', inForceFrom: uncac },
];
const budapest = (from: string): InstrumentMembership => ({ instrument: 'BUDAPEST', inForceFrom: from });
const sap2: InstrumentMembership = { instrument: 'BUDAPEST_SAP2', inForceFrom: '2026-07-01' };
const euLaw: InstrumentMembership[] = [
  { instrument: 'EU_EIO', inForceFrom: '2017-05-22' },
  { instrument: 'EU_E_EVIDENCE', inForceFrom: '2026-08-18' },
];
const HANOI = '2025-10-25';
const languagesDeclared = (langs: string): Statement => ({
  article: '40',
  flag: 'REQUEST_LANGUAGES',
  text: `(demo) Requests are accepted in ${langs}.`,
});

// Early depositors (on or before 2026-09-02, the demo's 40th instrument) are in force from
// 2026-12-01; LA and MY deposit later; US has signed only; IN has not signed.
export const DEMO_PARTY_ROWS: DemoPartyRow[] = [
  {
    code: 'VN',
    name: 'Viet Nam',
    timeZone: 'Asia/Ho_Chi_Minh',
    languages: ['vi', 'en'],
    signedOn: HANOI,
    depositedOn: '2026-03-12',
    kind: 'RATIFICATION',
    treatyBasisForExtradition: true,
    declarations: [languagesDeclared('Vietnamese or English')],
    instruments: un('2012-07-08', '2009-09-18'),
  },
  {
    code: 'FR',
    name: 'France',
    timeZone: 'Europe/Paris',
    languages: ['fr', 'en'],
    signedOn: HANOI,
    depositedOn: '2026-06-15',
    kind: 'APPROVAL',
    treatyBasisForExtradition: true,
    declarations: [languagesDeclared('French or English')],
    instruments: [...un('2003-09-29', '2005-12-14'), budapest('2006-05-01'), sap2, ...euLaw],
  },
  {
    code: 'SG',
    name: 'Singapore',
    timeZone: 'Asia/Singapore',
    languages: ['en', 'zh', 'ms'],
    signedOn: HANOI,
    depositedOn: '2026-05-04',
    kind: 'RATIFICATION',
    treatyBasisForExtradition: false,
    instruments: un('2007-09-27', '2009-12-06'),
  },
  {
    code: 'TH',
    name: 'Thailand',
    timeZone: 'Asia/Bangkok',
    languages: ['th', 'en'],
    signedOn: HANOI,
    depositedOn: '2026-07-20',
    kind: 'RATIFICATION',
    instruments: un('2013-11-16', '2011-04-30'),
  },
  {
    code: 'PH',
    name: 'Philippines',
    timeZone: 'Asia/Manila',
    languages: ['en', 'fil'],
    signedOn: HANOI,
    depositedOn: '2026-04-27',
    kind: 'RATIFICATION',
    instruments: [...un('2003-09-29', '2006-12-08'), budapest('2018-07-01')],
  },
  {
    code: 'MY',
    name: 'Malaysia',
    timeZone: 'Asia/Kuala_Lumpur',
    languages: ['ms', 'en'],
    signedOn: HANOI,
    depositedOn: '2026-11-20',
    kind: 'RATIFICATION',
    instruments: un('2004-10-24', '2008-03-23'),
  },
  {
    code: 'ID',
    name: 'Indonesia',
    timeZone: 'Asia/Jakarta',
    languages: ['id', 'en'],
    signedOn: HANOI,
    depositedOn: '2026-08-11',
    kind: 'RATIFICATION',
    instruments: un('2009-05-20', '2006-10-19'),
  },
  {
    code: 'KH',
    name: 'Cambodia',
    timeZone: 'Asia/Phnom_Penh',
    languages: ['km', 'en', 'fr'],
    signedOn: HANOI,
    depositedOn: '2026-02-16',
    kind: 'RATIFICATION',
    instruments: un('2005-12-11', '2007-10-05'),
  },
  {
    code: 'LA',
    name: "Lao People's Democratic Republic",
    timeZone: 'Asia/Vientiane',
    languages: ['lo', 'en', 'fr'],
    signedOn: '2026-01-20',
    depositedOn: '2026-10-15',
    kind: 'RATIFICATION',
    instruments: un('2003-10-26', '2009-10-25'),
  },
  {
    code: 'US',
    name: 'United States of America',
    timeZone: 'America/New_York',
    languages: ['en', 'es'],
    signedOn: HANOI,
    instruments: [...un('2005-12-03', '2006-11-29'), budapest('2007-01-01')],
  },
  {
    code: 'GB',
    name: 'United Kingdom of Great Britain and Northern Ireland',
    timeZone: 'Europe/London',
    languages: ['en'],
    signedOn: HANOI,
    depositedOn: '2026-04-14',
    kind: 'RATIFICATION',
    instruments: [...un('2006-03-09', '2006-03-09'), budapest('2011-09-01')],
  },
  {
    code: 'DE',
    name: 'Germany',
    timeZone: 'Europe/Berlin',
    languages: ['de', 'en'],
    signedOn: HANOI,
    depositedOn: '2026-08-25',
    kind: 'RATIFICATION',
    treatyBasisForExtradition: false,
    reservations: [
      {
        article: '11(3)',
        flag: 'MISUSE_OF_DEVICES_LIMITED',
        text: '(demo) Art. 11(1) is applied only to the sale, distribution or making available of credentials.',
      },
    ],
    instruments: [...un('2006-07-14', '2014-12-12'), budapest('2009-07-01'), sap2, ...euLaw],
  },
  {
    code: 'JP',
    name: 'Japan',
    timeZone: 'Asia/Tokyo',
    languages: ['ja', 'en'],
    signedOn: HANOI,
    depositedOn: '2026-07-01',
    kind: 'ACCEPTANCE',
    reservations: [
      {
        article: '46',
        flag: 'INTERCEPTION_DOMESTIC_LAW_ONLY',
        text: '(demo) Interception is carried out only to the extent permitted by domestic law.',
      },
    ],
    instruments: [...un('2017-08-10', '2017-08-10'), budapest('2012-11-01'), sap2],
  },
  {
    code: 'KR',
    name: 'Korea, Republic of',
    timeZone: 'Asia/Seoul',
    languages: ['ko', 'en'],
    signedOn: HANOI,
    depositedOn: '2026-06-30',
    kind: 'RATIFICATION',
    instruments: un('2015-12-05', '2008-04-27'),
  },
  {
    code: 'AU',
    name: 'Australia',
    timeZone: 'Australia/Sydney',
    languages: ['en'],
    signedOn: HANOI,
    depositedOn: '2026-08-03',
    kind: 'RATIFICATION',
    instruments: [...un('2004-06-26', '2006-01-07'), budapest('2013-03-01')],
  },
  {
    code: 'BR',
    name: 'Brazil',
    timeZone: 'America/Sao_Paulo',
    languages: ['pt', 'en', 'es'],
    signedOn: HANOI,
    depositedOn: '2026-09-02',
    kind: 'RATIFICATION',
    instruments: [...un('2004-03-28', '2005-12-14'), budapest('2023-03-01')],
  },
  {
    code: 'NG',
    name: 'Nigeria',
    timeZone: 'Africa/Lagos',
    languages: ['en'],
    signedOn: HANOI,
    depositedOn: '2026-05-29',
    kind: 'RATIFICATION',
    instruments: [...un('2003-09-29', '2005-12-14'), budapest('2022-11-01')],
  },
  {
    code: 'ZA',
    name: 'South Africa',
    timeZone: 'Africa/Johannesburg',
    languages: ['en', 'af'],
    signedOn: HANOI,
    depositedOn: '2026-06-05',
    kind: 'RATIFICATION',
    instruments: un('2004-03-20', '2005-12-14'),
  },
  {
    code: 'IN',
    name: 'India',
    timeZone: 'Asia/Kolkata',
    languages: ['en', 'hi'],
    instruments: un('2011-06-05', '2011-06-08'),
  },
  // The EU's own instrument does not count toward the 40 (art. 65(1)).
  {
    code: 'EU',
    name: 'European Union',
    timeZone: 'Europe/Brussels',
    languages: ['en', 'fr', 'de'],
    regional: true,
    signedOn: HANOI,
    depositedOn: '2026-08-28',
    kind: 'APPROVAL',
    instruments: [],
  },
];
