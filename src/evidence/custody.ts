// The chain of custody: every event on evidence is an audit entry whose payload is the event's details,
// kept beside it so a report can show who did what from where and a verifier can recompute the leaf.
import { and, asc, eq, inArray, or } from 'drizzle-orm';
import { appendAudit } from '../audit/audit-log.ts';
import type { Db } from '../store/database.ts';
import { evidenceCustody } from '../store/schema/index.ts';

export type CustodyEvent = {
  requestId: string;
  packageId?: string | null;
  itemId?: string | null;
  objectType: 'evidence_item' | 'evidence_package' | 'evidence_upload';
  objectId: string;
  action: string;
  actor: string;
  details: Record<string, unknown>;
};

/** Appends the audit entry and the custody row in the caller's transaction. */
export async function recordCustody(tx: Db, event: CustodyEvent, at: Date): Promise<number> {
  const seq = await appendAudit(
    tx,
    {
      actor: event.actor,
      action: event.action,
      objectType: event.objectType,
      objectId: event.objectId,
      payload: event.details,
    },
    at,
  );
  await tx.insert(evidenceCustody).values({
    auditSeq: seq,
    requestId: event.requestId,
    packageId: event.packageId ?? null,
    itemId: event.itemId ?? null,
    objectType: event.objectType,
    objectId: event.objectId,
    action: event.action,
    actor: event.actor,
    at,
    details: event.details,
  });
  return seq;
}

export type CustodyRow = typeof evidenceCustody.$inferSelect;

/** Events of a package and of its items, oldest first. */
export async function custodyOf(db: Db, packageId: string, itemIds: string[]): Promise<CustodyRow[]> {
  return db
    .select()
    .from(evidenceCustody)
    .where(
      or(
        eq(evidenceCustody.packageId, packageId),
        itemIds.length > 0
          ? and(inArray(evidenceCustody.itemId, itemIds), eq(evidenceCustody.objectType, 'evidence_item'))
          : undefined,
      ),
    )
    .orderBy(asc(evidenceCustody.auditSeq));
}

/** A custody event on a whole package (sent, received, verified, delivered…). */
export function recordPackageCustody(
  tx: Db,
  pkg: { requestId: string; packageId: string },
  event: { action: string; actor: string; details: Record<string, unknown> },
  at: Date,
): Promise<number> {
  return recordCustody(
    tx,
    {
      requestId: pkg.requestId,
      packageId: pkg.packageId,
      objectType: 'evidence_package',
      objectId: pkg.packageId,
      ...event,
    },
    at,
  );
}
