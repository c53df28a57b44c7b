// A bulk check answered compactly (?answer=compact): each alert the caller may read is named once,
// and each hit is an index, an alert position and an id in parallel lists, so a value that matched nothing costs no
// object and no byte. The matches are exactly those of checkMany (same lookup, same ids, same TLP and
// validity decision per alert), in the same order; only their shape differs.
import type { Viewer } from '../hub-types.ts';
import type { CheckContext } from './check-context.ts';
import { type AlertPart, type Looking, lookRows, shownAlert } from './check-steps.ts';

/** An alert as the compact answer names it once (as "id"); hits refer to it by its position. */
export type CompactAlert = AlertPart;

export type CompactCheck = {
  checked: number;
  /** Values with at least one match the caller may read. */
  matched: number;
  alerts: CompactAlert[];
  /**
   * The k-th hit: value hitIndex[k] of the request matched indicator hitIndicator[k] of
   * alerts[hitAlert[k]]. hitIndicator is empty when the ids were not asked for (the hits answer).
   */
  hitIndex: number[];
  hitAlert: number[];
  hitIndicator: string[];
  errors: { i: number; type: string; input: string; error: string }[];
};

/** Marks a hit whose alert only the database can tell (rows stored before derived ids). */
const ASK_DATABASE = -2;
/** Marks an alert the caller may not see now (TLP, revoked, pending, expired). */
const HIDDEN = -1;

export async function checkManyCompact(
  ctx: CheckContext,
  viewer: Viewer,
  types: readonly unknown[],
  values: readonly unknown[],
  defaultCountry?: string,
  withIds = true,
): Promise<CompactCheck> {
  const now = ctx.clock.now();
  const alerts: CompactAlert[] = [];
  const refOf = new Map<string, number>();
  /** The alert's position in `alerts`, or HIDDEN: decided once per alert and request. */
  const alertRef = (alertId: string): number => {
    let ref = refOf.get(alertId);
    if (ref === undefined) {
      const part = shownAlert(ctx, viewer, now, alertId);
      if (part === null) ref = HIDDEN;
      else {
        ref = alerts.length;
        alerts.push(part);
      }
      refOf.set(alertId, ref);
    }
    return ref;
  };

  // Every row that hit, in request order: the value's index and its alert's position, or ASK_DATABASE
  // with the row number kept apart. The (alert, type, value) of rows memory can tell go to the batch
  // derivation. When memory tells them all (alerts stored with derived ids: the usual case), these
  // lists are the answer's, with no second pass.
  let hitIndex: number[] = [];
  let hitAlert: number[] = [];
  let matched = 0;
  const derive = {
    rowNos: [] as number[],
    alertIds: [] as string[],
    types: [] as string[],
    values: [] as string[],
  };
  const unknown: number[] = [];
  const errors: CompactCheck['errors'] = [];
  const out: Looking = { value: '', error: null };
  for (let i = 0; i < types.length; i++) {
    const type = types[i];
    const rows = lookRows(ctx, type, values[i], defaultCountry, out);
    if (out.error !== null) {
      errors.push({ i, type: String(type), input: String(values[i]), error: out.error });
      continue;
    }
    for (const row of rows) {
      const alertId = ctx.alerts.derivedOwner(row);
      let ref = ASK_DATABASE;
      if (alertId === null) unknown.push(row);
      else {
        ref = alertRef(alertId);
        // A hidden alert's indicator id is never derived: nothing of it goes out.
        if (ref === HIDDEN) continue;
        if (withIds) {
          derive.rowNos.push(row);
          derive.alertIds.push(alertId);
          derive.types.push(type as string);
          derive.values.push(out.value);
        }
      }
      if (hitIndex.length === 0 || hitIndex[hitIndex.length - 1] !== i) matched++;
      hitIndex.push(i);
      hitAlert.push(ref);
    }
  }
  let hitIndicator = withIds
    ? ctx.alerts.indicatorIdsOf(derive.rowNos, derive.alertIds, derive.types, derive.values)
    : [];
  if (unknown.length > 0) {
    // Rows of alerts stored before derived ids: their ids and alerts from the database, in place.
    const refs = await ctx.rows.refsOf(unknown);
    const ids = hitIndicator;
    const rowIndex = hitIndex;
    const rowAlert = hitAlert;
    hitIndex = [];
    hitAlert = [];
    hitIndicator = [];
    matched = 0;
    let derived = 0;
    let asked = 0;
    for (let k = 0; k < rowIndex.length; k++) {
      let ref = rowAlert[k]!;
      let indicatorId: string;
      if (ref !== ASK_DATABASE) indicatorId = withIds ? ids[derived++]! : '';
      else {
        const known = refs.get(unknown[asked++]!);
        if (!known) continue;
        ref = alertRef(known.alertId);
        if (ref === HIDDEN) continue;
        indicatorId = known.indicatorId;
      }
      const i = rowIndex[k]!;
      if (hitIndex.length === 0 || hitIndex[hitIndex.length - 1] !== i) matched++;
      hitIndex.push(i);
      hitAlert.push(ref);
      if (withIds) hitIndicator.push(indicatorId);
    }
  }
  return { checked: types.length, matched, alerts, hitIndex, hitAlert, hitIndicator, errors };
}
