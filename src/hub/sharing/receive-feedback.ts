// Feedback received from another node: the publisher's node stores it (once: a report id already held
// changes nothing) and tells its subscribers; the hub passes it on to the publisher's node and keeps
// nothing, since feedback is for the publisher only.
import { and, eq } from 'drizzle-orm';
import { appendAudit } from '../../audit/audit-log.ts';
import { mayLeaveNode } from '../../domain/tlp/index.ts';
import { PeerProtocolError } from '../../federation/federation-errors.ts';
import { enqueueMessage } from '../../federation/outbox-store.ts';
import type { Db } from '../../store/database.ts';
import { hubIndicators, hubReports } from '../../store/schema/index.ts';
import { placeFeedback } from '../../taxii/taxii-positions.ts';
import type { ReportRow } from '../alert-service.ts';
import { feedbackRecipientsFor, feedbackRefusalOf } from '../group-routing.ts';
import { parseFeedbackMessage } from './message-checks.ts';
import { checkRemoteOrg, storeRemoteOrg } from './remote-orgs.ts';
import { boundAlerts, FEEDBACK_MESSAGE, originOf, type SharingContext } from './sharing-types.ts';

export async function receiveFeedback(
  ctx: SharingContext,
  tx: Db,
  from: string,
  body: unknown,
): Promise<(() => void) | undefined> {
  const alerts = boundAlerts(ctx);
  const { self } = ctx;
  const m = parseFeedbackMessage(body);
  const group = ctx.groupNodes.get(m.groupId) ?? null;
  const refusal = feedbackRefusalOf(group, self, from, m.reporterNode, m.origin);
  if (refusal) throw new PeerProtocolError(`Feedback ${m.report.id} refused: ${refusal}.`);
  const meta = alerts.meta(m.alertId);
  if (!meta || meta.groupId !== m.groupId || originOf(ctx, meta) !== m.origin || !mayLeaveNode(meta.tlp))
    throw new PeerProtocolError(`This node holds no alert ${m.alertId} of ${m.origin} in that group.`);
  const now = ctx.clock.now();
  if (m.origin !== self) {
    const forwardTo = feedbackRecipientsFor(group!, self, m.origin);
    for (const recipient of forwardTo)
      await enqueueMessage(
        tx,
        { recipient, type: FEEDBACK_MESSAGE, requestId: null, body: m },
        now,
        ctx.lifetimeMs,
      );
    return () => ctx.nudge();
  }
  const org = checkRemoteOrg(ctx, m.reporter, m.reporterNode, m.groupId);
  const adoptOrg = await storeRemoteOrg(ctx, tx, org, now);
  let indicatorId = m.report.indicatorId;
  if (indicatorId) {
    const [ind] = await tx
      .select({ id: hubIndicators.id })
      .from(hubIndicators)
      .where(and(eq(hubIndicators.id, indicatorId), eq(hubIndicators.alertId, m.alertId)));
    // The publisher may have removed the indicator meanwhile: the report stays, about the alert.
    if (!ind) indicatorId = null;
  }
  const row: ReportRow = {
    id: m.report.id,
    alertId: m.alertId,
    indicatorId,
    kind: m.report.kind,
    orgId: m.reporter.id,
    // No user of this node reported it: the reporting organisation stands in.
    reportedBy: m.reporter.id,
    count: m.report.count,
    note: m.report.note,
    observedAt: new Date(m.report.observedAt),
    createdAt: new Date(m.report.createdAt),
  };
  const inserted = await tx
    .insert(hubReports)
    .values(row)
    .onConflictDoNothing()
    .returning({ id: hubReports.id });
  if (inserted.length === 0) return adoptOrg;
  await appendAudit(
    tx,
    {
      actor: `node:${from}`,
      action: row.kind === 'sighting' ? 'hub.alert.sighting' : 'hub.alert.false_positive',
      objectType: 'hub_alert',
      objectId: m.alertId,
      payload: { reportId: row.id, indicatorId, count: row.count, reporterNode: m.reporterNode },
    },
    now,
  );
  await placeFeedback(tx, meta.groupId, row.id, now);
  return () => {
    adoptOrg();
    alerts.adoptRemoteFeedback(m.alertId, row);
  };
}
