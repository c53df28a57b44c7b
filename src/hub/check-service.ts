// "Is this IBAN / phone / wallet known?" — answered from the in-memory index, keeping only matches
// that are in their validity window, not revoked, and readable by the caller under TLP. The index
// gives row numbers; the alert service turns them into alert and indicator ids from memory
// (row owners and derived indicator ids), so neither a miss nor a hit waits for the database. Rows
// whose ids only the database knows (alerts stored before derived ids, and privacy-mode checks,
// which never learn the value) are read back by one indexed query per request.
// The checks are one per file in checks/, assembled here.
import type { IndicatorType } from '../domain/indicators/index.ts';
import type { CheckContext } from './checks/check-context.ts';
import { checkKeyed } from './checks/check-keyed.ts';
import { checkMany } from './checks/check-many.ts';
import { checkManyCompact } from './checks/check-many-compact.ts';
import { checkOne } from './checks/check-one.ts';
import type { Viewer } from './hub-types.ts';

export type { CheckContext, CheckItemResult } from './checks/check-context.ts';
export type { CompactAlert, CompactCheck } from './checks/check-many-compact.ts';

export const MAX_BULK_CHECK = 100_000;

export function createCheckService(ctx: CheckContext) {
  return {
    checkOne: (viewer: Viewer, type: IndicatorType, raw: string, defaultCountry?: string) =>
      checkOne(ctx, viewer, type, raw, defaultCountry),
    /** One result per input item, in order; a bad value gets its own error and the rest are answered. */
    checkMany: (
      viewer: Viewer,
      items: readonly { type: unknown; value: unknown }[],
      defaultCountry?: string,
    ) => checkMany(ctx, viewer, items, defaultCountry),
    /** The same matches as checkMany for the i-th (types[i], values[i]), each alert named once. */
    checkManyCompact: (
      viewer: Viewer,
      types: readonly unknown[],
      values: readonly unknown[],
      defaultCountry?: string,
    ) => checkManyCompact(ctx, viewer, types, values, defaultCountry),
    /** As checkManyCompact without the indicator ids (the hits answer): hitIndicator stays empty. */
    checkManyHits: (
      viewer: Viewer,
      types: readonly unknown[],
      values: readonly unknown[],
      defaultCountry?: string,
    ) => checkManyCompact(ctx, viewer, types, values, defaultCountry, false),
    /** Privacy mode: HMACs of the values under the group's key; only hashes that matched come back. */
    checkKeyed: (viewer: Viewer, groupId: string, items: readonly { type: string; hash: string }[]) =>
      checkKeyed(ctx, viewer, groupId, items),
  };
}

export type CheckService = ReturnType<typeof createCheckService>;
