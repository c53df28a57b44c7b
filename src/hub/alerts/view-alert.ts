// Show one alert as this viewer may see it: its indicators, and the feedback it may read (all of it
// for the publisher, else its own organisation's). Not found, never forbidden: existence is not leaked.
import { and, asc, eq } from 'drizzle-orm';
import { NotFoundError } from '../../shared/errors.ts';
import { hubAlerts, hubIndicators, hubReports } from '../../store/schema/index.ts';
import type { AlertView, Viewer } from '../hub-types.ts';
import { canRead, canSeeAllFeedback } from '../visibility.ts';
import type { AlertContext } from './alert-context.ts';
import { toReportView, toView } from './alert-views.ts';

export async function viewAlert(ctx: AlertContext, viewer: Viewer, id: string): Promise<AlertView> {
  const { db } = ctx;
  const meta = ctx.memory.metas.get(id);
  if (!meta || !canRead(viewer, meta)) throw new NotFoundError('Alert', id);
  const [row] = await db.select().from(hubAlerts).where(eq(hubAlerts.id, id));
  if (!row) throw new NotFoundError('Alert', id);
  const indicators = await db
    .select()
    .from(hubIndicators)
    .where(eq(hubIndicators.alertId, id))
    .orderBy(asc(hubIndicators.type), asc(hubIndicators.value));
  const all = canSeeAllFeedback(viewer, meta);
  const reports = await db
    .select()
    .from(hubReports)
    .where(
      all
        ? eq(hubReports.alertId, id)
        : and(
            eq(hubReports.alertId, id),
            eq(hubReports.orgId, viewer.orgId ?? '00000000-0000-0000-0000-000000000000'),
          ),
    )
    .orderBy(asc(hubReports.createdAt));
  return toView(
    ctx,
    row,
    indicators,
    reports.map((r) => toReportView(ctx, r)),
  );
}
