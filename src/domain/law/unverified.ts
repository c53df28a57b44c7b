// Rules whose text has NOT been read in a primary source (convention.md tag [U], §11). They are
// kept as data in one place so a lawyer who reads the text can correct them here, without hunting
// through the code; every entry is listed in docs/rules.md as unverified.
import type { LegalBasisCode, RequestType } from '../codes.ts';
import { REFUSAL_GROUNDS, type RefusalGround } from '../requests/vocabulary.ts';

/**
 * Preservation floor per legal basis, in days: the law, not a node setting. UNCC art. 42 and the EU
 * Regulation are [U]; Budapest art. 29(7) is [V] (verified.ts) and repeated here for the lookup.
 */
export const PRESERVATION_FLOOR_DAYS: Readonly<
  Partial<Record<LegalBasisCode, { days: number; article: string }>>
> = {
  UNCC: { days: 60, article: 'art. 42' },
  BUDAPEST: { days: 60, article: 'Budapest art. 29(7)' },
  EU_E_EVIDENCE: { days: 60, article: 'Regulation (EU) 2023/1543 art. 11' },
};

/**
 * Grounds of the UN Convention's general MLA article (art. 40, modelled on UNCAC art. 46(21)) [U]:
 * every ground of the vocabulary but the political offence, which comes from Budapest.
 */
export const UNCC_MLA_GROUNDS: readonly RefusalGround[] = REFUSAL_GROUNDS.filter(
  (g) => g !== 'POLITICAL_OFFENCE',
);

/** Grounds for refusing preservation under art. 42 and disclosure under art. 43 [U]: the narrow list. */
export const UNCC_PRESERVATION_GROUNDS: readonly RefusalGround[] = [
  'ESSENTIAL_INTERESTS',
  'PERSECUTION_RISK',
  'NO_DUAL_CRIMINALITY',
];

/**
 * Budapest MLA (arts. 25(4), 27(4)): political offence and essential interests, plus the grounds of
 * the requested Party's law or the applicable treaty, i.e. every ground [U: arts. 25 and 27 not read].
 */
export const BUDAPEST_MLA_GROUNDS: readonly RefusalGround[] = REFUSAL_GROUNDS;

/** UNTOC art. 18(21) and UNCAC art. 46(21), with dual criminality (18(9), 46(9)) [U]. */
export const UN_MLA_TREATY_GROUNDS: readonly RefusalGround[] = UNCC_MLA_GROUNDS.filter(
  (g) => g !== 'PERSECUTION_RISK' && g !== 'DATA_PROTECTION',
);

/** Request types refused on the preservation list of their basis rather than the MLA one. */
export const PRESERVATION_TYPES: readonly RequestType[] = ['PRESERVATION', 'TRAFFIC_DATA_DISCLOSURE'];

/** Sole grounds the Convention rules out (art. 40 [U], as UNCAC art. 46(8) and (22)). */
export const EXCLUDED_GROUNDS_ARTICLE = 'art. 40';

/** Art. 65(2) [U, as UNCAC art. 68(2)]: later depositors, the 30th day after their own deposit. */
export const LATER_DEPOSIT_DAYS = { days: 30, article: 'art. 65(2)' } as const;

/** Art. 67 [U, as UNCAC art. 70(1)]: denunciation takes effect one year after the notice. */
export const DENUNCIATION_DELAY_YEARS = { years: 1, article: 'art. 67' } as const;

/**
 * Art. 64 [U, as UNCAC art. 67(3)]: a regional economic integration organisation may deposit only
 * if at least one of its member States has done likewise. Members per reserved code (changes of
 * membership are rare; correct here).
 */
export const REGIONAL_ORGANISATION_MEMBERS: Readonly<Record<string, readonly string[]>> = {
  EU: [
    'AT',
    'BE',
    'BG',
    'HR',
    'CY',
    'CZ',
    'DK',
    'EE',
    'FI',
    'FR',
    'DE',
    'GR',
    'HU',
    'IE',
    'IT',
    'LV',
    'LT',
    'LU',
    'MT',
    'NL',
    'PL',
    'PT',
    'RO',
    'SK',
    'SI',
    'ES',
    'SE',
  ],
};

/** Art. 40 [U]: measures for which the summary of facts is not needed (service of judicial documents). */
export const FACTS_NOT_NEEDED_FOR: readonly string[] = ['SERVICE_OF_DOCUMENTS'];

/** Art. 35 [U]: MLA measures that collect, obtain or share electronic evidence. */
export const E_EVIDENCE_MEASURES: readonly string[] = ['STORED_DATA', 'REALTIME_TRAFFIC', 'INTERCEPTION'];

/** Art. 42 [U]: "any available information" on the custodian or location; this says none is. */
export const CUSTODIAN_UNKNOWN = 'UNKNOWN';
