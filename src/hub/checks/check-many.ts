// Check many values at once (bulk): one result per input item, in order; a bad value gets its own
// error and the rest are answered. The hits' ids come from memory where the alert service can tell
// them, all derived in one batch, the rest are read in one go, not per item; each alert's visibility
// is decided once.

import type { CheckMatch, Viewer } from '../hub-types.ts';
import type { CheckContext, CheckItemResult } from './check-context.ts';
import { lookItem, matchOf, NO_REFS } from './check-steps.ts';

export async function checkMany(
  ctx: CheckContext,
  viewer: Viewer,
  items: readonly { type: unknown; value: unknown }[],
  defaultCountry?: string,
): Promise<CheckItemResult[]> {
  const results: CheckItemResult[] = new Array(items.length);
  // Every row that hit, in order, as parallel lists: the result it belongs to, its row number and its
  // alert when memory can tell the ids (null: ask the database). The (alert, type, value) of the
  // rows memory can tell go to the batch derivation of their indicator ids.
  const hitOf: { matches: CheckMatch[] }[] = [];
  const hitRows: number[] = [];
  const hitAlerts: (string | null)[] = [];
  const derive = {
    rowNos: [] as number[],
    alertIds: [] as string[],
    types: [] as string[],
    values: [] as string[],
  };
  const unknown: number[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    const l = lookItem(ctx, i, item?.type, item?.value, defaultCountry);
    if ('error' in l) {
      results[i] = l;
      continue;
    }
    const result = { i, type: l.type, value: l.value, matches: [] as CheckMatch[] };
    results[i] = result;
    for (const rowNo of l.rowNos) {
      const alertId = ctx.alerts.derivedOwner(rowNo);
      hitOf.push(result);
      hitRows.push(rowNo);
      hitAlerts.push(alertId);
      if (alertId === null) unknown.push(rowNo);
      else {
        derive.rowNos.push(rowNo);
        derive.alertIds.push(alertId);
        derive.types.push(l.type);
        derive.values.push(l.value);
      }
    }
  }
  const ids = ctx.alerts.indicatorIdsOf(derive.rowNos, derive.alertIds, derive.types, derive.values);
  const refs = unknown.length ? await ctx.rows.refsOf(unknown) : NO_REFS;
  // The clock is read after the ids arrive, as a single check reads it after its lookup.
  const make = matchOf(ctx, viewer, ctx.clock.now());
  let derived = 0;
  for (let k = 0; k < hitRows.length; k++) {
    const alertId = hitAlerts[k]!;
    let match: CheckMatch | null;
    if (alertId !== null) match = make(alertId, ids[derived++]!);
    else {
      const ref = refs.get(hitRows[k]!);
      match = ref ? make(ref.alertId, ref.indicatorId) : null;
    }
    if (match) hitOf[k]!.matches.push(match);
  }
  return results;
}
