// "Is this IBAN / phone / wallet known?" — answered from the in-memory index, keeping only matches
// that are in their validity window, not revoked, and readable by the caller under TLP. The index
// gives row numbers; the alert service turns them into alert and indicator ids from memory
// (row owners and derived indicator ids), so neither a miss nor a hit waits for the database. Rows
// whose ids only the database knows (alerts stored before derived ids, and privacy-mode checks,
// which never learn the value) are read back by one indexed query per request.
import { type IndicatorType, isIndicatorType, normalizeIndicator } from '../domain/indicators/index.ts';
import { refusedValue } from '../domain/refused-value.ts';
import type { Clock } from '../shared/clock.ts';
import { ForbiddenError, ValidationError } from '../shared/errors.ts';
import type { AlertService } from './alert-service.ts';
import { alertState, type CheckMatch, type Viewer } from './hub-types.ts';
import type { IndicatorRows } from './indicator-rows.ts';
import type { IndexRef, LookupIndex } from './lookup-index.ts';
import type { Membership } from './membership.ts';
import { canRead } from './visibility.ts';

export const MAX_BULK_CHECK = 100_000;

export type CheckItemResult =
  | { i: number; type: string; value: string; matches: CheckMatch[] }
  | { i: number; type: string; input: string; error: string };

const HEX64 = /^[0-9a-f]{64}$/;

