// Revoke an alert (its publisher only): it stops matching at once and leaves the index, stays
// readable as revoked, and the federation passes the revocation on. One transaction with its audit entry.
import { and, eq } from 'drizzle-orm';
import { appendAudit } from '../../audit/audit-log.ts';
import { ConflictError } from '../../shared/errors.ts';
import { hubAlerts } from '../../store/schema/index.ts';
import { placeAlert } from '../../taxii/taxii-positions.ts';
import type { AlertMeta, Viewer } from '../hub-types.ts';
import { indicatorRowsOf } from '../indicator-rows.ts';
import type { AlertContext } from './alert-context.ts';
import { staleCheck } from './alert-meta.ts';
import { asEventItems, managed } from './alert-steps.ts';
import { viewAlert } from './view-alert.ts';

export async function revokeAlert(ctx: AlertContext, viewer: Viewer, id: string, reason: string) {
  const now = ctx.clock.now();
  const meta = managed(ctx, viewer, id);
  if (meta.status === 'revoked') throw new ConflictError('The alert is revoked already.', 'ERR_HUB_REVOKED');
  const next: AlertMeta = { ...meta, status: 'revoked', version: meta.version + 1, updatedAt: now };
  const removed = await ctx.db.transaction(async (tx) => {
    await tx
      .update(hubAlerts)
      .set({ status: 'revoked', version: next.version, updatedAt: now, revokedAt: now })
      .where(and(eq(hubAlerts.id, id), eq(hubAlerts.version, meta.version)))
      .returning({ id: hubAlerts.id })
      .then(staleCheck);
    await appendAudit(
      tx,
      {
        actor: viewer.userId,
        action: 'hub.alert.revoke',
        objectType: 'hub_alert',
        objectId: id,
        payload: { version: next.version, reason },
      },
      now,
    );
    const rows = await indicatorRowsOf(tx, id);
    await placeAlert(tx, meta, rows.length, now);
    await ctx.changeHook(tx, { event: 'revoked', before: meta, after: next, now });
    return rows;
  });
  ctx.memory.metas.set(id, next);
  if (ctx.memory.indexed.delete(id)) ctx.memory.indexDrop(next, removed);
  ctx.events.emit({
    event: 'alert.revoked',
    at: now,
    alert: next,
    added: [],
    removed: asEventItems(removed),
  });
  ctx.afterChange();
  return viewAlert(ctx, viewer, id);
}
