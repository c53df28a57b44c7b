// Chooses the legal basis a request is made on, from the resolver's candidates, and applies the
// art. 35 scope gate. Returns problems rather than throwing, naming the field and article.
import type { LegalBasisCode } from '../codes.ts';
import type { LegalBasisCandidate, ScopeDecision } from '../legal-basis/index.ts';
import type { RequestProblem } from './validate-request.ts';

export type LegalBasisChoice = {
  basis: LegalBasisCode;
  treatyRef: string | null;
  reason: string;
};

export type ChooseInput = {
  candidates: readonly LegalBasisCandidate[];
  scope: ScopeDecision;
  chosen?: LegalBasisCode | undefined;
  treatyRef?: string | undefined;
  reciprocityUndertaking?: boolean | undefined;
  /** For messages: 'VN → FR on 2026-12-10'. */
  label: string;
};

/**
 * The officer's chosen basis if it applies, otherwise the first that applies. Reciprocity counts
 * only with an undertaking; a request outside the Convention's scope needs another basis, named.
 */
export function chooseLegalBasis(
  input: ChooseInput,
): { ok: true; choice: LegalBasisChoice } | { ok: false; errors: RequestProblem[] } {
  const { candidates, scope, chosen } = input;
  const usable = (c: LegalBasisCandidate) =>
    c.applies && (c.basis !== 'RECIPROCITY' || input.reciprocityUndertaking === true);
  if (scope.result === 'OUT_OF_SCOPE' && (chosen === undefined || chosen === 'UNCC')) {
    return {
      ok: false,
      errors: [
        {
          field: '/offences',
          message: `out of the Convention's scope: ${scope.reason}. To proceed on another instrument, name it in legalBasis`,
          article: scope.article,
        },
      ],
    };
  }
  if (chosen !== undefined) {
    const matching = candidates.filter(
      (c) => c.basis === chosen && (input.treatyRef === undefined || c.treatyRef === input.treatyRef),
    );
    const hit = matching.find(usable);
    if (hit) return { ok: true, choice: toChoice(hit) };
    const why =
      chosen === 'RECIPROCITY' && input.reciprocityUndertaking !== true
        ? 'reciprocity needs an undertaking of reciprocity (reciprocityUndertaking: true)'
        : matching.length > 0
          ? matching.map((c) => c.reason).join('; ')
          : `${chosen} is not a candidate for ${input.label}`;
    return {
      ok: false,
      errors: [{ field: '/legalBasis', message: `${chosen} does not apply: ${why}`, article: 'art. 60' }],
    };
  }
  const first = candidates.find(usable);
  if (first) return { ok: true, choice: toChoice(first) };
  const reasons = candidates
    .filter((c) => c.basis !== 'RECIPROCITY')
    .map((c) => `${c.basis}: ${c.reason}`)
    .join('; ');
  return {
    ok: false,
    errors: [
      {
        field: '/legalBasis',
        message: `no legal basis applies for ${input.label} (${reasons}); a request on reciprocity needs reciprocityUndertaking: true`,
        article: 'art. 60',
      },
    ],
  };
}

function toChoice(c: LegalBasisCandidate): LegalBasisChoice {
  return { basis: c.basis, treatyRef: c.treatyRef ?? null, reason: c.reason };
}
