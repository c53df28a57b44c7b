// Every rule of law the software encodes, with its article, whether its text was verified, and
// where it is encoded. docs/rules.md is generated from this list (npm run docs:rules) so a lawyer
// can review the rules without reading code; a test fails when the page is stale.
import {
  ART_4_NOT_CONVENTION_OFFENCES,
  BUDAPEST_PRESERVATION_DUAL_CRIMINALITY,
  BUDAPEST_PRESERVATION_GROUNDS,
  BUDAPEST_PRESERVATION_PERIOD,
  EMERGENCY,
  ENTRY_INTO_FORCE,
  SERIOUS_CRIME,
  SIGNATURE_WINDOW,
} from './verified.ts';

export type Verification = 'VERIFIED' | 'UNVERIFIED';

export type LawRule = {
  id: string;
  /** 'UN Convention', 'Budapest Convention', ... */
  instrument: string;
  article: string;
  /** What the software does, in plain words. */
  rule: string;
  verification: Verification;
  /** The text read, for verified rules. */
  quote?: string;
  /** Source file(s) that encode it. */
  encodedIn: string;
};

const UN = 'UN Convention';
const BUDAPEST = 'Budapest Convention';

export const LAW_RULES: readonly LawRule[] = [
  {
    id: 'ENTRY_INTO_FORCE',
    instrument: UN,
    article: ENTRY_INTO_FORCE.article,
    rule: 'In force on the 90th day after the 40th deposit; a regional organisation’s instrument does not count on top of its member States’.',
    verification: 'VERIFIED',
    quote: ENTRY_INTO_FORCE.quote,
    encodedIn: 'src/domain/legal-basis/entry-into-force.ts, src/domain/directory/directory-schema.ts',
  },
  {
    id: 'LATER_DEPOSIT',
    instrument: UN,
    article: 'art. 65(2)',
    rule: 'A State depositing after the 40th: in force on the 30th day after its own deposit, or on the general date if later.',
    verification: 'UNVERIFIED',
    encodedIn: 'src/domain/legal-basis/entry-into-force.ts, src/domain/law/unverified.ts',
  },
  {
    id: 'DENUNCIATION',
    instrument: UN,
    article: 'art. 67',
    rule: 'Denunciation takes effect one year after the Secretary-General receives the notice.',
    verification: 'UNVERIFIED',
    encodedIn: 'src/domain/legal-basis/entry-into-force.ts',
  },
  {
    id: 'SIGNATURE_WINDOW',
    instrument: UN,
    article: SIGNATURE_WINDOW.article,
    rule: 'A signature date in the directory must lie between 25 October 2025 (Hanoi) and 31 December 2026 (New York).',
    verification: 'VERIFIED',
    quote: SIGNATURE_WINDOW.quote,
    encodedIn: 'src/domain/directory/party-checks.ts',
  },
  {
    id: 'REGIONAL_ORGANISATION_DEPOSIT',
    instrument: UN,
    article: 'art. 64',
    rule: 'A regional economic integration organisation deposits only after at least one of its member States has deposited.',
    verification: 'UNVERIFIED',
    encodedIn: 'src/domain/directory/party-checks.ts, src/domain/law/unverified.ts',
  },
  {
    id: 'SERIOUS_CRIME',
    instrument: UN,
    article: SERIOUS_CRIME.article,
    rule: 'Serious crime: a maximum penalty of at least four years (48 months) of deprivation of liberty.',
    verification: 'VERIFIED',
    quote: SERIOUS_CRIME.quote,
    encodedIn: 'src/domain/legal-basis/scope-gate.ts',
  },
  {
    id: 'EMERGENCY',
    instrument: UN,
    article: EMERGENCY.article,
    rule: 'An emergency request must state a significant and imminent risk to the life or safety of a person.',
    verification: 'VERIFIED',
    quote: EMERGENCY.quote,
    encodedIn: 'src/domain/requests/validate-request.ts',
  },
  {
    id: 'CONVENTION_OFFENCES',
    instrument: UN,
    article: 'arts. 7–17',
    rule: 'Offences established by the Convention (arts. 7–15 and 17 read; art. 16 not read) get the full cooperation track.',
    verification: 'VERIFIED',
    encodedIn: 'src/domain/legal-basis/scope-gate.ts',
  },
  {
    id: 'ART_4_NOT_CONVENTION_OFFENCES',
    instrument: UN,
    article: ART_4_NOT_CONVENTION_OFFENCES.article,
    rule: 'Offences under other UN instruments committed through ICT are not Convention offences: electronic evidence only, and only at four years or more.',
    verification: 'VERIFIED',
    quote: ART_4_NOT_CONVENTION_OFFENCES.quote,
    encodedIn: 'src/domain/legal-basis/scope-gate.ts',
  },
  {
    id: 'E_EVIDENCE_SCOPE',
    instrument: UN,
    article: 'art. 35',
    rule: 'For serious crime that is not a Convention offence, only electronic evidence: judged by the measures asked for (stored data, real-time traffic data, interception) as well as by request type.',
    verification: 'UNVERIFIED',
    encodedIn: 'src/domain/legal-basis/scope-gate.ts, src/domain/legal-basis/request-labels.ts',
  },
  {
    id: 'PRESERVATION_FLOOR',
    instrument: UN,
    article: 'art. 42',
    rule: 'Preserved data are kept at least 60 days; a node policy below the floor is refused.',
    verification: 'UNVERIFIED',
    encodedIn: 'src/domain/requests/preservation.ts, src/domain/law/unverified.ts',
  },
  {
    id: 'BUDAPEST_PRESERVATION_FLOOR',
    instrument: BUDAPEST,
    article: BUDAPEST_PRESERVATION_PERIOD.article,
    rule: 'Preserved data are kept at least 60 days and, once the follow-up request for search, seizure or disclosure arrives, until it is decided.',
    verification: 'VERIFIED',
    quote: BUDAPEST_PRESERVATION_PERIOD.quote,
    encodedIn: 'src/domain/requests/preservation.ts',
  },
  {
    id: 'PRESERVATION_HOLD',
    instrument: UN,
    article: 'art. 42',
    rule: 'Only the follow-up request for the search, seizure or disclosure of the preserved data, made before expiry, keeps a preservation past its expiry; the officer is told when that request is refused or withdrawn.',
    verification: 'UNVERIFIED',
    encodedIn:
      'src/domain/requests/preservation.ts, src/requests/request-store.ts, src/requests/request-timers.ts',
  },
  {
    id: 'UNCC_MLA_GROUNDS',
    instrument: UN,
    article: 'art. 40',
    rule: 'Grounds to refuse mutual legal assistance: non-conforming request, essential interests, domestic prohibition, contrary to the legal system, persecution risk, no dual criminality, data protection (art. 36).',
    verification: 'UNVERIFIED',
    encodedIn: 'src/domain/requests/refusal-grounds.ts, src/domain/law/unverified.ts',
  },
  {
    id: 'UNCC_PRESERVATION_GROUNDS',
    instrument: UN,
    article: 'art. 42',
    rule: 'Grounds to refuse preservation (and art. 43 disclosure): essential interests, persecution risk, and no dual criminality only as below.',
    verification: 'UNVERIFIED',
    encodedIn: 'src/domain/requests/refusal-grounds.ts, src/domain/law/unverified.ts',
  },
  {
    id: 'UNCC_PRESERVATION_DUAL_CRIMINALITY',
    instrument: UN,
    article: 'art. 42',
    rule: 'No dual criminality for preservation; for an offence that is not a Convention offence the requested Party may refuse for lack of it only if its recorded reservation or declaration on art. 42 says so.',
    verification: 'UNVERIFIED',
    encodedIn: 'src/domain/requests/refusal-grounds.ts',
  },
  {
    id: 'EXCLUDED_GROUNDS',
    instrument: UN,
    article: 'art. 40',
    rule: 'Bank secrecy, and the fiscal nature of an offence, are never a ground of refusal.',
    verification: 'UNVERIFIED',
    encodedIn: 'src/domain/requests/vocabulary.ts',
  },
  {
    id: 'CONSULT_BEFORE_REFUSAL',
    instrument: UN,
    article: 'art. 40',
    rule: 'Consult the requesting State before refusing or postponing; written reasons always.',
    verification: 'UNVERIFIED',
    encodedIn: 'src/domain/requests/lifecycle.ts',
  },
  {
    id: 'FACTS_SUMMARY',
    instrument: UN,
    article: 'art. 40',
    rule: 'A request states a summary of the relevant facts, except a request only for service of judicial documents.',
    verification: 'UNVERIFIED',
    encodedIn: 'src/domain/requests/validate-request.ts',
  },
  {
    id: 'PRESERVATION_CONTENTS',
    instrument: UN,
    article: 'art. 42',
    rule: 'A preservation request names the data and their relation to the offence, any available information on the custodian or location (UNKNOWN when none is available), the necessity, and the follow-up request to come.',
    verification: 'UNVERIFIED',
    encodedIn: 'src/domain/requests/request-schemas.ts',
  },
  {
    id: 'BUDAPEST_PRESERVATION_GROUNDS',
    instrument: BUDAPEST,
    article: BUDAPEST_PRESERVATION_GROUNDS.article,
    rule: 'Preservation (and art. 30 disclosure) may be refused only for a political offence or essential interests.',
    verification: 'VERIFIED',
    quote: BUDAPEST_PRESERVATION_GROUNDS.quote,
    encodedIn: 'src/domain/requests/refusal-grounds.ts',
  },
  {
    id: 'BUDAPEST_PRESERVATION_DUAL_CRIMINALITY',
    instrument: BUDAPEST,
    article: BUDAPEST_PRESERVATION_DUAL_CRIMINALITY.article,
    rule: 'Refusing preservation for lack of dual criminality needs the requested Party’s reservation, and only for offences outside arts. 2–11. The directory does not record Budapest reservations, so this ground is not offered for preservation under Budapest.',
    verification: 'VERIFIED',
    quote: BUDAPEST_PRESERVATION_DUAL_CRIMINALITY.quote,
    encodedIn: 'src/domain/requests/refusal-grounds.ts',
  },
  {
    id: 'BUDAPEST_MLA_GROUNDS',
    instrument: BUDAPEST,
    article: 'Budapest arts. 25(4), 27(4)',
    rule: 'Mutual assistance may be refused for a political offence, essential interests, or the grounds of the requested Party’s law or treaty.',
    verification: 'UNVERIFIED',
    encodedIn: 'src/domain/requests/refusal-grounds.ts, src/domain/law/unverified.ts',
  },
  {
    id: 'UN_TREATY_MLA_GROUNDS',
    instrument: 'UNTOC, UNCAC',
    article: 'UNTOC art. 18(21), UNCAC art. 46(21)',
    rule: 'Grounds to refuse: non-conforming request, essential interests, domestic prohibition, contrary to the legal system, no dual criminality.',
    verification: 'UNVERIFIED',
    encodedIn: 'src/domain/requests/refusal-grounds.ts, src/domain/law/unverified.ts',
  },
  {
    id: 'EU_PRESERVATION_FLOOR',
    instrument: 'EU e-Evidence Regulation',
    article: 'Regulation (EU) 2023/1543 art. 11',
    rule: 'A European Preservation Order keeps the data 60 days.',
    verification: 'UNVERIFIED',
    encodedIn: 'src/domain/law/unverified.ts',
  },
  {
    id: 'EXTRADITION_TREATY_BASIS',
    instrument: UN,
    article: 'art. 37',
    rule: 'The Convention is a basis for extradition only where the requested Party takes it as one.',
    verification: 'UNVERIFIED',
    encodedIn: 'src/domain/legal-basis/uncc-candidate.ts',
  },
  {
    id: 'INSTRUMENT_COVERAGE',
    instrument: 'Other instruments',
    article: 'various',
    rule: 'Which request types Budapest, its Second Protocol, UNTOC, UNCAC and EU instruments cover, with the article relied on.',
    verification: 'UNVERIFIED',
    encodedIn: 'src/domain/legal-basis/instrument-coverage.ts',
  },
  {
    id: 'REQUEST_TYPE_ARTICLES',
    instrument: UN,
    article: 'arts. 37–48',
    rule: 'The article each request type rests on (preservation art. 42, stored data art. 44, 24/7 art. 41, ...).',
    verification: 'UNVERIFIED',
    encodedIn: 'src/domain/legal-basis/request-labels.ts',
  },
];

/** The rule with `id`; throws on an id the registry does not list (a typo in code, not user input). */
export function lawRule(id: string): LawRule {
  const found = LAW_RULES.find((r) => r.id === id);
  if (!found) throw new Error(`no law rule '${id}'`);
  return found;
}
