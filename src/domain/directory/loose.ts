// Tolerant readers for semantic checks, which also run on documents that failed the structural
// check: every problem is listed at once, and a malformed part must never make them throw.

export type Loose = Record<string, unknown>;

/** The value as a plain object, or an empty one. */
export function rec(value: unknown): Loose {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Loose) : {};
}

/** The value as a list, or an empty one. */
export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The value if it is a non-empty string. */
export function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The value if it is a valid calendar date 'YYYY-MM-DD'. */
export function dateOf(value: unknown): string | undefined {
  if (typeof value !== 'string' || !DATE.test(value)) return undefined;
  const time = Date.parse(`${value}T00:00:00Z`);
  return Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== value ? undefined : value;
}

/** The epoch milliseconds of an ISO date-time string, if it parses. */
export function instantOf(value: unknown): number | undefined {
  if (typeof value !== 'string' || !value.includes('T')) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : time;
}
