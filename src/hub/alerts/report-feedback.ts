// Feedback on an alert: a sighting or a false positive, from any organisation that may read it,
// optionally on one of its indicators. One transaction with its audit entry and the federation's
// feedback hook (which passes it to the publisher's node); then the subscribers hear it.
import { and, eq } from 'drizzle-orm';
import { appendAudit } from '../../audit/audit-log.ts';
import { NotFoundError, ValidationError } from '../../shared/errors.ts';
import { uuidv7 } from '../../shared/ids.ts';
import { hubIndicators, hubReports } from '../../store/schema/index.ts';
import { placeFeedback } from '../../taxii/taxii-positions.ts';
import type { ReportView, Viewer } from '../hub-types.ts';
import { canRead } from '../visibility.ts';
import type { AlertContext } from './alert-context.ts';
import { toDate } from './alert-meta.ts';
import { requireOrg } from './alert-steps.ts';
import type { ReportInput } from './alert-types.ts';
import { toReportView } from './alert-views.ts';

export async function reportFeedback(
  ctx: AlertContext,
  viewer: Viewer,
  alertId: string,
  input: ReportInput,
): Promise<ReportView> {
  const meta = ctx.memory.metas.get(alertId);
  if (!meta || !canRead(viewer, meta)) throw new NotFoundError('Alert', alertId);
  const orgId = requireOrg(viewer);
  const now = ctx.clock.now();
  const observedAt = input.observedAt ? toDate(input.observedAt, 'observedAt') : now;
  const row = {
    id: uuidv7(now.getTime()),
    alertId,
    indicatorId: input.indicatorId ?? null,
    kind: input.kind,
    orgId,
    reportedBy: viewer.userId,
    count: input.count ?? 1,
    note: input.note ?? '',
    observedAt,
    createdAt: now,
  };
  await ctx.db.transaction(async (tx) => {
    if (row.indicatorId) {
      const [ind] = await tx
        .select({ id: hubIndicators.id })
        .from(hubIndicators)
        .where(and(eq(hubIndicators.id, row.indicatorId), eq(hubIndicators.alertId, alertId)));
      if (!ind)
        throw new ValidationError([{ field: 'indicatorId', message: 'is not an indicator of this alert' }]);
    }
    await tx.insert(hubReports).values(row);
    await appendAudit(
      tx,
      {
        actor: viewer.userId,
        action: input.kind === 'sighting' ? 'hub.alert.sighting' : 'hub.alert.false_positive',
        objectType: 'hub_alert',
        objectId: alertId,
        payload: { reportId: row.id, indicatorId: row.indicatorId, count: row.count },
      },
      now,
    );
    await placeFeedback(tx, meta.groupId, row.id, now);
    await ctx.feedbackHook?.(tx, meta, row, now);
  });
  const view = toReportView(ctx, row);
  ctx.events.emit({ event: 'alert.feedback', at: now, alert: meta, added: [], removed: [], feedback: view });
  ctx.afterChange();
  return view;
}
