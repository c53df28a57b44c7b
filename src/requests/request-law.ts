// What the life cycle needs to know of a stored request's legal basis: the basis (it decides the
// refusal grounds) and the requested Party's art. 42 reservation recorded when it was prepared.
import type { LegalBasisCandidate } from '../domain/legal-basis/index.ts';
import type { RequestRow } from './request-view.ts';

export function lawOfRow(row: Pick<RequestRow, 'legalBasis' | 'legalBasisCandidates'>): {
  legalBasis: string;
  dualCriminalityReserved?: string;
} {
  const candidates = Array.isArray(row.legalBasisCandidates)
    ? (row.legalBasisCandidates as LegalBasisCandidate[])
    : [];
  const uncc = candidates.find((c) => c.basis === 'UNCC');
  return uncc?.dualCriminalityReserved
    ? { legalBasis: row.legalBasis, dualCriminalityReserved: uncc.dualCriminalityReserved }
    : { legalBasis: row.legalBasis };
}
