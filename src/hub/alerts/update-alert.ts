// Update an alert (its publisher only): title, confidence, TLP and recipients, validity, indicators
// added and removed. Optimistic locking on the version; one transaction with the audit entry (hashes
// of the values added and removed) and the federation's change hook; then only the difference moves
// in the index. Also how an alert is ended now (expire-alert.ts).
import { and, eq, inArray } from 'drizzle-orm';
import { appendAudit } from '../../audit/audit-log.ts';
import { sha256Hex } from '../../crypto/hash.ts';
import { ConflictError, ValidationError } from '../../shared/errors.ts';
import type { Db } from '../../store/database.ts';
import { hubAlerts, hubIndicators } from '../../store/schema/index.ts';
import { placeAlert } from '../../taxii/taxii-positions.ts';
import type { AlertMeta, Viewer } from '../hub-types.ts';
import { indicatorRowsOf } from '../indicator-rows.ts';
import type { AlertContext } from './alert-context.ts';
import { normaliseAll, staleCheck, toDate } from './alert-meta.ts';
import { asEventItems, checkAudience, insertIndicators, managed } from './alert-steps.ts';
import type { Normalised, UpdateInput } from './alert-types.ts';
import { viewAlert } from './view-alert.ts';

/** `endNow`: the validity window is being closed now, so validUntil may be before validFrom. */
export async function updateAlert(
  ctx: AlertContext,
  viewer: Viewer,
  id: string,
  input: UpdateInput,
  endNow = false,
) {
  const now = ctx.clock.now();
  const meta = managed(ctx, viewer, id);
  if (meta.status === 'revoked') throw new ConflictError('A revoked alert cannot change.', 'ERR_HUB_REVOKED');
  const tlp = input.tlp ?? meta.tlp;
  const recipients = [
    ...new Set(
      input.recipientOrgIds ?? (tlp === 'RED' || tlp === 'AMBER+STRICT' ? meta.recipientOrgIds : []),
    ),
  ];
  checkAudience(ctx.membership, viewer, meta.groupId, tlp, recipients);
  const validUntil =
    input.validUntil === undefined
      ? meta.validUntil
      : input.validUntil
        ? toDate(input.validUntil, 'validUntil')
        : null;
  if (!endNow && validUntil && validUntil.getTime() <= meta.validFrom.getTime())
    throw new ValidationError([{ field: 'validUntil', message: 'must be later than validFrom' }]);
  const { accepted, rejected } = normaliseAll(input.addIndicators ?? [], input.defaultCountry);
  const next: AlertMeta = {
    ...meta,
    title: input.title ?? meta.title,
    confidence: input.confidence ?? meta.confidence,
    tlp,
    recipientOrgIds: recipients,
    validUntil,
    version: meta.version + 1,
    updatedAt: now,
  };
  const { added, removed, existing } = await ctx.db.transaction((tx) =>
    storeUpdate(ctx, tx, { viewer, meta, next, input, accepted, now }),
  );
  ctx.memory.moveInIndex(next, existing, added, removed, now);
  ctx.events.emit({
    event: 'alert.updated',
    at: now,
    alert: next,
    added: asEventItems(added),
    removed: asEventItems(removed),
  });
  ctx.afterChange();
  return { alert: await viewAlert(ctx, viewer, id), accepted: added.length, rejected };
}

/** The update's transaction: indicators removed and added, the alert row (if still at its version), audit, hook. */
async function storeUpdate(
  ctx: AlertContext,
  tx: Db,
  change: {
    viewer: Viewer;
    meta: AlertMeta;
    next: AlertMeta;
    input: UpdateInput;
    accepted: Normalised[];
    now: Date;
  },
) {
  const { viewer, meta, next, input, accepted, now } = change;
  const id = meta.id;
  const removeIds = new Set(input.removeIndicatorIds ?? []);
  const existing = await indicatorRowsOf(tx, id);
  const unknown = [...removeIds].filter((r) => !existing.some((e) => e.id === r));
  if (unknown.length)
    throw new ValidationError(
      unknown.map((u) => ({
        field: 'removeIndicatorIds',
        message: `${u} is not an indicator of this alert`,
      })),
    );
  const have = new Set(existing.filter((e) => !removeIds.has(e.id)).map((e) => `${e.type}\u0000${e.value}`));
  const fresh = accepted.filter((a) => !have.has(`${a.type}\u0000${a.value}`));
  if (existing.length - removeIds.size + fresh.length === 0)
    throw new ValidationError([
      { field: 'removeIndicatorIds', message: 'an alert keeps at least one indicator' },
    ]);
  const gone = existing.filter((e) => removeIds.has(e.id));
  if (gone.length)
    await tx
      .delete(hubIndicators)
      .where(and(eq(hubIndicators.alertId, id), inArray(hubIndicators.id, [...removeIds])));
  const rows = await insertIndicators(tx, id, fresh, now, ctx.memory.groupSource(meta.groupId).digest);
  await tx
    .update(hubAlerts)
    .set({
      title: next.title,
      description: input.description,
      confidence: next.confidence,
      tlp: next.tlp,
      recipientOrgIds: [...next.recipientOrgIds],
      validUntil: next.validUntil,
      version: next.version,
      updatedAt: now,
    })
    .where(and(eq(hubAlerts.id, id), eq(hubAlerts.version, meta.version)))
    .returning({ id: hubAlerts.id })
    .then(staleCheck);
  await appendAudit(
    tx,
    {
      actor: viewer.userId,
      action: 'hub.alert.update',
      objectType: 'hub_alert',
      objectId: id,
      payload: {
        version: next.version,
        tlp: next.tlp,
        added: rows.map((r) => r.valueHash),
        removed: gone.map((g) => sha256Hex(g.value)),
      },
    },
    now,
  );
  await placeAlert(tx, meta, existing.length - gone.length + rows.length, now);
  await ctx.changeHook(tx, { event: 'updated', before: meta, after: next, now });
  return { added: rows, removed: gone, existing };
}
