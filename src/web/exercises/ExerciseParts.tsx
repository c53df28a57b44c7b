// Parts shared by the control room and the participant view: the score, the expected actions with
// their outcome, what is expected next, and the after-action report downloads.
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { stateName } from '../i18n/words.ts';
import { formatDuration, formatInstant, ownZone } from '../time/format.ts';
import type { Exercise, Outcome } from './exercise-types.ts';
import {
  formatElapsed,
  type NextAction,
  OUTCOMES,
  type ScoredAction,
  scoreCounts,
  scorePercent,
} from './exercise-view.ts';

export function OutcomeBadge({ outcome }: { outcome: Outcome }) {
  const { t } = useTranslation();
  return <span className={`outcome outcome-${outcome}`}>{t(`exercise.outcome.${outcome}`)}</span>;
}

export function actionLabel(kind: string, t: TFunction): string {
  return t(`exercise.actionKind.${kind}` as 'exercise.actionKind.acknowledge', { defaultValue: kind });
}

export function injectLabel(kind: string, t: TFunction): string {
  return t(`exercise.injectKind.${kind}` as 'exercise.injectKind.manual', { defaultValue: kind });
}

/** The score so far: how many actions met, late, missed, wrong, still pending. */
export function ScoreSummary({ actions, id }: { actions: ScoredAction[]; id: string }) {
  const { t } = useTranslation();
  const counts = scoreCounts(actions);
  const percent = scorePercent(actions);
  return (
    <section aria-labelledby={id} className="card score">
      <h2 id={id}>{t('exercise.score')}</h2>
      <dl className="score-counts">
        {OUTCOMES.map((o) => (
          <div key={o} className={`count outcome-${o}${counts[o] === 0 ? ' none' : ''}`}>
            <dt>{t(`exercise.outcome.${o}`)}</dt>
            <dd>{counts[o]}</dd>
          </div>
        ))}
      </dl>
      <p className="sub">
        {percent === null ? t('exercise.nothingScored') : t('exercise.percentMet', { percent })}
      </p>
    </section>
  );
}

/** Every expected action of the script, with its target and how it was scored. */
export function ActionTable({ actions, caption }: { actions: ScoredAction[]; caption: string }) {
  const { t, i18n } = useTranslation();
  if (actions.length === 0) return <p className="empty">{t('exercise.noActions')}</p>;
  return (
    <div className="table-wrap">
      <table className="exercise-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('exercise.who')}</th>
            <th scope="col">{t('exercise.what')}</th>
            <th scope="col">{t('exercise.target')}</th>
            <th scope="col">{t('exercise.outcomeTitle')}</th>
            <th scope="col">{t('exercise.taken')}</th>
          </tr>
        </thead>
        <tbody>
          {actions.map((a) => (
            <tr key={a.id} data-action={a.id}>
              <td data-label={t('exercise.who')}>{stateName(a.actor, i18n.language)}</td>
              <td data-label={t('exercise.what')}>
                {actionLabel(a.kind, t)}
                {a.title ? <span className="sub">{a.title}</span> : null}
                {a.detail ? <span className="sub">{a.detail}</span> : null}
              </td>
              <td data-label={t('exercise.target')}>
                <span dir="ltr" className="t-time">
                  {formatElapsed(a.dueMs)}
                </span>
              </td>
              <td data-label={t('exercise.outcomeTitle')}>
                <OutcomeBadge outcome={a.status} />
              </td>
              <td data-label={t('exercise.taken')}>
                {a.takenMs === null ? '—' : formatDuration(a.takenMs, t)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** What is still expected of this node, soonest first, with the exercise time left. */
export function NextActions({ next }: { next: NextAction[] }) {
  const { t } = useTranslation();
  if (next.length === 0) return <p>{t('exercise.nothingExpected')}</p>;
  return (
    <ol className="next-actions">
      {next.map((a) => (
        <li key={a.id} className={a.overdue ? 'overdue' : undefined} data-action={a.id}>
          <strong>{actionLabel(a.kind, t)}</strong>
          {a.title ? ` — ${a.title}` : ''}{' '}
          <span dir="ltr" className="t-time">
            ({formatElapsed(a.dueMs)})
          </span>{' '}
          <span className={a.overdue ? 'badge late' : 'inline-sub'}>
            {a.overdue
              ? t('exercise.overdueBy', { duration: formatDuration(-a.remainingMs, t) })
              : t('exercise.leftToAct', { duration: formatDuration(a.remainingMs, t) })}
          </span>
        </li>
      ))}
    </ol>
  );
}

const PDF_LANGUAGES = new Set(['en', 'fr', 'vi', 'ru', 'es']);

/** The after-action report, whole or for one participating State, as JSON and as PDF (or HTML). */
export function ReportLinks({ exercise, state }: { exercise: Exercise; state?: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const base = `/api/v1/exercises/${encodeURIComponent(exercise.id)}/report`;
  const q = (format: string) =>
    `${base}?${new URLSearchParams({ format, lang, ...(state ? { state } : {}) }).toString()}`;
  // The node cannot lay out Arabic or Chinese in a PDF: those reports come as printable HTML.
  const printable = PDF_LANGUAGES.has(lang) ? 'pdf' : 'html';
  const printableHref = q(printable);
  const printableLabel = printable === 'pdf' ? t('exercise.reportPdf') : t('exercise.reportPrintable');
  const whose = state ? stateName(state, lang) : t('exercise.wholeExercise');
  return (
    <p className="report-links">
      <span className="inline-sub">{whose}:</span>{' '}
      <a
        className="button small"
        href={q('json')}
        download
        aria-label={t('exercise.reportOf', { report: t('exercise.reportJson'), whose })}
      >
        {t('exercise.reportJson')}
      </a>{' '}
      <a
        className="button small"
        href={printableHref}
        {...(printable === 'pdf' ? { download: true } : { target: '_blank', rel: 'noopener' })}
        aria-label={t('exercise.reportOf', { report: printableLabel, whose })}
      >
        {printableLabel}
      </a>
    </p>
  );
}

/** The final scores the participating nodes archived: this node's once ended, the others' as they arrive. */
export function FinalScores({ exercise }: { exercise: Exercise }) {
  const { t, i18n } = useTranslation();
  const scores = exercise.finalScores ?? [];
  if (scores.length === 0) return null;
  return (
    <section aria-labelledby="final-scores-title" className="card">
      <h2 id="final-scores-title">{t('exercise.finalScoresTitle')}</h2>
      <div className="table-wrap">
        <table className="exercise-table">
          <caption className="visually-hidden">{t('exercise.finalScoresCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('exercise.finalScoreNode')}</th>
              {OUTCOMES.map((o) => (
                <th key={o} scope="col">
                  {t(`exercise.outcome.${o}`)}
                </th>
              ))}
              <th scope="col">{t('exercise.finalScoreReceived')}</th>
            </tr>
          </thead>
          <tbody>
            {scores.map((f) => (
              <tr key={f.state}>
                <th scope="row">{stateName(f.state, i18n.language)}</th>
                {OUTCOMES.map((o) => (
                  <td key={o}>{f.score[o]}</td>
                ))}
                <td>
                  {f.receivedAt
                    ? formatInstant(new Date(f.receivedAt), i18n.language, ownZone())
                    : t('exercise.finalScoreThisNode')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
