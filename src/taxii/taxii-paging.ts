// TAXII 2.1 query parameters, cursors and dates (pure: no I/O). A collection is paged by keyset on
// (date added, id): every object has its own date added, in microseconds (TAXII's precision), distinct
// within the collection, so a client that pages with added_after = the last date it saw loses nothing,
// as one that follows `next` (an opaque cursor on (date added, id)) does. The two sources of a
// collection (objects kept as sent, src/stix/object-store.ts; objects made from alerts,
// taxii-derived.ts) each page themselves from the cursor and are merged here.
import { ValidationError } from '../shared/errors.ts';
import type { StixObject } from '../stix/stix-export.ts';

export const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1';
export const STIX_MEDIA_TYPE = 'application/stix+json;version=2.1';
export const MAX_PAGE = 1000;
export const DEFAULT_PAGE = 100;

/** `addedUs`: microseconds since 1970 (an integer; exact in a double until the year 2255). */
export type TaxiiRecord = { addedUs: number; object: StixObject };
/** A manifest entry needs no object: its id and version are enough. */
export type TaxiiEntry = { addedUs: number; id: string; version: string; object?: StixObject; text?: string };

/** The JSON text of an entry's object: as stored when read as text, else serialised. */
export const objectText = (e: TaxiiEntry): string => e.text ?? JSON.stringify(e.object);

/** How much text a long answer hands to the connection at a time (so that it can be cut between). */
const PIECE = 64 * 1024;

/**
 * A page as a TAXII envelope (or manifest) in pieces of text: the items' JSON texts (`text`; by
 * default the objects, kept ones as stored) in `objects`, handed out a piece at a time.
 */
export function* pagePieces(
  p: { more: boolean; next?: string; items: readonly TaxiiEntry[] },
  text: (entry: TaxiiEntry) => string = objectText,
) {
  let piece = `{"more":${p.more},${p.next ? `"next":${JSON.stringify(p.next)},` : ''}"objects":[`;
  for (let i = 0; i < p.items.length; i++) {
    piece += i === 0 ? text(p.items[i]!) : `,${text(p.items[i]!)}`;
    if (piece.length >= PIECE) {
      yield piece;
      piece = '';
    }
  }
  yield `${piece}]}`;
}

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

export type TaxiiQuery = {
  added_after?: string;
  limit?: number | string;
  next?: string;
  'match[id]'?: string;
  'match[type]'?: string;
  'match[version]'?: string;
  'match[spec_version]'?: string;
};

/**
 * A query checked and parsed. `after`: only objects added after this microsecond (an integer: a
 * fraction of a microsecond is rounded down, which selects the same objects). `versions`: 'last',
 * 'first', 'all', or a version as milliseconds since 1970 (versions are compared to the millisecond).
 */
export type PageQuery = {
  limit: number;
  after: number | null;
  cursor: [number, string] | null;
  ids: string[] | null;
  types: string[] | null;
  specs: string[] | null;
  versions: ('last' | 'first' | 'all' | number)[];
};

function list(value: string | undefined): string[] | null {
  if (value === undefined) return null;
  return value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
}

export function versionString(o: StixObject): string {
  return String(o.modified ?? o.created ?? '');
}

export function encodeCursor(r: { addedUs: number; id: string }): string {
  return Buffer.from(JSON.stringify([r.addedUs, r.id])).toString('base64url');
}

function decodeCursor(token: string): [number, string] {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && Number.isSafeInteger(parsed[0]) && typeof parsed[1] === 'string')
      return [parsed[0], parsed[1]];
  } catch {}
  throw new ValidationError([{ field: 'next', message: 'is not a value this server gave out' }]);
}

export function parseQuery(query: TaxiiQuery, options: { paginate?: boolean } = {}): PageQuery {
  const versions = (list(query['match[version]']) ?? ['last']).map((v) =>
    v === 'last' || v === 'first' || v === 'all' ? v : Math.floor(parseTime(v, 'match[version]') / 1000),
  );
  let limit = MAX_PAGE;
  if (options.paginate !== false) {
    limit = query.limit === undefined ? DEFAULT_PAGE : Number(query.limit);
    if (!Number.isInteger(limit) || limit < 1)
      throw new ValidationError([{ field: 'limit', message: 'must be an integer greater than 0' }]);
    limit = Math.min(limit, MAX_PAGE);
  }
  return {
    limit,
    after: query.added_after !== undefined ? Math.floor(parseTime(query.added_after, 'added_after')) : null,
    cursor: query.next !== undefined ? decodeCursor(query.next) : null,
    ids: list(query['match[id]']),
    types: list(query['match[type]']),
    specs: list(query['match[spec_version]']),
    versions,
  };
}

/** Orders entries by the keyset (date added, then id). */
export function byKey(a: { addedUs: number; id: string }, b: { addedUs: number; id: string }): number {
  return a.addedUs - b.addedUs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Whether an entry comes after the query's cursor and added_after. */
export function pastStart(q: PageQuery, e: { addedUs: number; id: string }): boolean {
  if (q.after !== null && !(e.addedUs > q.after)) return false;
  const c = q.cursor;
  return !c || e.addedUs > c[0] || (e.addedUs === c[0] && e.id > c[1]);
}

export type TaxiiPage<E extends TaxiiEntry> = {
  items: E[];
  more: boolean;
  next?: string;
  first?: string;
  last?: string;
};

/**
 * One page from the first limit + 1 entries of each source past the start: the sources are merged on
 * the keyset, so the page is the collection's whatever share each source has of it. Entries from the
 * horizon on wait (a transaction that took earlier dates has not committed): `more` tells the client
 * to come back.
 */
export function mergePage<E extends TaxiiEntry>(
  q: PageQuery,
  sources: E[][],
  horizon = Number.POSITIVE_INFINITY,
): TaxiiPage<E> {
  const all = sources.length === 1 ? sources[0]! : sources.flat().sort(byKey);
  const served = all.filter((e) => e.addedUs < horizon);
  const items = served.slice(0, q.limit);
  const more = all.length > items.length;
  const lastItem = items[items.length - 1];
  return {
    items,
    more,
    next: more && lastItem ? encodeCursor(lastItem) : undefined,
    first: items[0] ? taxiiTime(items[0].addedUs) : undefined,
    last: lastItem ? taxiiTime(lastItem.addedUs) : undefined,
  };
}
