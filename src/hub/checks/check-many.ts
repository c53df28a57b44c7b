// Check many values at once (bulk): one result per input item, in order; a bad value gets its own
// error and the rest are answered. The hits' ids are read in one go, not per item.
import type { Viewer } from '../hub-types.ts';
import type { CheckContext, CheckItemResult } from './check-context.ts';
import { type Looked, lookItem, refsOf, visible } from './check-steps.ts';

export async function checkMany(
  ctx: CheckContext,
  viewer: Viewer,
  items: readonly { type: unknown; value: unknown }[],
  defaultCountry?: string,
): Promise<CheckItemResult[]> {
  const looked: Looked[] = new Array(items.length);
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    looked[i] = lookItem(ctx, i, item?.type, item?.value, defaultCountry);
  }
  const refs = await refsOf(
    ctx,
    (function* () {
      for (const l of looked) if ('rowNos' in l && l.rowNos.length > 0) yield l;
    })(),
  );
  // The clock is read after the ids arrive, as a single check reads it after its lookup.
  const now = ctx.clock.now();
  return looked.map((l) =>
    'error' in l
      ? l
      : { i: l.i, type: l.type, value: l.value, matches: visible(ctx, viewer, l.rowNos, refs, now) },
  );
}
