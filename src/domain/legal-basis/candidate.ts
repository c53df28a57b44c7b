// The answer shape of the resolver and the order in which it proposes legal bases.
import type { LegalBasisCode } from '../codes.ts';

/**
 * One clause of a reason as a stable code and its parameters (State codes, ISO dates, offence and
 * request-type codes, months), so that a reader's interface can word it in their language; the
 * English `reason` text stays beside it for API clients that show text.
 */
export type ReasonPart = { code: string; params?: Record<string, string | number | readonly string[]> };

export type LegalBasisCandidate = {
  basis: LegalBasisCode;
  treatyRef?: string;
  applies: boolean;
  reason: string;
  /** The same reason as codes, in order (absent on candidates stored before codes existed). */
  reasons?: ReasonPart[];
  article?: string;
  /**
   * UN Convention only: the flag of the requested Party's reservation or declaration under art. 42
   * that keeps dual criminality for preservation, when it has one.
   */
  dualCriminalityReserved?: string;
};

/** Legal bases the resolver can assess. */
export type ResolvableBasis = Exclude<LegalBasisCode, 'DOMESTIC_LAW' | 'POLICE_CHANNEL'>;

/** Default order (convention.md §10): specific treaties first, reciprocity last. */
export const DEFAULT_BASIS_ORDER: readonly ResolvableBasis[] = [
  'BILATERAL_TREATY',
  'REGIONAL_TREATY',
  'UNCC',
  'BUDAPEST',
  'BUDAPEST_SAP2',
  'EU_E_EVIDENCE',
  'EU_EIO',
  'UNTOC',
  'UNCAC',
  'RECIPROCITY',
];

/** The first candidate that applies, in the order given. */
export function pickPrimaryBasis(
  candidates: readonly LegalBasisCandidate[],
): LegalBasisCandidate | undefined {
  return candidates.find((c) => c.applies);
}
