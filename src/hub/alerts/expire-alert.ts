// Expiry: a publisher ends an alert's validity now (it stops matching, stays readable as expired),
// and the sweep takes alerts whose window closed by the clock out of the index, telling subscribers once.
import type { Viewer } from '../hub-types.ts';
import { indicatorRowsOf } from '../indicator-rows.ts';
import type { AlertContext } from './alert-context.ts';
import { indexable } from './alert-meta.ts';
import { asEventItems } from './alert-steps.ts';
import { updateAlert } from './update-alert.ts';

/** Ends the validity window now: the alert stops matching but stays readable as expired. */
export async function expireAlert(ctx: AlertContext, viewer: Viewer, id: string) {
  return updateAlert(ctx, viewer, id, { validUntil: ctx.clock.now() }, true);
}

/**
 * Alerts whose validity window has closed (by the clock) leave the index, and subscribers hear
 * alert.expired once. Checks already ignore them; this frees the memory and tells the subscribers.
 */
export async function sweepExpiredAlerts(ctx: AlertContext): Promise<number> {
  const { metas, indexed } = ctx.memory;
  const now = ctx.clock.now();
  let count = 0;
  for (const id of [...indexed]) {
    const meta = metas.get(id);
    if (!meta || indexable(meta, now)) continue;
    const removed = await indicatorRowsOf(ctx.db, id);
    // An update or revocation meanwhile replaced the meta and moved the index itself.
    if (metas.get(id) !== meta || !indexed.delete(id)) continue;
    ctx.memory.indexDrop(meta, removed);
    ctx.events.emit({
      event: 'alert.expired',
      at: now,
      alert: meta,
      added: [],
      removed: asEventItems(removed),
    });
    count++;
  }
  return count;
}
