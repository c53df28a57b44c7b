// Art. 35 scope gate: does the Convention cover cooperation for these offences and this kind of
// request? Convention offences are always in scope; other serious crime (art. 2: maximum penalty
// of at least four years) only for electronic evidence.
import type { OffenceCode, RequestType } from '../codes.ts';
import type { ReasonPart } from './candidate.ts';
import { E_EVIDENCE_REQUEST_TYPES, REQUEST_TYPE_LABELS } from './request-labels.ts';

export type ScopeOffence = { code: OffenceCode; maxPenaltyMonths?: number };
export type ScopeGateResult = 'CONVENTION_OFFENCE' | 'SERIOUS_CRIME_EEVIDENCE' | 'OUT_OF_SCOPE';
export type ScopeDecision = {
  result: ScopeGateResult;
  reason: string;
  reasons: ReasonPart[];
  article: string;
};
export type ScopeGateOptions = { seriousCrimeMonths?: number };

export const DEFAULT_SERIOUS_CRIME_MONTHS = 48;

/** Offences established by the Convention (arts. 7–17) and UN-instrument offences via ICT (art. 4). */
export const CONVENTION_OFFENCE_ARTICLES: Readonly<Partial<Record<OffenceCode, string>>> = {
  ILLEGAL_ACCESS: 'art. 7',
  ILLEGAL_INTERCEPTION: 'art. 8',
  DATA_INTERFERENCE: 'art. 9',
  SYSTEM_INTERFERENCE: 'art. 10',
  MISUSE_OF_DEVICES: 'art. 11',
  ICT_FORGERY: 'art. 12',
  ICT_THEFT_FRAUD: 'art. 13',
  CSAM: 'art. 14',
  GROOMING: 'art. 15',
  NCII: 'art. 16',
  LAUNDERING: 'art. 17',
  UN_INSTRUMENT_OFFENCE_VIA_ICT: 'art. 4',
};

/** Classifies a request against the Convention's scope (art. 35); the threshold is configurable. */
export function scopeGate(
  input: { offences: readonly ScopeOffence[]; requestType: RequestType },
  options: ScopeGateOptions = {},
): ScopeDecision {
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
    const penalty = `${serious.code} carries a maximum penalty of ${serious.maxPenaltyMonths} months`;
    const params = { offence: serious.code, months: serious.maxPenaltyMonths!, type: requestType };
    if (E_EVIDENCE_REQUEST_TYPES.includes(requestType)) {
      return {
        result: 'SERIOUS_CRIME_EEVIDENCE',
        reason: `${penalty} (serious crime, art. 2): the Convention covers electronic evidence of it`,
        reasons: [{ code: 'SCOPE_SERIOUS_EEVIDENCE', params }],
        article: 'art. 35',
      };
    }
    return {
      result: 'OUT_OF_SCOPE',
      reason: `${penalty}, a serious crime but not a Convention offence; the Convention covers only electronic evidence of it, and ${REQUEST_TYPE_LABELS[requestType]} is not a request for electronic evidence: use another legal basis`,
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
  return `${parts.join('; ')}; not a Convention offence either`;
}
