// "Is this IBAN / phone / wallet known?" — answered from the in-memory index, keeping only matches
// that are in their validity window, not revoked, and readable by the caller under TLP.
import { type IndicatorType, isIndicatorType, normalizeIndicator } from '../domain/indicators/index.ts';
import type { Clock } from '../shared/clock.ts';
import { ForbiddenError, ValidationError } from '../shared/errors.ts';
import type { AlertService } from './alert-service.ts';
import { alertState, type CheckMatch, type Viewer } from './hub-types.ts';
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
  alerts: AlertService;
  membership: Membership;
}) {
  const { clock, index, alerts, membership } = deps;

  function visible(viewer: Viewer, refs: readonly IndexRef[], now: Date): CheckMatch[] {
    const out: CheckMatch[] = [];
    for (const ref of refs) {
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

  function checkItem(
    viewer: Viewer,
    i: number,
    type: unknown,
    raw: unknown,
    now: Date,
    defaultCountry?: string,
  ): CheckItemResult {
    if (!isIndicatorType(type))
      return { i, type: String(type), input: String(raw), error: `unknown indicator type "${String(type)}"` };
    if (typeof raw !== 'string') return { i, type, input: String(raw), error: 'value must be a string' };
    const normal = normalizeIndicator(type, raw, defaultCountry ? { defaultCountry } : {});
    if (!normal.ok) return { i, type, input: raw, error: normal.error };
    return { i, type, value: normal.value, matches: visible(viewer, index.lookup(type, normal.value), now) };
  }

  function checkOne(viewer: Viewer, type: IndicatorType, raw: string, defaultCountry?: string) {
    const result = checkItem(viewer, 0, type, raw, clock.now(), defaultCountry);
    if ('error' in result) throw new ValidationError([{ field: 'value', message: result.error }]);
    return { type: result.type, value: result.value, matches: result.matches };
  }

  /** One result per input item, in order; a bad value gets its own error and the rest are answered. */
  function* checkMany(
    viewer: Viewer,
    items: readonly { type: unknown; value: unknown }[],
    defaultCountry?: string,
  ): Generator<CheckItemResult> {
    const now = clock.now();
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      yield checkItem(viewer, i, item?.type, item?.value, now, defaultCountry);
    }
  }

  /**
   * Privacy mode: the caller sends HMAC-SHA-256 (hex) of each normalised value under the group's key.
   * Only hashes that match an indicator the caller may read come back, so a value that matched
   * nothing is never known to the hub.
   */
  function checkKeyed(viewer: Viewer, groupId: string, items: readonly { type: string; hash: string }[]) {
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
    const now = clock.now();
    const matches: { i: number; hash: string; type: string; matches: CheckMatch[] }[] = [];
    for (let i = 0; i < items.length; i++) {
      const it = items[i]!;
      const hash = it.hash.toLowerCase();
      const found = visible(viewer, index.lookupKeyed(groupId, it.type, hash), now);
      if (found.length) matches.push({ i, hash, type: it.type, matches: found });
    }
    return { checked: items.length, matches };
  }

  return { checkOne, checkMany, checkKeyed };
}

export type CheckService = ReturnType<typeof createCheckService>;
