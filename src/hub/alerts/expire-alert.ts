// Expiry: a publisher ends an alert's validity now (it stops matching, stays readable as expired),
// and the sweep takes alerts whose window closed by the clock out of the index, telling subscribers once.
import { claimJob, pruneJobClaims } from '../../store/job-claims.ts';
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

/** The job every replica's sweep claims before it tells the webhooks of an expiry. */
export const EXPIRY_JOB = 'hub.alert_expired';
/** Claims older than this are forgotten: every replica has swept long before. */
const CLAIMS_KEPT_MS = 30 * 86_400_000;

/**
 * Alerts whose validity window has closed (by the clock) leave the index, and subscribers hear
 * alert.expired once. Checks already ignore them; this frees the memory and tells the subscribers.
 * Every replica sweeps its own memory and its own streams hear the event; the webhooks, which leave
 * the node, are called by the one replica that claims the expiry (job_claims) first.
 */
export async function sweepExpiredAlerts(ctx: AlertContext): Promise<number> {
  const { metas, indexed } = ctx.memory;
  const now = ctx.clock.now();
  let count = 0;
  let claimed = false;
  for (const id of [...indexed]) {
    const meta = metas.get(id);
    if (!meta || indexable(meta, now)) continue;
    const removed = await indicatorRowsOf(ctx.db, id);
    // An update or revocation meanwhile replaced the meta and moved the index itself.
    if (metas.get(id) !== meta || !indexed.delete(id)) continue;
    ctx.memory.indexDrop(meta, removed);
    // The key names this window: an alert extended and expired again is told again.
    const first = await claimJob(ctx.db, EXPIRY_JOB, `${id}@${meta.validUntil?.getTime()}`, now);
    claimed ||= first;
    const emit = () =>
      ctx.events.emit({
        event: 'alert.expired',
        at: now,
        alert: meta,
        added: [],
        removed: asEventItems(removed),
      });
    if (first) emit();
    else ctx.events.fromOtherReplica(emit);
    count++;
  }
  if (claimed) await pruneJobClaims(ctx.db, EXPIRY_JOB, new Date(now.getTime() - CLAIMS_KEPT_MS));
  return count;
}
