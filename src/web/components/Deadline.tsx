// A deadline as the duty officer needs it: how long is left (or how late), the time in their own
// zone, and the local time in the partner State.
import { useTranslation } from 'react-i18next';
import { partnerZone, useSession } from '../app/session.tsx';
import { countdown, formatInstant, ownZone } from '../time/format.ts';
import { useNowMs } from '../time/now.ts';

/** The current time, shared by every countdown of the page and moving every second. */
export function useNow(): Date {
  return new Date(useNowMs());
}

export function Deadline({ dueAt, partner, compact }: { dueAt: string; partner: string; compact?: boolean }) {
  const { t, i18n } = useTranslation();
  const { parties } = useSession();
  const now = useNow();
  const due = new Date(dueAt);
  const left = countdown(due, now, t);
  const mine = ownZone();
  const theirs = partnerZone(parties, partner);
  return (
    <div className={`deadline${left.late ? ' late' : ''}`}>
      <strong className="countdown">{left.text}</strong>
      <span className="zone-line">
        <span className="zone-label">{t('time.yourTime')}:</span>{' '}
        <time dateTime={dueAt}>{formatInstant(due, i18n.language, mine)}</time>
      </span>
      {theirs && theirs !== mine ? (
        <span className="zone-line">
          <span className="zone-label">
            {t('time.theirTime')} ({partner}
            {compact ? '' : `, ${theirs}`}):
          </span>{' '}
          <time dateTime={dueAt}>{formatInstant(due, i18n.language, theirs)}</time>
        </span>
      ) : null}
    </div>
  );
}
