// Sharing a change made here: in its transaction, the whole alert as this node holds it goes to the
// outbox for the group's other nodes. TLP:RED and AMBER+STRICT never leave; an alert tightened to
// one of them after it was shared is withdrawn from the other nodes instead.
import { eq } from 'drizzle-orm';
import { mayLeaveNode } from '../../domain/tlp/index.ts';
import { enqueueMessage } from '../../federation/outbox-store.ts';
import type { Db } from '../../store/database.ts';
import { hubAlerts, hubIndicators } from '../../store/schema/index.ts';
import type { AlertChange } from '../alert-service.ts';
import { recipientsFor } from '../group-routing.ts';
import type { AlertMeta } from '../hub-types.ts';
import { ALERT_MESSAGE, type AlertMessage, originOf, type SharingContext } from './sharing-types.ts';

/** In the transaction of a change made here: the messages for the group's other nodes. */
export async function sendAlertChange(ctx: SharingContext, tx: Db, change: AlertChange): Promise<void> {
  const { self } = ctx;
  const group = ctx.groupNodes.get(change.after.groupId);
  if (!group || originOf(ctx, change.after) !== self) return;
  const recipients = recipientsFor(group, self, self, null);
  if (recipients.length === 0) return;
  const wasShared = change.before !== null && mayLeaveNode(change.before.tlp);
  const shared = mayLeaveNode(change.after.tlp);
  if (!shared && !wasShared) return;
  let message: AlertMessage;
  if (!shared) {
    // Tightened to AMBER+STRICT or RED: the copies elsewhere are withdrawn, at the level they had.
    message = await snapshot(ctx, tx, change.after, 'withdrawn');
    message.alert.tlp = change.before!.tlp;
  } else message = await snapshot(ctx, tx, change.after, wasShared ? change.event : 'published');
  await enqueueAlert(ctx, tx, recipients, message, change.now);
}

/** Queues an alert message for each recipient, in the alert's own conversation (its id). */
export async function enqueueAlert(
  ctx: SharingContext,
  tx: Db,
  recipients: string[],
  message: AlertMessage,
  now: Date,
) {
  for (const recipient of recipients)
    await enqueueMessage(
      tx,
      { recipient, type: ALERT_MESSAGE, requestId: message.alert.id, body: message },
      now,
      ctx.lifetimeMs,
    );
}

/** The alert as stored now, as a message; a withdrawal carries nothing beyond its id. */
async function snapshot(
  ctx: SharingContext,
  tx: Db,
  meta: AlertMeta,
  event: AlertMessage['event'],
): Promise<AlertMessage> {
  const [row] = await tx.select().from(hubAlerts).where(eq(hubAlerts.id, meta.id));
  const org = ctx.membership.findOrg(meta.publisherOrgId);
  if (!row || !org) throw new Error(`alert ${meta.id} or its publisher is missing`);
  const withdrawn = event === 'withdrawn';
  const indicators = withdrawn
    ? []
    : await tx
        .select({ id: hubIndicators.id, type: hubIndicators.type, value: hubIndicators.value })
        .from(hubIndicators)
        .where(eq(hubIndicators.alertId, meta.id));
  return {
    event,
    origin: originOf(ctx, meta),
    groupId: meta.groupId,
    publisher: { id: org.id, name: org.name, kind: org.kind, country: org.country },
    alert: {
      id: row.id,
      kind: row.kind,
      // A withdrawn alert tells the other nodes nothing beyond its id: its content is no longer theirs.
      title: withdrawn ? 'Withdrawn by its publisher' : row.title,
      description: withdrawn ? '' : row.description,
      confidence: row.confidence,
      tlp: row.tlp,
      validFrom: row.validFrom.toISOString(),
      validUntil: row.validUntil?.toISOString() ?? null,
      status: withdrawn ? 'revoked' : (row.status as 'active' | 'revoked'),
      version: row.version,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
      revokedAt: row.revokedAt?.toISOString() ?? (withdrawn ? row.updatedAt.toISOString() : null),
    },
    indicators,
  };
}
