// List alerts: the ones this viewer may read (TLP applied in memory, before any paging), and their
// full views in a few queries for exports and TAXII.
import { inArray } from 'drizzle-orm';
import { hubAlerts, hubIndicators, hubReports } from '../../store/schema/index.ts';
import { type AlertMeta, type AlertView, alertState, type Viewer } from '../hub-types.ts';
import { canRead, canSeeAllFeedback } from '../visibility.ts';
import type { AlertContext } from './alert-context.ts';
import { toReportView, toView } from './alert-views.ts';

/** The alerts this viewer may read, newest first, filtered in memory so TLP is applied before paging. */
export function visibleAlerts(
  ctx: AlertContext,
  viewer: Viewer,
  filter: { groupId?: string; state?: string } = {},
): AlertMeta[] {
  const now = ctx.clock.now();
  return [...ctx.memory.metas.values()]
    .filter(
      (m) =>
        canRead(viewer, m) &&
        (!filter.groupId || m.groupId === filter.groupId) &&
        (!filter.state || alertState(m, now) === filter.state),
    )
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1));
}

/** Full views of many alerts in three queries per 500 (export, TAXII). The caller has applied canRead. */
export async function alertViews(ctx: AlertContext, viewer: Viewer, list: AlertMeta[]): Promise<AlertView[]> {
  if (list.length === 0) return [];
  const { db } = ctx;
  const ids = list.map((m) => m.id);
  const out: AlertView[] = [];
  for (let at = 0; at < ids.length; at += 500) {
    const chunk = ids.slice(at, at + 500);
    const rows = await db.select().from(hubAlerts).where(inArray(hubAlerts.id, chunk));
    const inds = await db.select().from(hubIndicators).where(inArray(hubIndicators.alertId, chunk));
    const reps = await db.select().from(hubReports).where(inArray(hubReports.alertId, chunk));
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const id of chunk) {
      const row = byId.get(id);
      const meta = ctx.memory.metas.get(id);
      if (!row || !meta) continue;
      const all = canSeeAllFeedback(viewer, meta);
      out.push(
        toView(
          ctx,
          row,
          inds.filter((i) => i.alertId === id).sort((a, b) => (a.type + a.value < b.type + b.value ? -1 : 1)),
          reps
            .filter((r) => r.alertId === id && (all || r.orgId === viewer.orgId))
            .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
            .map((r) => toReportView(ctx, r)),
        ),
      );
    }
  }
  return out;
}
