// After the commit of what another node sent (src/hub/hub-federation.ts wrote it): an alert's copy, or
// feedback passed on to the publisher. Memory, index and local subscribers follow, as for a local change.
import type { AlertMeta } from '../hub-types.ts';
import type { AlertContext } from './alert-context.ts';
import { asEventItems } from './alert-steps.ts';
import type { IndicatorRow, ReportRow } from './alert-types.ts';
import { toReportView } from './alert-views.ts';

/** `before` holds the indicators held until now. */
export function adoptRemoteAlert(
  ctx: AlertContext,
  next: AlertMeta,
  change: {
    before: readonly IndicatorRow[];
    added: readonly IndicatorRow[];
    removed: readonly IndicatorRow[];
    event: 'alert.published' | 'alert.updated' | 'alert.revoked';
    /** Whether all the alert's indicator ids are now derived ones (as stored with the alert). */
    idsDerived: boolean;
  },
) {
  const now = ctx.clock.now();
  if (change.idsDerived) ctx.memory.derivedIds.add(next.id);
  else ctx.memory.derivedIds.delete(next.id);
  ctx.memory.moveInIndex(next, change.before, change.added, change.removed, now);
  ctx.events.emit({
    event: change.event,
    at: now,
    alert: next,
    added: asEventItems(change.added),
    removed: asEventItems(change.removed),
  });
}

/** Feedback another node passed on: the publisher's subscribers hear it. */
export function adoptRemoteFeedback(ctx: AlertContext, alertId: string, row: ReportRow) {
  const meta = ctx.memory.metas.get(alertId);
  if (!meta) return;
  const view = toReportView(ctx, row);
  ctx.events.emit({
    event: 'alert.feedback',
    at: ctx.clock.now(),
    alert: meta,
    added: [],
    removed: [],
    feedback: view,
  });
}
