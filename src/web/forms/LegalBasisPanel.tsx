// In the composer's legal-basis section: which legal basis carries the request and whether the
// offences are in the Convention's scope, recomputed by the node as the partner State and the
// offences are chosen. Headed as what it is (the node's check), not as a bare "answer".
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReasonPart } from '../../domain/legal-basis/candidate.ts';
import { get, query } from '../api/client.ts';
import { enumLabel } from '../components/FieldLabels.ts';
import { ReasonText } from '../components/ReasonText.tsx';
import type { RawObject } from './schema-values.ts';

type Candidate = {
  basis: string;
  reason: string;
  reasons?: ReasonPart[];
  applies: boolean;
  article?: string;
};
type Answer = {
  primary: Candidate | null;
  scope: { result: string; reason: string; reasons?: ReasonPart[] } | null;
};

function today(): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

function offencesOf(value: RawObject): string[] {
  const list = Array.isArray(value.offences) ? (value.offences as RawObject[]) : [];
  return list
    .filter((o) => typeof o.code === 'string' && o.code)
    .map((o) =>
      typeof o.maxPenaltyMonths === 'string' && /^\d+$/.test(o.maxPenaltyMonths.trim())
        ? `${o.code}:${o.maxPenaltyMonths.trim()}`
        : String(o.code),
    );
}

export function LegalBasisPanel({ type, value }: { type: string; value: RawObject }) {
  const { t } = useTranslation();
  const [answer, setAnswer] = useState<Answer | null>(null);
  const requesting = typeof value.requestingState === 'string' ? value.requestingState : '';
  const requested = typeof value.requestedState === 'string' ? value.requestedState : '';
  const offences = offencesOf(value).join(',');

  useEffect(() => {
    if (!requesting || !requested || requesting === requested) {
      setAnswer(null);
      return;
    }
    let live = true;
    // Waits for the typing to settle before asking the node.
    const timer = setTimeout(() => {
      const params = query({ requesting, requested, date: today(), type });
      const list = offences ? offences.split(',').map((o) => `&offences=${encodeURIComponent(o)}`) : [];
      get<Answer>(`/api/v1/legal-basis${params}${list.join('')}`).then(
        (a) => live && setAnswer(a),
        () => live && setAnswer(null),
      );
    }, 300);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [requesting, requested, offences, type]);

  return (
    <section className="card legal-panel" aria-labelledby="legal-panel-title">
      <h3 id="legal-panel-title">{t('composer.basisCheck')}</h3>
      <div role="status" aria-live="polite">
        {answer === null ? (
          <p className="hint">{t('composer.legalHint')}</p>
        ) : (
          <>
            <p>
              <span className="sub">{t('legalBasis.primary')}</span>
              {answer.primary ? (
                <strong>{enumLabel(answer.primary.basis, t)}</strong>
              ) : (
                <strong className="late-text">{t('legalBasis.noneApplies')}</strong>
              )}
            </p>
            {answer.primary ? (
              <p>
                <ReasonText parts={answer.primary.reasons} english={answer.primary.reason} />
              </p>
            ) : null}
            <p>
              <span className="sub">{t('legalBasis.scope')}</span>
              {answer.scope ? (
                <strong className={answer.scope.result === 'OUT_OF_SCOPE' ? 'late-text' : undefined}>
                  {t(
                    `legalBasis.scopeResult.${answer.scope.result}` as 'legalBasis.scopeResult.OUT_OF_SCOPE',
                    {
                      defaultValue: answer.scope.result,
                    },
                  )}
                </strong>
              ) : (
                <span>{t('legalBasis.noOffences')}</span>
              )}
            </p>
            {answer.scope ? (
              <p>
                <ReasonText parts={answer.scope.reasons} english={answer.scope.reason} />
              </p>
            ) : null}
          </>
        )}
      </div>
    </section>
  );
}
