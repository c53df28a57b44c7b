// Check many values at once (bulk): one result per input item, in order; a bad value gets its own
// error and the rest are answered. The hits' ids come from memory where the alert service can tell
// them, the rest are read in one go, not per item; each alert's visibility is decided once.
import type { CheckMatch, Viewer } from '../hub-types.ts';
import type { IndexRef } from '../lookup-index.ts';
import type { CheckContext, CheckItemResult } from './check-context.ts';
import { lookItem, matchMaker, NO_REFS } from './check-steps.ts';

export async function checkMany(
  ctx: CheckContext,
  viewer: Viewer,
  items: readonly { type: unknown; value: unknown }[],
  defaultCountry?: string,
): Promise<CheckItemResult[]> {
  const results: CheckItemResult[] = new Array(items.length);
  // The items that hit, with the ids memory gave for each of their rows (null: ask the database).
  const hits: { result: { matches: CheckMatch[] }; rowNos: readonly number[]; known: (IndexRef | null)[] }[] =
    [];
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
    if (l.rowNos.length === 0) continue;
    const known = l.rowNos.map((rowNo) => ctx.alerts.refFromMemory(rowNo, l.type, l.value));
    for (let k = 0; k < known.length; k++) if (known[k] === null) unknown.push(l.rowNos[k]!);
    hits.push({ result, rowNos: l.rowNos, known });
  }
  const refs = unknown.length ? await ctx.rows.refsOf(unknown) : NO_REFS;
  // The clock is read after the ids arrive, as a single check reads it after its lookup.
  const make = matchMaker(ctx, viewer, ctx.clock.now());
  for (const h of hits)
    for (let k = 0; k < h.rowNos.length; k++) {
      const ref = h.known[k] ?? refs.get(h.rowNos[k]!);
      const match = ref ? make(ref) : null;
      if (match) h.result.matches.push(match);
    }
  return results;
}
