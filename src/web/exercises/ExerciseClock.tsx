// The exercise clock: T+ time since the start against the scenario's length, the exercise's own date
// and time, its speed and whether it runs. It moves every second from the node's last reading.
import { useTranslation } from 'react-i18next';
import { formatInstant, ownZone } from '../time/format.ts';
import { useRealNowMs } from '../time/now.ts';
import type { Exercise } from './exercise-types.ts';
import { clockOf, elapsedNow, formatElapsed } from './exercise-view.ts';

export function ExerciseClock({ exercise, receivedAt }: { exercise: Exercise; receivedAt: number }) {
  const { t, i18n } = useTranslation();
  const real = useRealNowMs();
  const elapsed = elapsedNow(clockOf(exercise, receivedAt), real);
  const instant = new Date(Date.parse(exercise.clock.exerciseStart) + elapsed);
  const state = exercise.status === 'running' && exercise.clock.paused ? 'paused' : exercise.status;
  return (
    <div className="exercise-clock">
      <span className="label">{t('exercise.clock')}</span>
      {/* A timer is not read aloud at every tick; the status line beside it is. */}
      <strong className="elapsed" role="timer" dir="ltr">
        {formatElapsed(elapsed)}
      </strong>
      <span className="sub">
        {t('exercise.clockOf', { end: formatElapsed(exercise.clock.durationMinutes * 60_000) })}
      </span>
      <span className="sub">
        <time dateTime={instant.toISOString()}>{formatInstant(instant, i18n.language, ownZone())}</time>
      </span>
      <span className="sub" role="status">
        <span className={`exercise-state state-${state}`}>{t(`exercise.state.${state}`)}</span> ·{' '}
        {exercise.speed === 1 ? t('exercise.realTime') : t('exercise.speed', { speed: exercise.speed })}
      </span>
    </div>
  );
}
