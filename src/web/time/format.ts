// Dates as people read them: in their own zone, with the partner's local time beside, and a
// countdown in words ("in 2 h 5 min", "overdue by 3 h").
import type { TFunction } from 'i18next';
import { isKnownZone } from './zoned.ts';

/** The browser's zone: the user's own. */
export function ownZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** A date and time in a language and zone, with the zone's short name. */
export function formatInstant(instant: Date, language: string, timeZone: string): string {
  const zone = isKnownZone(timeZone) ? timeZone : 'UTC';
  return new Intl.DateTimeFormat(language, {
    // dateStyle cannot be combined with timeZoneName, hence the fields one by one.
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: zone,
    timeZoneName: 'short',
  }).format(instant);
}

/** A duration in words, rounded to what matters at that scale. */
export function formatDuration(ms: number, t: TFunction): string {
  const seconds = Math.floor(Math.abs(ms) / 1000);
  // The last hour counts down in seconds: that is when a duty officer watches the clock.
  if (seconds < 3600) return t('time.minutesSeconds', { m: Math.floor(seconds / 60), s: seconds % 60 });
  const minutes = Math.floor(seconds / 60);
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return t('time.hoursMinutes', { h: hours, m: minutes % 60 });
  return t('time.daysHours', { d: Math.floor(hours / 24), h: hours % 24 });
}

/** "in 2 h 5 min" or "overdue by 3 h 0 min". */
export function countdown(due: Date, now: Date, t: TFunction): { text: string; late: boolean } {
  const ms = due.getTime() - now.getTime();
  const duration = formatDuration(ms, t);
  return ms < 0
    ? { text: t('time.overdue', { duration }), late: true }
    : { text: t('time.in', { duration }), late: false };
}
