// Small pure rules about an alert's metadata and input shared by several use cases: the row as
// metadata, whether it belongs in the index, optimistic locking, dates and the normalising of values.
import { normalizeBatch } from '../../domain/indicators/index.ts';
import { ConflictError, ValidationError } from '../../shared/errors.ts';
import { type AlertKind, type AlertMeta, alertState, type TlpLabel } from '../hub-types.ts';
import type { AlertRow, Normalised, RawIndicator, RejectedIndicator } from './alert-types.ts';

export const MAX_INDICATORS_PER_ALERT = 100_000;

/** Revoked and expired alerts stay out of the index; pending ones are in it (checks skip them until they start). */
export const indexable = (meta: AlertMeta, now: Date) =>
  alertState(meta, now) === 'active' || alertState(meta, now) === 'pending';

export function toMeta(row: AlertRow): AlertMeta {
  return {
    id: row.id,
    kind: row.kind as AlertKind,
    title: row.title,
    confidence: row.confidence,
    tlp: row.tlp as TlpLabel,
    groupId: row.groupId,
    publisherOrgId: row.publisherOrgId,
    recipientOrgIds: row.recipientOrgIds,
    status: row.status as 'active' | 'revoked',
    validFrom: row.validFrom,
    validUntil: row.validUntil,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** Optimistic locking: a change made from an older version than the stored one is refused. */
export function staleCheck(updated: unknown[]): void {
  if (updated.length === 0)
    throw new ConflictError('The alert changed meanwhile; read it again and retry.', 'ERR_HUB_STALE');
}

export function toDate(value: string | Date, field: string): Date {
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) throw new ValidationError([{ field, message: 'is not a valid date-time' }]);
  return d;
}

/** Normalises a batch: good values kept (deduplicated), each bad one reported on its own. */
export function normaliseAll(items: RawIndicator[], defaultCountry: string | undefined) {
  const accepted: Normalised[] = [];
  const rejected: RejectedIndicator[] = [];
  const seen = new Set<string>();
  for (const r of normalizeBatch(items, defaultCountry ? { defaultCountry } : {})) {
    if (!r.ok) {
      rejected.push({ index: r.index, type: r.type, value: r.raw, error: r.error });
      continue;
    }
    const key = `${r.type}\u0000${r.value}`;
    if (seen.has(key)) continue;
    seen.add(key);
    accepted.push({ type: r.type, value: r.value });
  }
  return { accepted, rejected };
}
