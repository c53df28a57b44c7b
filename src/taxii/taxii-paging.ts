// TAXII 2.1 filtering and pagination over the STIX objects of a collection (pure: no I/O).
// Records are ordered by (date added, id); `next` is an opaque cursor on that key, so pages never skip
// or repeat an object even when several share a timestamp.
import { ValidationError } from '../shared/errors.ts';
import type { StixObject } from '../stix/stix-export.ts';

export const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1';
export const STIX_MEDIA_TYPE = 'application/stix+json;version=2.1';
export const MAX_PAGE = 1000;
export const DEFAULT_PAGE = 100;

export type TaxiiRecord = { addedMs: number; object: StixObject };

/** TAXII timestamps have microsecond precision; ours are milliseconds followed by 000. */
export function taxiiTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

function parseTime(value: string, field: string): number {
  const ms = RFC3339.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms))
    throw new ValidationError([{ field, message: 'must be a timestamp like 2026-01-31T12:00:00.000000Z' }]);
  // Sub-millisecond digits matter for "after": 12:00:00.000500Z is after every object added at 12:00:00.000Z.
  const fraction = /\.(\d+)/.exec(value)?.[1] ?? '';
  return fraction.length > 3 && /[1-9]/.test(fraction.slice(3)) ? ms + 0.5 : ms;
}

/** One record per object id: the earliest time it was added (identities and markings recur across alerts). */
export function collectRecords(groups: { addedMs: number; objects: StixObject[] }[]): TaxiiRecord[] {
  const byId = new Map<string, TaxiiRecord>();
  for (const g of groups) {
    for (const object of g.objects) {
      const prior = byId.get(object.id);
      if (!prior || g.addedMs < prior.addedMs) byId.set(object.id, { addedMs: g.addedMs, object });
    }
  }
  return [...byId.values()].sort((a, b) => a.addedMs - b.addedMs || (a.object.id < b.object.id ? -1 : 1));
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
  return Buffer.from(JSON.stringify([r.addedMs, r.object.id])).toString('base64url');
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
  const filtered = records.filter((r) => {
    const o = r.object;
    if (ids && !ids.includes(o.id)) return false;
    if (types && !types.includes(o.type)) return false;
    // SCOs may omit spec_version (it defaults to 2.1); only 2.1 is served.
    if (specs && !specs.includes(String(o.spec_version ?? '2.1'))) return false;
    // One version of each object is kept, so first, last and all are that version; a timestamp selects it if equal.
    if (
      !versions.some(
        (v) => ['last', 'first', 'all'].includes(v) || Date.parse(v) === Date.parse(versionOf(o)),
      )
    )
      return false;
    if (after !== null && !(r.addedMs > after)) return false;
    if (cursor && (r.addedMs < cursor[0] || (r.addedMs === cursor[0] && r.object.id <= cursor[1])))
      return false;
    return true;
  });
  const items = filtered.slice(0, limit);
  const more = filtered.length > items.length;
  return {
    items,
    more,
    next: more && items.length ? encodeCursor(items[items.length - 1]!) : undefined,
    first: items[0] ? taxiiTime(items[0].addedMs) : undefined,
    last: items.length ? taxiiTime(items[items.length - 1]!.addedMs) : undefined,
  };
}

export function versionString(o: StixObject): string {
  return versionOf(o);
}
