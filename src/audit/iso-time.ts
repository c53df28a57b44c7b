// The time of an entry as the binary COPY of PostgreSQL carries it (int64 microseconds since
// 2000-01-01 UTC), written as Date.prototype.toISOString writes the millisecond-truncated value:
// 'YYYY-MM-DDTHH:MM:SS.sssZ'. Integer arithmetic only, so that the hash worker writes it into the leaf
// bytes with no Date or string per entry; a test compares it with toISOString over the whole range.

/** Milliseconds from 1970 to 2000-01-01 UTC, PostgreSQL's epoch. */
const PG_EPOCH_MS = 946_684_800_000;
const DAY_MS = 86_400_000;

/**
 * The microseconds `high * 2^32 + low` (high signed, low unsigned: the int64's two halves) since
 * PostgreSQL's epoch, as milliseconds since 1970, rounded down. 2^32 is 1000 * 4294967 + 296, so the
 * quotient splits into parts that stay below 2^53: exact wherever the result is below 2^52 (some
 * 140,000 years), and beyond that still far outside the years writeIsoMs accepts.
 */
export function pgMicrosToEpochMs(high: number, low: number): number {
  return high * 4_294_967 + Math.floor((high * 296 + low) / 1000) + PG_EPOCH_MS;
}

/**
 * Writes `ms` (an integer, milliseconds since 1970) at `o` as toISOString would and returns the offset
 * after it, or -1 when its year is outside 1..9999, where toISOString's form differs (or PostgreSQL's
 * ±infinity): those entries are left to the exact path.
 */
export function writeIsoMs(ms: number, out: Uint8Array, o: number): number {
  // Entries come in time order, many within a minute: the date and 'HH:MM:' are reused from the last.
  const minute = Math.floor(ms / 60_000);
  if (minute === cachedMinute) {
    for (let i = 0; i < MINUTE_PREFIX; i++) out[o + i] = cachedPrefix[i]!;
    const inMinute = ms - minute * 60_000;
    const seconds = Math.floor(inMinute / 1000);
    o = digits(out, o + MINUTE_PREFIX, seconds, 2);
    out[o++] = 0x2e;
    o = digits(out, o, inMinute - seconds * 1000, 3);
    out[o++] = 0x5a;
    return o;
  }
  const end = writeIsoMsInFull(ms, out, o);
  if (end >= 0) {
    cachedMinute = minute;
    for (let i = 0; i < MINUTE_PREFIX; i++) cachedPrefix[i] = out[o + i]!;
  }
  return end;
}

/** 'YYYY-MM-DDTHH:MM:' of the minute writeIsoMs wrote last. */
const MINUTE_PREFIX = 17;
const cachedPrefix = new Uint8Array(MINUTE_PREFIX);
let cachedMinute = Number.NaN;

function writeIsoMsInFull(ms: number, out: Uint8Array, o: number): number {
  const days = Math.floor(ms / DAY_MS);
  let rest = ms - days * DAY_MS;
  // Civil date from days since 1970-01-01 (H. Hinnant's days_from_civil, inverted), proleptic Gregorian.
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  if (!(year >= 1 && year <= 9999)) return -1;
  o = digits(out, o, year, 4);
  out[o++] = 0x2d;
  o = digits(out, o, month, 2);
  out[o++] = 0x2d;
  o = digits(out, o, day, 2);
  out[o++] = 0x54;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  o = digits(out, o, hours, 2);
  out[o++] = 0x3a;
  o = digits(out, o, minutes, 2);
  out[o++] = 0x3a;
  o = digits(out, o, seconds, 2);
  out[o++] = 0x2e;
  o = digits(out, o, rest - seconds * 1000, 3);
  out[o++] = 0x5a;
  return o;
}

/** Writes `value` (0 <= value < 10^width) as `width` decimal digits with leading zeros. */
function digits(out: Uint8Array, o: number, value: number, width: number): number {
  for (let i = width - 1; i >= 0; i--) {
    const q = Math.floor(value / 10);
    out[o + i] = 0x30 + value - q * 10;
    value = q;
  }
  return o + width;
}
