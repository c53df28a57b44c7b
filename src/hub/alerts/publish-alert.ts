// Publish an alert to a sharing group: every check before the one transaction (alert, indicators,
// audit entry with the values' hashes only, the federation's change hook); memory, index and
// subscribers follow once it committed. Values that do not normalise are reported, not published.
import { appendAudit } from '../../audit/audit-log.ts';
import { refusedValue } from '../../domain/refused-value.ts';
import { ValidationError } from '../../shared/errors.ts';
import { uuidv7 } from '../../shared/ids.ts';
import type { Db } from '../../store/database.ts';
import { hubAlerts } from '../../store/schema/index.ts';
import { placeAlert } from '../../taxii/taxii-positions.ts';
import type { AlertMeta, Viewer } from '../hub-types.ts';
import type { AlertContext } from './alert-context.ts';
import { MAX_INDICATORS_PER_ALERT, normaliseAll, toDate } from './alert-meta.ts';
import { asEventItems, checkAudience, insertIndicators, requireOrg } from './alert-steps.ts';
import type { IndicatorRow, Normalised, PublishInput, RejectedIndicator } from './alert-types.ts';
import { viewAlert } from './view-alert.ts';

/** An alert checked and ready to write. */
export type PreparedAlert = {
  meta: AlertMeta;
  description: string;
  createdBy: string;
  indicators: Normalised[];
};

export async function publishAlert(ctx: AlertContext, viewer: Viewer, input: PublishInput) {
  const now = ctx.clock.now();
  const prepared = prepareAlert(ctx, viewer, input, now);
  const rows = await ctx.db.transaction((tx) => insertPrepared(ctx, tx, prepared, viewer.userId, 'api', now));
  afterPublish(ctx, prepared.meta, rows, now);
  return {
    alert: await viewAlert(ctx, viewer, prepared.meta.id),
    accepted: rows.length,
    rejected: prepared.rejected,
  };
}

/** Checks an alert to publish without writing anything; throws on any problem with the alert itself. */
export function prepareAlert(
  ctx: AlertContext,
  viewer: Viewer,
  input: PublishInput,
  now: Date,
): PreparedAlert & { rejected: RejectedIndicator[] } {
  const orgId = requireOrg(viewer);
  const recipients = [...new Set(input.recipientOrgIds ?? [])];
  checkAudience(ctx.membership, viewer, input.groupId, input.tlp, recipients);
  if (input.indicators.length > MAX_INDICATORS_PER_ALERT)
    throw new ValidationError([
      { field: 'indicators', message: `at most ${MAX_INDICATORS_PER_ALERT} indicators per alert` },
    ]);
  const validFrom = input.validFrom ? toDate(input.validFrom, 'validFrom') : now;
  const validUntil = input.validUntil ? toDate(input.validUntil, 'validUntil') : null;
  if (validUntil && validUntil.getTime() <= validFrom.getTime())
    throw new ValidationError([{ field: 'validUntil', message: 'must be later than validFrom' }]);
  const { accepted, rejected } = normaliseAll(input.indicators, input.defaultCountry);
  if (accepted.length === 0) {
    throw new ValidationError(
      rejected.length
        ? rejected.map((r) => ({ field: `indicators/${r.index}`, message: refusedValue(r.value, r.error) }))
        : [{ field: 'indicators', message: 'an alert needs at least one indicator' }],
    );
  }
  const meta: AlertMeta = {
    id: uuidv7(now.getTime()),
    kind: input.kind,
    title: input.title,
    confidence: input.confidence,
    tlp: input.tlp,
    groupId: input.groupId,
    publisherOrgId: orgId,
    recipientOrgIds: recipients,
    status: 'active',
    validFrom,
    validUntil,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  return {
    meta,
    description: input.description ?? '',
    createdBy: viewer.userId,
    indicators: accepted,
    rejected,
  };
}

/** Writes a prepared alert in the caller's transaction; `source` says where it came from (api, a STIX file). */
export async function insertPrepared(
  ctx: AlertContext,
  tx: Db,
  p: PreparedAlert,
  actor: string,
  source: string,
  now: Date,
) {
  await tx.insert(hubAlerts).values({
    ...p.meta,
    recipientOrgIds: [...p.meta.recipientOrgIds],
    description: p.description,
    createdBy: p.createdBy,
    revokedAt: null,
    indicatorIdsDerived: true,
  });
  const rows = await insertIndicators(
    tx,
    p.meta.id,
    p.indicators,
    now,
    ctx.memory.groupSource(p.meta.groupId).digest,
  );
  await appendAudit(
    tx,
    {
      actor,
      action: 'hub.alert.publish',
      objectType: 'hub_alert',
      objectId: p.meta.id,
      payload: {
        kind: p.meta.kind,
        tlp: p.meta.tlp,
        groupId: p.meta.groupId,
        source,
        indicatorHashes: rows.map((r) => r.valueHash),
      },
    },
    now,
  );
  await placeAlert(tx, p.meta, rows.length, now);
  await ctx.changeHook(tx, { event: 'published', before: null, after: p.meta, now });
  return rows;
}

/** After the commit: memory and index hold the alert, subscribers hear of it, the federation wakes. */
export function afterPublish(ctx: AlertContext, meta: AlertMeta, rows: readonly IndicatorRow[], now: Date) {
  ctx.memory.metas.set(meta.id, meta);
  ctx.memory.derivedIds.add(meta.id);
  ctx.memory.indexAdd(meta, rows);
  ctx.events.emit({
    event: 'alert.published',
    at: now,
    alert: meta,
    added: asEventItems(rows),
    removed: [],
  });
  ctx.afterChange();
}
