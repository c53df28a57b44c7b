// Feedback reported here about another node's alert goes back to the publisher's node, through the
// group's hub if it has one: queued in the transaction of the report.
import { enqueueMessage } from '../../federation/outbox-store.ts';
import type { Db } from '../../store/database.ts';
import type { ReportRow } from '../alert-service.ts';
import { feedbackRecipientsFor } from '../group-routing.ts';
import type { AlertMeta } from '../hub-types.ts';
import { FEEDBACK_MESSAGE, type FeedbackMessage, originOf, type SharingContext } from './sharing-types.ts';

/** In the transaction of feedback reported here about another node's alert: on its way back. */
export async function sendFeedback(
  ctx: SharingContext,
  tx: Db,
  alert: AlertMeta,
  report: ReportRow,
  now: Date,
): Promise<void> {
  const { self } = ctx;
  const group = ctx.groupNodes.get(alert.groupId);
  const origin = originOf(ctx, alert);
  if (!group || origin === self) return;
  const reporter = ctx.membership.findOrg(report.orgId);
  if (!reporter) return;
  const message: FeedbackMessage = {
    origin,
    groupId: alert.groupId,
    alertId: alert.id,
    reporterNode: self,
    reporter: { id: reporter.id, name: reporter.name, kind: reporter.kind, country: reporter.country },
    report: {
      id: report.id,
      kind: report.kind,
      indicatorId: report.indicatorId,
      count: report.count,
      note: report.note,
      observedAt: report.observedAt.toISOString(),
      createdAt: report.createdAt.toISOString(),
    },
  };
  for (const recipient of feedbackRecipientsFor(group, self, origin))
    await enqueueMessage(
      tx,
      { recipient, type: FEEDBACK_MESSAGE, requestId: null, body: message },
      now,
      ctx.lifetimeMs,
    );
}
