// The EXERCISE marks: a badge on anything that belongs to an exercise, and the banner the shell keeps
// on screen while the page shows exercise material. Both are text (never colour alone) so a screen
// reader, a grey-scale print and a screenshot all carry them.
import { useTranslation } from 'react-i18next';
import { useCurrentExercise } from '../exercises/exercise-presence.ts';

/** EXERCISE, for a request, alert or message that carries an exercise id; nothing for real work. */
export function ExerciseBadge({ exerciseId }: { exerciseId?: string | null }) {
  const { t } = useTranslation();
  if (!exerciseId) return null;
  return (
    <span className="badge exercise" title={t('exercise.badgeTitle', { id: exerciseId })}>
      {t('exercise.badge')}
    </span>
  );
}

/** The banner across the top of every screen that shows an exercise. */
export function ExerciseBanner() {
  const { t } = useTranslation();
  const exercise = useCurrentExercise();
  if (!exercise) return null;
  return (
    <div className="exercise-banner" role="note" aria-label={t('exercise.badge')}>
      <strong className="exercise-word">{t('exercise.badge')}</strong>{' '}
      <span>
        {exercise.name ? t('exercise.bannerNamed', { name: exercise.name }) : t('exercise.bannerDetail')}
      </span>
    </div>
  );
}
