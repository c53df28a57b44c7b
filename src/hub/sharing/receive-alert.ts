// A copy of an alert received from another node. Each message carries the whole alert as its origin
// holds it (a snapshot with its version), so a copy is applied once, in any order, and a late older
// version changes nothing. Applied inside the inbox transaction with its audit entry; a hub also queues
// the copy for the group's other nodes. Memory, index and subscribers follow after the commit.
import { and, eq, inArray } from 'drizzle-orm';
import { appendAudit } from '../../audit/audit-log.ts';
import { sha256Hex } from '../../crypto/hash.ts';
import { mayLeaveNode } from '../../domain/tlp/index.ts';
import { PeerProtocolError } from '../../federation/federation-errors.ts';
import type { Db } from '../../store/database.ts';
import { hubAlerts, hubIndicators } from '../../store/schema/index.ts';
import { placeAlert } from '../../taxii/taxii-positions.ts';
import type { IndicatorRow } from '../alert-service.ts';
import { recipientsFor, refusalOf } from '../group-routing.ts';
import type { AlertKind, AlertMeta, TlpLabel } from '../hub-types.ts';
import { allDerived } from '../indicator-ids.ts';
import { indicatorRowsOf, insertIndicatorRows } from '../indicator-rows.ts';
import { parseAlertMessage } from './message-checks.ts';
import { checkRemoteOrg, storeRemoteOrg } from './remote-orgs.ts';
import { enqueueAlert } from './send-alert.ts';
import { type AlertMessage, boundAlerts, type SharingContext } from './sharing-types.ts';

type AlertRow = typeof hubAlerts.$inferSelect;

/**
 * Applies a copy received from `from`, inside the inbox transaction; answers what to do after the
 * commit (memory, index, local subscribers). A hub also queues the copy for the group's other nodes.
 */
export async function receiveAlert(
  ctx: SharingContext,
  tx: Db,
  from: string,
  body: unknown,
): Promise<(() => void) | undefined> {
  const alerts = boundAlerts(ctx);
  const { self } = ctx;
  const m = parseAlertMessage(body);
  const group = ctx.groupNodes.get(m.groupId) ?? null;
  const refusal = refusalOf(group, self, from, m.origin);
  if (refusal) throw new PeerProtocolError(`Alert ${m.alert.id} refused: ${refusal}.`);
  if (!mayLeaveNode(m.alert.tlp as TlpLabel))
    throw new PeerProtocolError(`TLP:${m.alert.tlp} never leaves its node; alert ${m.alert.id} refused.`);
  const org = checkRemoteOrg(ctx, m.publisher, m.origin, m.groupId);
  const [current] = await tx.select().from(hubAlerts).where(eq(hubAlerts.id, m.alert.id));
  if (current && (current.publisherOrgId !== m.publisher.id || current.groupId !== m.groupId))
    throw new PeerProtocolError(`Alert ${m.alert.id} here has another publisher or group.`);
  // A version already held (or a newer one) changes nothing: the copy is idempotent.
  if (current && current.version >= m.alert.version) return undefined;
  const now = ctx.clock.now();
  const adoptOrg = await storeRemoteOrg(ctx, tx, org, now);
  const { before, added, removed, idsDerived } = await storeCopy(tx, m, current, now);
  const a = m.alert;
  await appendAudit(
    tx,
    {
      actor: `node:${from}`,
      action: 'hub.alert.receive',
      objectType: 'hub_alert',
      objectId: a.id,
      payload: {
        event: m.event,
        origin: m.origin,
        version: a.version,
        tlp: a.tlp,
        groupId: m.groupId,
        added: added.map((i) => sha256Hex(i.value)),
        removed: removed.map((r) => sha256Hex(r.value)),
      },
    },
    now,
  );
  await placeAlert(tx, { id: a.id, groupId: m.groupId }, before.length - removed.length + added.length, now);
  const forwardTo = group ? recipientsFor(group, self, m.origin, from) : [];
  await enqueueAlert(ctx, tx, forwardTo, m, now);

  const meta: AlertMeta = {
    id: a.id,
    kind: a.kind as AlertKind,
    title: a.title,
    confidence: a.confidence,
    tlp: a.tlp as TlpLabel,
    groupId: m.groupId,
    publisherOrgId: m.publisher.id,
    recipientOrgIds: [],
    status: a.status,
    validFrom: new Date(a.validFrom),
    validUntil: a.validUntil ? new Date(a.validUntil) : null,
    version: a.version,
    createdAt: current?.createdAt ?? new Date(a.createdAt),
    updatedAt: new Date(a.updatedAt),
  };
  const event = !current
    ? 'alert.published'
    : a.status === 'revoked' && current.status !== 'revoked'
      ? 'alert.revoked'
      : 'alert.updated';
  return () => {
    adoptOrg();
    alerts.adoptRemote(meta, { before, added, removed, event, idsDerived });
    if (forwardTo.length) ctx.nudge();
  };
}

/** Writes the copy: the alert row inserted or brought to the message's version, indicators added and removed. */
async function storeCopy(tx: Db, m: AlertMessage, current: AlertRow | undefined, now: Date) {
  const a = m.alert;
  const fields = {
    kind: a.kind,
    title: a.title,
    description: a.description,
    confidence: a.confidence,
    tlp: a.tlp,
    validFrom: new Date(a.validFrom),
    validUntil: a.validUntil ? new Date(a.validUntil) : null,
    status: a.status,
    version: a.version,
    updatedAt: new Date(a.updatedAt),
    revokedAt: a.revokedAt ? new Date(a.revokedAt) : null,
  };
  const before: IndicatorRow[] = current ? await indicatorRowsOf(tx, a.id) : [];
  const held = new Set(before.map((b) => b.id));
  const arriving = m.indicators.filter((i) => !held.has(i.id));
  // A publisher on an older version sends random ids: that alert's hits are then read from the database.
  const idsDerived = (current ? current.indicatorIdsDerived : true) && allDerived(a.id, arriving);
  if (current)
    await tx
      .update(hubAlerts)
      .set({ ...fields, indicatorIdsDerived: idsDerived })
      .where(eq(hubAlerts.id, a.id));
  else
    await tx.insert(hubAlerts).values({
      ...fields,
      id: a.id,
      groupId: m.groupId,
      publisherOrgId: m.publisher.id,
      recipientOrgIds: [],
      // No user of this node made it: the publisher organisation stands in.
      createdBy: m.publisher.id,
      createdAt: new Date(a.createdAt),
      indicatorIdsDerived: idsDerived,
    });

  const incoming = new Map(m.indicators.map((i) => [i.id, i]));
  const removed = before.filter((b) => !incoming.has(b.id));
  if (removed.length)
    await tx.delete(hubIndicators).where(
      and(
        eq(hubIndicators.alertId, a.id),
        inArray(
          hubIndicators.id,
          removed.map((r) => r.id),
        ),
      ),
    );
  const added = await insertIndicatorRows(
    tx,
    arriving.map((i) => ({
      id: i.id,
      alertId: a.id,
      type: i.type,
      value: i.value,
      valueHash: sha256Hex(i.value),
      createdAt: now,
    })),
  );
  return { before, added, removed, idsDerived };
}
