// Proposes every legal basis for a request between two States on a date, in the configured
// order, each saying whether it applies and why. The officer chooses; this never hides one.
import type { RequestType } from '../codes.ts';
import type { DirectoryDocument } from '../directory/index.ts';
import { DEFAULT_BASIS_ORDER, type LegalBasisCandidate, type ResolvableBasis } from './candidate.ts';
import { assertDate } from './dates.ts';
import { SamePartyError } from './errors.ts';
import { instrumentCandidate } from './instrument-candidate.ts';
import { type CoverageTable, DEFAULT_COVERAGE } from './instrument-coverage.ts';
import { findParty } from './parties.ts';
import type { ScopeGateOptions, ScopeOffence } from './scope-gate.ts';
import { treatyCandidates } from './treaty-candidates.ts';
import { unccCandidate } from './uncc-candidate.ts';

export type ResolveLegalBasisInput = {
  directory: DirectoryDocument;
  requesting: string;
  requested: string;
  /** The day the request is made, 'YYYY-MM-DD'. */
  date: string;
  requestType: RequestType;
  /** When given, the UN Convention applies only within its art. 35 scope. */
  offences?: readonly ScopeOffence[];
  /** For general MLA: the measures asked for, which decide whether it seeks electronic evidence. */
  measures?: readonly string[];
  order?: readonly ResolvableBasis[];
  coverage?: Partial<CoverageTable>;
  scopeOptions?: ScopeGateOptions;
};

export const RECIPROCITY_REASON = 'no treaty obligation; requires an undertaking of reciprocity';

/**
 * Every candidate legal basis, in order. Throws UnknownPartyError for a code not in the directory,
 * SamePartyError when both sides are the same, InvalidDateError for a malformed date.
 */
export function resolveLegalBasis(input: ResolveLegalBasisInput): LegalBasisCandidate[] {
  const { directory, date, requestType } = input;
  assertDate(date);
  const requesting = findParty(directory, input.requesting);
  const requested = findParty(directory, input.requested);
  if (requesting.code === requested.code) throw new SamePartyError(requesting.code);
  const coverage: CoverageTable = { ...DEFAULT_COVERAGE, ...input.coverage };
  const out: LegalBasisCandidate[] = [];
  for (const basis of input.order ?? DEFAULT_BASIS_ORDER) {
    switch (basis) {
      case 'BILATERAL_TREATY':
      case 'REGIONAL_TREATY':
        out.push(...treatyCandidates(directory, basis, requesting.code, requested.code, date, requestType));
        break;
      case 'UNCC':
        out.push(
          unccCandidate({
            directory,
            requesting,
            requested,
            date,
            requestType,
            offences: input.offences,
            measures: input.measures,
            scopeOptions: input.scopeOptions,
          }),
        );
        break;
      case 'RECIPROCITY':
        out.push({
          basis: 'RECIPROCITY',
          applies: true,
          reason: RECIPROCITY_REASON,
          reasons: [{ code: 'RECIPROCITY' }],
        });
        break;
      default:
        out.push(instrumentCandidate(basis, requesting, requested, date, requestType, coverage));
    }
  }
  return out;
}
