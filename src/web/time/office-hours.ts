// "Is their office open now?" for an authority of the directory, in the authority's own time zone.
import { addDays, localParts, zonedToInstant } from './zoned.ts';

export type WorkingHours = { always: true } | { days: number[]; start: string; end: string };

export type OfficeStatus =
  | { kind: 'always' }
  | { kind: 'open'; closesAt: Date }
  | { kind: 'closed'; opensAt: Date | null };

function hm(value: string): [number, number] {
  const [h, m] = value.split(':').map(Number);
  return [h ?? 0, m ?? 0];
}

/**
 * Open or closed at `now`, and when that changes. Hours ending at or before they start run past
 * midnight into the next day; '24:00' means the end of the day.
 */
export function officeStatus(hours: WorkingHours, timeZone: string, now: Date): OfficeStatus {
  if ('always' in hours) return { kind: 'always' };
  const today = localParts(now, timeZone);
  const [sh, sm] = hm(hours.start);
  const [eh, em] = hm(hours.end);
  const overnight = eh * 60 + em <= sh * 60 + sm;
  let opensAt: Date | null = null;
  // Yesterday's hours may run into today; a week ahead always finds the next opening.
  for (let offset = -1; offset <= 7; offset++) {
    const day = addDays(today, offset);
    if (!hours.days.includes(day.weekday)) continue;
    const open = zonedToInstant(day, sh, sm, timeZone);
    const endDay = overnight || (eh === 24 && em === 0) ? addDays(day, 1) : day;
    const close = zonedToInstant(endDay, eh === 24 ? 0 : eh, em, timeZone);
    if (open <= now && now < close) return { kind: 'open', closesAt: close };
    if (open > now && (opensAt === null || open < opensAt)) opensAt = open;
  }
  return { kind: 'closed', opensAt };
}
