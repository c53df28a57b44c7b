// Wall-clock arithmetic in an IANA time zone with Intl only: the partner's local time and the
// instant a local time falls on, correct across daylight-saving changes.

export type LocalParts = {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  weekday: number;
};

const partsFormatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = partsFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      weekday: 'short',
    });
    partsFormatters.set(timeZone, f);
  }
  return f;
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** The local calendar date, time and ISO weekday (1 = Monday) of an instant in a time zone. */
export function localParts(instant: Date, timeZone: string): LocalParts {
  const out: Record<string, string> = {};
  for (const p of partsFormatter(timeZone).formatToParts(instant)) out[p.type] = p.value;
  return {
    year: Number(out.year),
    month: Number(out.month),
    day: Number(out.day),
    hour: Number(out.hour),
    minute: Number(out.minute),
    weekday: WEEKDAYS[out.weekday ?? ''] ?? 1,
  };
}

/** Offset of the zone from UTC at an instant, in minutes (Paris in summer: +120). */
export function offsetMinutes(instant: Date, timeZone: string): number {
  const p = localParts(instant, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
  const floored = Math.floor(instant.getTime() / 60_000) * 60_000;
  return Math.round((asUtc - floored) / 60_000);
}

/**
 * The instant at which the zone's clocks show this local date and time. A time skipped by a DST
 * change resolves to the instant after the gap; a repeated time to its first occurrence.
 */
export function zonedToInstant(
  date: { year: number; month: number; day: number },
  hour: number,
  minute: number,
  timeZone: string,
): Date {
  const wall = Date.UTC(date.year, date.month - 1, date.day, hour, minute);
  const day = 86_400_000;
  const before = offsetMinutes(new Date(wall - day), timeZone);
  const after = offsetMinutes(new Date(wall + day), timeZone);
  const shows = (t: number) => {
    const p = localParts(new Date(t), timeZone);
    return (
      p.year === date.year &&
      p.month === date.month &&
      p.day === date.day &&
      p.hour === hour &&
      p.minute === minute
    );
  };
  const candidates = [wall - before * 60_000, wall - after * 60_000].filter(shows).sort((a, b) => a - b);
  // No candidate: the time was skipped; the old offset lands it just after the gap.
  return new Date(candidates[0] ?? wall - before * 60_000);
}

/** Adds days to a calendar date (no time zone involved). */
export function addDays(date: { year: number; month: number; day: number }, days: number) {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    weekday: ((d.getUTCDay() + 6) % 7) + 1,
  };
}

/** True when the runtime knows the zone (a directory could name one it does not). */
export function isKnownZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}
