// The formal request as it is printed for a partner without a node: the node renders it (labels in
// the requested State's language unless another is chosen) and the desk shows it as it will print.
import { useEffect, useRef, useState } from 'react';
import { Button, Link } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { FORM_LANGUAGES } from '../../domain/requests/form-labels.ts';
import { get } from '../api/client.ts';
import type { RequestSummary } from '../api/types.ts';
import { navigate, useLocation } from '../app/router.tsx';
import { Choice } from '../components/Choice.tsx';
import { ExerciseBadge } from '../components/ExerciseMark.tsx';
import { useInsideExercise } from '../exercises/exercise-presence.ts';
import { LANGUAGES } from '../i18n/languages.ts';

const NATIVE: Record<string, string> = Object.fromEntries(LANGUAGES.map((l) => [l.code, l.name]));
// The PDF's font cannot print Chinese or shape Arabic: for those the node sends the HTML form.
const NO_PDF = new Set(['ar', 'zh']);

export function RequestPrint({ id }: { id: string }) {
  const { t } = useTranslation();
  const { pathname, search } = useLocation();
  const lang = new URLSearchParams(search).get('lang') ?? '';
  const frame = useRef<HTMLIFrameElement>(null);
  const base = `/api/v1/requests/${encodeURIComponent(id)}`;
  const q = lang ? `?lang=${encodeURIComponent(lang)}` : '';
  // The form of an exercise request is marked EXERCISE by the node; the preview says so above it too.
  const [exerciseId, setExerciseId] = useState<string | null>(null);
  useEffect(() => {
    get<RequestSummary>(base).then(
      (r) => setExerciseId(r.exerciseId ?? null),
      () => setExerciseId(null),
    );
  }, [base]);
  useInsideExercise(exerciseId ? { id: exerciseId } : null);
  return (
    <section aria-labelledby="print-title" className="print-preview">
      <p>
        <Link href={`/requests/${encodeURIComponent(id)}`} className="back-link">
          <span className="back-arrow" aria-hidden="true">
            ←
          </span>{' '}
          {t('print.back')}
        </Link>
      </p>
      <h1 id="print-title">{t('print.title')}</h1>
      {exerciseId ? (
        <p className="exercise-note">
          <ExerciseBadge exerciseId={exerciseId} /> {t('exercise.printNote')}
        </p>
      ) : null}
      <p className="intro">{t('print.intro')}</p>
      <div className="filters">
        <Choice
          label={t('print.language')}
          value={lang}
          onChange={(v) => navigate(`${pathname}${v ? `?lang=${v}` : ''}`, { replace: true })}
          options={[
            { id: '', label: t('print.partnerLanguage') },
            ...FORM_LANGUAGES.map((l) => ({ id: l, label: NATIVE[l] ?? l })),
          ]}
        />
        <Button className="button primary" onPress={() => frame.current?.contentWindow?.print()}>
          {t('print.print')}
        </Button>
        {NO_PDF.has(lang) ? null : (
          <a className="button" href={`${base}/form.pdf${q}`} download>
            {t('print.pdf')}
          </a>
        )}
      </div>
      <iframe
        ref={frame}
        className="form-frame"
        title={t('print.frameTitle')}
        src={`${base}/form.html${q}`}
      />
    </section>
  );
}
