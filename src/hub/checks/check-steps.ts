// The steps every check shares: looking a value up in the index, turning matched row numbers into
// alert and indicator ids (from memory where the alert service can tell them), and keeping only the
// matches the caller may see.
import {
  type IndicatorType,
  isIndicatorType,
  MAX_RAW_LENGTH,
  type NormalizeResult,
  normalizeIndicator,
} from '../../domain/indicators/index.ts';
import { refusedValue } from '../../domain/refused-value.ts';
import { alertState, type CheckMatch, type Viewer } from '../hub-types.ts';
import type { IndexRef } from '../lookup-index.ts';
import { canRead } from '../visibility.ts';
import type { CheckContext } from './check-context.ts';

/** An item looked up in the index: its matches are row numbers until the hits are resolved. */
export type Looked =
  | { i: number; type: string; value: string; rowNos: readonly number[] }
  | { i: number; type: string; input: string; error: string };

export const NO_REFS: ReadonlyMap<number, IndexRef> = new Map();
export const NONE: readonly number[] = Object.freeze([]);

/**
 * Per alert, whether this viewer gets its matches now, and the alert's part of a match: decided once
 * per request (a bulk check names few alerts), not once per hit.
 */
export function matchMaker(ctx: CheckContext, viewer: Viewer, now: Date) {
  const make = matchOf(ctx, viewer, now);
  return (ref: IndexRef): CheckMatch | null => make(ref.alertId, ref.indicatorId);
}

/** An alert's part of a match: what every match of it says. */
export type AlertPart = Omit<CheckMatch, 'indicatorId'>;

/** The alert's part of a match, or null when the viewer may not see its matches now (state, TLP). */
export function shownAlert(ctx: CheckContext, viewer: Viewer, now: Date, alertId: string): AlertPart | null {
  const meta = ctx.alerts.meta(alertId);
  if (!meta || alertState(meta, now) !== 'active' || !canRead(viewer, meta)) return null;
  return {
    alertId: meta.id,
    kind: meta.kind,
    title: meta.title,
    confidence: meta.confidence,
    tlp: meta.tlp,
    validUntil: meta.validUntil?.toISOString() ?? null,
  };
}

/** matchMaker's work, given the two ids apart (a bulk check holds them in lists, not as refs). */
export function matchOf(ctx: CheckContext, viewer: Viewer, now: Date) {
  const shown = new Map<string, AlertPart | null>();
  return (alertId: string, indicatorId: string): CheckMatch | null => {
    let part = shown.get(alertId);
    if (part === undefined) {
      part = shownAlert(ctx, viewer, now, alertId);
      shown.set(alertId, part);
    }
    if (part === null) return null;
    return {
      alertId: part.alertId,
      indicatorId,
      kind: part.kind,
      title: part.title,
      confidence: part.confidence,
      tlp: part.tlp,
      validUntil: part.validUntil,
    };
  };
}

/** The matches that are active and readable by the viewer under TLP. */
export function visible(
  ctx: CheckContext,
  viewer: Viewer,
  rowNos: readonly number[],
  refs: ReadonlyMap<number, IndexRef>,
  now: Date,
  make = matchMaker(ctx, viewer, now),
): CheckMatch[] {
  const out: CheckMatch[] = [];
  for (const rowNo of rowNos) {
    const ref = refs.get(rowNo);
    const match = ref ? make(ref) : null;
    if (match) out.push(match);
  }
  return out;
}

/**
 * Types whose normal form normalises to itself whatever the default country: a value sent already in
 * normal form that the index holds (every indexed value was normalised when published) is its own
 * normal form, so the check skips the normaliser, which for phone numbers costs tens of microseconds.
 */
const SELF_NORMAL: ReadonlySet<IndicatorType> = new Set<IndicatorType>([
  'phone',
  'email',
  'domain',
  'eth_wallet',
  'md5',
  'sha1',
  'sha256',
  'ipv4',
  'iban',
]);

/** Phone numbers normalised lately (the slow type), by default country and text; emptied when full. */
const phoneMemo = new Map<string, NormalizeResult>();
const PHONE_MEMO_SIZE = 100_000;

function normalized(type: IndicatorType, raw: string, defaultCountry?: string): NormalizeResult {
  if (type !== 'phone') return normalizeIndicator(type, raw, defaultCountry ? { defaultCountry } : {});
  const key = `${defaultCountry ?? ''}:${raw}`;
  let result = phoneMemo.get(key);
  if (result === undefined) {
    result = normalizeIndicator(type, raw, defaultCountry ? { defaultCountry } : {});
    if (phoneMemo.size >= PHONE_MEMO_SIZE) phoneMemo.clear();
    phoneMemo.set(key, result);
  }
  return result;
}

/** Where lookRows puts the normal form of a value, or why it was refused (error not null). */
export type Looking = { value: string; error: string | null };

/**
 * A value looked up in the index without an object for it (a compact bulk answer checks 100,000):
 * the matched row numbers, with the normal form or the refusal in `out`.
 */
export function lookRows(
  ctx: CheckContext,
  type: unknown,
  raw: unknown,
  defaultCountry: string | undefined,
  out: Looking,
): readonly number[] {
  if (!isIndicatorType(type)) {
    out.error = `unknown indicator type "${String(type)}"`;
    return NONE;
  }
  if (typeof raw !== 'string') {
    out.error = 'value must be a string';
    return NONE;
  }
  out.error = null;
  out.value = raw;
  const self = SELF_NORMAL.has(type) && raw.length <= MAX_RAW_LENGTH;
  const direct = self ? ctx.index.lookup(type, raw) : null;
  if (direct && direct.length > 0) return direct;
  const normal = normalized(type, raw, defaultCountry);
  if (!normal.ok) {
    out.error = refusedValue(raw, normal.error);
    return NONE;
  }
  // Sent in normal form and not indexed: the lookup above was already this one.
  if (direct && normal.value === raw) return direct;
  out.value = normal.value;
  return ctx.index.lookup(type, normal.value);
}

const looking: Looking = { value: '', error: null };

export function lookItem(
  ctx: CheckContext,
  i: number,
  type: unknown,
  raw: unknown,
  defaultCountry?: string,
): Looked {
  const rowNos = lookRows(ctx, type, raw, defaultCountry, looking);
  if (looking.error !== null) return { i, type: String(type), input: String(raw), error: looking.error };
  return { i, type: type as string, value: looking.value, rowNos };
}

/**
 * The ids behind every row number that matched: from memory where the alert service can tell them,
 * the rest in one query per chunk (none when memory told all). Each list comes with the value it
 * matched when the caller sent one (not in privacy mode, where only a hash is known).
 */
export async function refsOf(
  ctx: CheckContext,
  lists: Iterable<{ rowNos: readonly number[]; type: string; value?: string }>,
): Promise<ReadonlyMap<number, IndexRef>> {
  const refs = new Map<number, IndexRef>();
  const unknown: number[] = [];
  for (const { rowNos, type, value } of lists)
    for (const rowNo of rowNos) {
      const ref = value === undefined ? null : ctx.alerts.refFromMemory(rowNo, type, value);
      if (ref) refs.set(rowNo, ref);
      else unknown.push(rowNo);
    }
  if (unknown.length) for (const [rowNo, ref] of await ctx.rows.refsOf(unknown)) refs.set(rowNo, ref);
  return refs;
}
