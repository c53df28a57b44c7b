// Art. 35 scope gate: does the Convention cover cooperation for these offences and this kind of
// request? Convention offences (arts. 7–17, art. 3(a) [V]) are always in scope; other serious crime
// (art. 2 [V]: maximum penalty of at least four years), including offences under other UN
// instruments committed through ICT (art. 4(2) [V]: not Convention offences), only for electronic
// evidence (art. 35 [U]), judged by the request type or, for general MLA, the measures asked for.
import type { OffenceCode, RequestType } from '../codes.ts';
import { E_EVIDENCE_MEASURES } from '../law/unverified.ts';
import { ART_4_NOT_CONVENTION_OFFENCES, SERIOUS_CRIME, VERIFIED_OFFENCE_ARTICLES } from '../law/verified.ts';
import type { ReasonPart } from './candidate.ts';
import { E_EVIDENCE_REQUEST_TYPES, REQUEST_TYPE_LABELS } from './request-labels.ts';

export type ScopeOffence = { code: OffenceCode; maxPenaltyMonths?: number };
export type ScopeGateResult = 'CONVENTION_OFFENCE' | 'SERIOUS_CRIME_EEVIDENCE' | 'OUT_OF_SCOPE';
/** `seriousCrimeMonths` is for what-if reviews only: the art. 2 threshold [V] is the default. */
export type ScopeDecision = {
  result: ScopeGateResult;
  reason: string;
  reasons: ReasonPart[];
  article: string;
};
export type ScopeGateOptions = { seriousCrimeMonths?: number };

export const DEFAULT_SERIOUS_CRIME_MONTHS: number = SERIOUS_CRIME.minimumMaxPenaltyMonths;

/** Offences established in accordance with the Convention: arts. 7–15, 17 [V] and art. 16 [U]. */
export const CONVENTION_OFFENCE_ARTICLES: Readonly<Partial<Record<OffenceCode, string>>> = {
  ...VERIFIED_OFFENCE_ARTICLES,
  NCII: 'art. 16',
};

export type ScopeGateInput = {
  offences: readonly ScopeOffence[];
  requestType: RequestType;
  /** For general MLA: the measures asked for (MlaMeasure), which decide whether it seeks e-evidence. */
  measures?: readonly string[] | undefined;
};

/** True when the request seeks electronic evidence: by its type, or by every measure it asks for. */
export function seeksElectronicEvidence(input: Omit<ScopeGateInput, 'offences'>): boolean {
  if (E_EVIDENCE_REQUEST_TYPES.includes(input.requestType)) return true;
  const measures = input.measures ?? [];
  return (
    input.requestType === 'MLA_GENERAL' &&
    measures.length > 0 &&
    measures.every((m) => E_EVIDENCE_MEASURES.includes(m))
  );
}

/** Classifies a request against the Convention's scope (art. 35). */
export function scopeGate(input: ScopeGateInput, options: ScopeGateOptions = {}): ScopeDecision {
  const threshold = options.seriousCrimeMonths ?? DEFAULT_SERIOUS_CRIME_MONTHS;
  const { offences, requestType } = input;
  const convention = offences.filter((o) => CONVENTION_OFFENCE_ARTICLES[o.code] !== undefined);
  if (convention.length > 0) {
    const named = convention.map((o) => `${o.code} (${CONVENTION_OFFENCE_ARTICLES[o.code]})`).join(', ');
    return {
      result: 'CONVENTION_OFFENCE',
      reason: `${named}: offence${convention.length > 1 ? 's' : ''} established under the Convention`,
      reasons: [
        {
          code: 'SCOPE_CONVENTION_OFFENCE',
          params: { offences: convention.map((o) => o.code), count: convention.length },
        },
      ],
      article: CONVENTION_OFFENCE_ARTICLES[convention[0]!.code]!,
    };
  }
  if (offences.length === 0) {
    return {
      result: 'OUT_OF_SCOPE',
      reason: 'no offence given: the scope of art. 35 cannot be established',
      reasons: [{ code: 'SCOPE_NO_OFFENCE' }],
      article: 'art. 35',
    };
  }
  const serious = offences.find((o) => o.maxPenaltyMonths !== undefined && o.maxPenaltyMonths >= threshold);
  if (serious) {
    const penalty = `${serious.code} carries a maximum penalty of ${serious.maxPenaltyMonths} months${artFourNote(serious.code)}`;
    const params = { offence: serious.code, months: serious.maxPenaltyMonths!, type: requestType };
    if (seeksElectronicEvidence(input)) {
      return {
        result: 'SERIOUS_CRIME_EEVIDENCE',
        reason: `${penalty} (serious crime, art. 2): the Convention covers electronic evidence of it`,
        reasons: [{ code: 'SCOPE_SERIOUS_EEVIDENCE', params }],
        article: 'art. 35',
      };
    }
    const what =
      requestType === 'MLA_GENERAL'
        ? `this request asks for measures other than ${E_EVIDENCE_MEASURES.join(', ')}, so it is not a request for electronic evidence`
        : `${REQUEST_TYPE_LABELS[requestType]} is not a request for electronic evidence`;
    return {
      result: 'OUT_OF_SCOPE',
      reason: `${penalty}, a serious crime but not a Convention offence; the Convention covers only electronic evidence of it, and ${what}: use another legal basis`,
      reasons: [{ code: 'SCOPE_SERIOUS_NOT_EEVIDENCE', params }],
      article: 'art. 35',
    };
  }
  return {
    result: 'OUT_OF_SCOPE',
    reason: belowThreshold(offences, threshold),
    reasons: [
      ...offences.map(
        (o): ReasonPart =>
          o.maxPenaltyMonths === undefined
            ? { code: 'SCOPE_PENALTY_MISSING', params: { offence: o.code, threshold } }
            : {
                code: 'SCOPE_BELOW_THRESHOLD',
                params: { offence: o.code, months: o.maxPenaltyMonths, threshold },
              },
      ),
      { code: 'SCOPE_NOT_CONVENTION_OFFENCE' },
    ],
    article: 'art. 2',
  };
}

function belowThreshold(offences: readonly ScopeOffence[], threshold: number): string {
  const limit = threshold % 12 === 0 ? `${threshold / 12}-year` : `${threshold}-month`;
  const parts = offences.map((o) =>
    o.maxPenaltyMonths === undefined
      ? `${o.code}: maximum penalty not given, so it cannot be shown to reach the ${limit} threshold of art. 2`
      : `${o.code}: maximum penalty ${o.maxPenaltyMonths} months is below the ${limit} threshold of art. 2`,
  );
  const artFour = offences.some((o) => o.code === 'UN_INSTRUMENT_OFFENCE_VIA_ICT')
    ? `; an offence under another UN instrument committed through ICT is not a Convention offence (${ART_4_NOT_CONVENTION_OFFENCES.article}: "${ART_4_NOT_CONVENTION_OFFENCES.quote}")`
    : '';
  return `${parts.join('; ')}; not a Convention offence either${artFour}`;
}

function artFourNote(code: OffenceCode): string {
  return code === 'UN_INSTRUMENT_OFFENCE_VIA_ICT'
    ? ` (an offence under another UN instrument committed through ICT, not a Convention offence: ${ART_4_NOT_CONVENTION_OFFENCES.article})`
    : '';
}
