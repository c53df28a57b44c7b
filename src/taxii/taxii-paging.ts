// TAXII 2.1 filtering and pagination over the STIX objects of a collection (pure: no I/O).
// Every object has its own date_added, in microseconds (TAXII's precision), strictly increasing in the
// collection's order: a client that pages with added_after = the last date it saw loses nothing, as
// one that follows `next` (an opaque cursor on (date added, id)) does.
import { ValidationError } from '../shared/errors.ts';
import type { StixObject } from '../stix/stix-export.ts';

export const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1';
export const STIX_MEDIA_TYPE = 'application/stix+json;version=2.1';
export const MAX_PAGE = 1000;
export const DEFAULT_PAGE = 100;

/** `addedUs`: microseconds since 1970 (an integer; exact in a double until the year 2255). */
export type TaxiiRecord = { addedUs: number; object: StixObject };

/** A TAXII timestamp (microsecond precision) from microseconds since 1970. */
export function taxiiTime(us: number): string {
  const ms = Math.floor(us / 1000);
  const micros = String(us - ms * 1000).padStart(3, '0');
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, `.$1${micros}Z`);
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** A timestamp as microseconds since 1970; digits past the microsecond count as half a microsecond more. */
export function parseTime(value: string, field: string): number {
  const ms = RFC3339.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms))
    throw new ValidationError([{ field, message: 'must be a timestamp like 2026-01-31T12:00:00.000000Z' }]);
  const fraction = /\.(\d+)/.exec(value)?.[1] ?? '';
  const micros = Number(fraction.slice(3, 6).padEnd(3, '0'));
  return ms * 1000 + micros + (/[1-9]/.test(fraction.slice(6)) ? 0.5 : 0);
}

const byAdded = (a: TaxiiRecord, b: TaxiiRecord) =>
  a.addedUs - b.addedUs || (a.object.id < b.object.id ? -1 : a.object.id > b.object.id ? 1 : 0);

/**
 * One record per object id, at the earliest time it was added (identities and markings recur across
 * alerts), each at its own microsecond: objects added in the same millisecond take the next free
 * microseconds (even ones) in id order. A record's date depends only on the records before it, so later adds never
 * move it.
 */
export function collectRecords(groups: { addedMs: number; objects: StixObject[] }[]): TaxiiRecord[] {
  const byId = new Map<string, TaxiiRecord>();
  for (const g of groups) {
    const addedUs = g.addedMs * 1000;
    for (const object of g.objects) {
      const prior = byId.get(object.id);
      if (!prior || addedUs < prior.addedUs) byId.set(object.id, { addedUs, object });
    }
  }
  const records = [...byId.values()].sort(byAdded);
  // Even microseconds: kept objects (src/stix/object-store.ts) take the odd ones, so none tie.
  let last = -2;
  for (const r of records) {
    r.addedUs = Math.max(r.addedUs, last + 2);
    last = r.addedUs;
  }
  return records;
}

/** Records of two sources (each already in date order) as one collection in date order. */
export function mergeRecords(a: TaxiiRecord[], b: TaxiiRecord[]): TaxiiRecord[] {
  return b.length === 0 ? a : a.length === 0 ? b : [...a, ...b].sort(byAdded);
}

export type TaxiiQuery = {
  added_after?: string;
  limit?: number | string;
  next?: string;
  'match[id]'?: string;
  'match[type]'?: string;
  'match[version]'?: string;
  'match[spec_version]'?: string;
};

function list(value: string | undefined): string[] | null {
  if (value === undefined) return null;
  return value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
}

function versionOf(o: StixObject): string {
  return String(o.modified ?? o.created ?? '');
}

function encodeCursor(r: TaxiiRecord): string {
  return Buffer.from(JSON.stringify([r.addedUs, r.object.id])).toString('base64url');
}

function decodeCursor(token: string): [number, string] {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && typeof parsed[0] === 'number' && typeof parsed[1] === 'string')
      return [parsed[0], parsed[1]];
  } catch {}
  throw new ValidationError([{ field: 'next', message: 'is not a value this server gave out' }]);
}

/** Applies the match[] filters, added_after, next and limit; the page plus whether more remain. */
export function page(records: TaxiiRecord[], query: TaxiiQuery, options: { paginate?: boolean } = {}) {
  const ids = list(query['match[id]']);
  const types = list(query['match[type]']);
  const versions = list(query['match[version]']) ?? ['last'];
  const specs = list(query['match[spec_version]']);
  for (const v of versions) if (!['last', 'first', 'all'].includes(v)) parseTime(v, 'match[version]');
  let limit = MAX_PAGE;
  if (options.paginate !== false) {
    limit = query.limit === undefined ? DEFAULT_PAGE : Number(query.limit);
    if (!Number.isInteger(limit) || limit < 1)
      throw new ValidationError([{ field: 'limit', message: 'must be an integer greater than 0' }]);
    limit = Math.min(limit, MAX_PAGE);
  }
  const after = query.added_after !== undefined ? parseTime(query.added_after, 'added_after') : null;
  const cursor = query.next !== undefined ? decodeCursor(query.next) : null;
  const wanted = records.filter((r) => {
    const o = r.object;
    if (ids && !ids.includes(o.id)) return false;
    if (types && !types.includes(o.type)) return false;
    // SCOs may omit spec_version (it defaults to 2.1); only 2.1 is served.
    return !specs || specs.includes(String(o.spec_version ?? '2.1'));
  });
  // first and last are per object, among its versions the query selects.
  const span = new Map<string, { first: string; last: string }>();
  for (const r of wanted) {
    const v = versionOf(r.object);
    const s = span.get(r.object.id);
    if (!s) span.set(r.object.id, { first: v, last: v });
    else {
      if (v < s.first) s.first = v;
      if (v > s.last) s.last = v;
    }
  }
  const filtered = wanted.filter((r) => {
    const v = versionOf(r.object);
    const s = span.get(r.object.id)!;
    const chosen = versions.some(
      (want) =>
        want === 'all' ||
        (want === 'last' && v === s.last) ||
        (want === 'first' && v === s.first) ||
        (!['last', 'first'].includes(want) && Date.parse(want) === Date.parse(v)),
    );
    if (!chosen) return false;
    if (after !== null && !(r.addedUs > after)) return false;
    if (cursor && (r.addedUs < cursor[0] || (r.addedUs === cursor[0] && r.object.id <= cursor[1])))
      return false;
    return true;
  });
  const items = filtered.slice(0, limit);
  const more = filtered.length > items.length;
  return {
    items,
    more,
    next: more && items.length ? encodeCursor(items[items.length - 1]!) : undefined,
    first: items[0] ? taxiiTime(items[0].addedUs) : undefined,
    last: items.length ? taxiiTime(items[items.length - 1]!.addedUs) : undefined,
  };
}

export function versionString(o: StixObject): string {
  return versionOf(o);
}