export function createCheckService(deps: {
  clock: Clock;
  index: LookupIndex;
  rows: IndicatorRows;
  alerts: AlertService;
  membership: Membership;
  /** Stores a group's first privacy-mode use, so later starts build its table in the background. */
  markPrivacyUsed?: (groupId: string) => Promise<void>;
}) {
  const { clock, index, rows, alerts, membership, markPrivacyUsed } = deps;

  function visible(
    viewer: Viewer,
    rowNos: readonly number[],
    refs: ReadonlyMap<number, IndexRef>,
    now: Date,
  ): CheckMatch[] {
    const out: CheckMatch[] = [];
    for (const rowNo of rowNos) {
      const ref = refs.get(rowNo);
      if (!ref) continue;
      const meta = alerts.meta(ref.alertId);
      if (!meta || alertState(meta, now) !== 'active' || !canRead(viewer, meta)) continue;
      out.push({
        alertId: meta.id,
        indicatorId: ref.indicatorId,
        kind: meta.kind,
        title: meta.title,
        confidence: meta.confidence,
        tlp: meta.tlp,
        validUntil: meta.validUntil?.toISOString() ?? null,
      });
    }
    return out;
  }

  /** An item looked up in the index: its matches are row numbers until the hits are resolved. */
  type Looked =
    | { i: number; type: string; value: string; rowNos: readonly number[] }
    | { i: number; type: string; input: string; error: string };

  function lookItem(i: number, type: unknown, raw: unknown, defaultCountry?: string): Looked {
    if (!isIndicatorType(type))
      return { i, type: String(type), input: String(raw), error: `unknown indicator type "${String(type)}"` };
    if (typeof raw !== 'string') return { i, type, input: String(raw), error: 'value must be a string' };
    const normal = normalizeIndicator(type, raw, defaultCountry ? { defaultCountry } : {});
    if (!normal.ok) return { i, type, input: raw, error: refusedValue(raw, normal.error) };
    return { i, type, value: normal.value, rowNos: index.lookup(type, normal.value) };
  }

  const NO_REFS: ReadonlyMap<number, IndexRef> = new Map();

  /**
   * The ids behind every row number that matched: from memory where the alert service can tell them,
   * the rest in one query per chunk (none when memory told all). Each list comes with the value it
   * matched when the caller sent one (not in privacy mode, where only a hash is known).
   */
  async function refsOf(
    lists: Iterable<{ rowNos: readonly number[]; type: string; value?: string }>,
  ): Promise<ReadonlyMap<number, IndexRef>> {
    const refs = new Map<number, IndexRef>();
    const unknown: number[] = [];
    for (const { rowNos, type, value } of lists)
      for (const rowNo of rowNos) {
        const ref = value === undefined ? null : alerts.refFromMemory(rowNo, type, value);
        if (ref) refs.set(rowNo, ref);
        else unknown.push(rowNo);
      }
    if (unknown.length) for (const [rowNo, ref] of await rows.refsOf(unknown)) refs.set(rowNo, ref);
    return refs;
  }

  async function checkOne(viewer: Viewer, type: IndicatorType, raw: string, defaultCountry?: string) {
    const looked = lookItem(0, type, raw, defaultCountry);
    if ('error' in looked) throw new ValidationError([{ field: 'value', message: looked.error }]);
    const refs = looked.rowNos.length === 0 ? NO_REFS : await refsOf([looked]);
    return {
      type: looked.type,
      value: looked.value,
      matches: visible(viewer, looked.rowNos, refs, clock.now()),
    };
  }

  /** One result per input item, in order; a bad value gets its own error and the rest are answered. */
  async function checkMany(
    viewer: Viewer,
    items: readonly { type: unknown; value: unknown }[],
    defaultCountry?: string,
  ): Promise<CheckItemResult[]> {
    const looked: Looked[] = new Array(items.length);
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      looked[i] = lookItem(i, item?.type, item?.value, defaultCountry);
    }
    const refs = await refsOf(
      (function* () {
        for (const l of looked) if ('rowNos' in l && l.rowNos.length > 0) yield l;
      })(),
    );
    // The clock is read after the ids arrive, as a single check reads it after its lookup.
    const now = clock.now();
    return looked.map((l) =>
      'error' in l
        ? l
        : { i: l.i, type: l.type, value: l.value, matches: visible(viewer, l.rowNos, refs, now) },
    );
  }

  /**
   * Privacy mode: the caller sends HMAC-SHA-256 (hex) of each normalised value under the group's key.
   * Only hashes that match an indicator the caller may read come back, so a value that matched
   * nothing is never known to the hub.
   */
  async function checkKeyed(
    viewer: Viewer,
    groupId: string,
    items: readonly { type: string; hash: string }[],
  ) {
    if (!viewer.groupIds.includes(groupId))
      throw new ForbiddenError(
        'Your organisation is not a member of this sharing group.',
        'ERR_HUB_NOT_GROUP_MEMBER',
      );
    const problems = [];
    for (let i = 0; i < items.length; i++) {
      const it = items[i]!;
      if (!isIndicatorType(it.type))
        problems.push({ field: `items/${i}/type`, message: 'unknown indicator type' });
      if (!HEX64.test(String(it.hash).toLowerCase()))
        problems.push({ field: `items/${i}/hash`, message: 'must be 64 hex characters (HMAC-SHA-256)' });
      if (problems.length >= 20) break;
    }
    if (problems.length) throw new ValidationError(problems);
    membership.group(groupId);
    // The group's privacy-mode table is built on its first such check (or, for a group that used
    // privacy mode before, in the background after start); later checks find it ready.
    await Promise.all([index.prepareGroup(groupId, alerts.groupSource(groupId)), markPrivacyUsed?.(groupId)]);
    const hits: { i: number; hash: string; type: string; rowNos: readonly number[] }[] = [];
    for (let i = 0; i < items.length; i++) {
      const it = items[i]!;
      const hash = it.hash.toLowerCase();
      const rowNos = index.lookupKeyed(groupId, it.type, hash);
      if (rowNos.length) hits.push({ i, hash, type: it.type, rowNos });
    }
    const refs = await refsOf(hits);
    const now = clock.now();
    const matches: { i: number; hash: string; type: string; matches: CheckMatch[] }[] = [];
    for (const h of hits) {
      const found = visible(viewer, h.rowNos, refs, now);
      if (found.length) matches.push({ i: h.i, hash: h.hash, type: h.type, matches: found });
    }
    return { checked: items.length, matches };
  }

  return { checkOne, checkMany, checkKeyed };
}

export type CheckService = ReturnType<typeof createCheckService>;
