// Stored alerts and feedback as readers see them (API, web desk, TAXII).
import type { IndicatorType } from '../../domain/indicators/index.ts';
import type { hubIndicators } from '../../store/schema/index.ts';
import {
  type AlertView,
  alertState,
  type IndicatorView,
  type ReportKind,
  type ReportView,
} from '../hub-types.ts';
import type { AlertContext } from './alert-context.ts';
import { toMeta } from './alert-meta.ts';
import type { AlertRow, ReportRow } from './alert-types.ts';

export function toReportView(ctx: AlertContext, r: ReportRow): ReportView {
  return {
    id: r.id,
    kind: r.kind as ReportKind,
    indicatorId: r.indicatorId,
    orgId: r.orgId,
    orgName: ctx.membership.findOrg(r.orgId)?.name ?? r.orgId,
    count: r.count,
    note: r.note,
    observedAt: r.observedAt.toISOString(),
    createdAt: r.createdAt.toISOString(),
  };
}

export function toView(
  ctx: AlertContext,
  row: AlertRow,
  indicators: (typeof hubIndicators.$inferSelect)[],
  feedback: ReportView[],
): AlertView {
  const meta = toMeta(row);
  return {
    id: row.id,
    kind: meta.kind,
    title: row.title,
    description: row.description,
    confidence: row.confidence,
    tlp: meta.tlp,
    groupId: row.groupId,
    publisherOrgId: row.publisherOrgId,
    publisherOrgName: ctx.membership.findOrg(row.publisherOrgId)?.name ?? row.publisherOrgId,
    recipientOrgIds: row.recipientOrgIds,
    status: meta.status,
    state: alertState(meta, ctx.clock.now()),
    validFrom: row.validFrom.toISOString(),
    validUntil: row.validUntil?.toISOString() ?? null,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    revokedAt: row.revokedAt?.toISOString() ?? null,
    indicators: indicators.map((i) => ({
      id: i.id,
      type: i.type as IndicatorType,
      value: i.value,
      valueHash: i.valueHash,
    })) satisfies IndicatorView[],
    feedback,
  };
}
