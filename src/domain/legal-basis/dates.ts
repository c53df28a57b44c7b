// Calendar arithmetic on 'YYYY-MM-DD' strings in UTC: legal dates have no time of day, and
// plain string comparison orders them correctly.
import { InvalidDateError } from './errors.ts';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Throws InvalidDateError unless `value` is a real calendar date. */
export function assertDate(value: string): string {
  const time = DATE.test(value) ? Date.parse(`${value}T00:00:00Z`) : Number.NaN;
  if (Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== value)
    throw new InvalidDateError(value);
  return value;
}

/** The date `days` days after `date` (negative goes back). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The same day `years` years later; 29 February becomes 1 March in a common year. */
export function addYears(date: string, years: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d.toISOString().slice(0, 10);
}

/** The later of two dates. */
export function laterOf(a: string, b: string): string {
  return a > b ? a : b;
}
