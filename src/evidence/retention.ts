// Retention (art. 36): once a package's retention period has passed, the bytes of its items are
// deleted (unless another live package or an unsealed item still holds the same bytes) and a
// tombstone stays: the package row, its manifest, and a custody event in the audit log.
import { and, eq, inArray, isNull, lte, ne, notInArray, or } from 'drizzle-orm';
import type { Db } from '../store/database.ts';
import {
  evidenceBlobs,
  evidenceItems,
  evidencePackageItems,
  evidencePackages,
} from '../store/schema/index.ts';
import { recordCustody } from './custody.ts';
import type { EvidenceDeps } from './evidence-deps.ts';

const SYSTEM_ACTOR = 'system:retention';

/** Whether some item with these bytes is unsealed or in a package that is not deleted. */
async function stillHeld(tx: Db, sha256: string): Promise<boolean> {
  const rows = await tx
    .select({ id: evidenceItems.id })
    .from(evidenceItems)
    .leftJoin(evidencePackageItems, eq(evidencePackageItems.itemId, evidenceItems.id))
    .leftJoin(evidencePackages, eq(evidencePackages.id, evidencePackageItems.packageId))
    .where(
      and(
        eq(evidenceItems.sha256, sha256),
        or(isNull(evidencePackageItems.packageId), ne(evidencePackages.status, 'deleted')),
      ),
    )
    .limit(1);
  return rows.length > 0;
}

/** Deletes what is past its retention at `now`; returns the packages deleted. */
export async function sweepRetention(deps: EvidenceDeps, now: Date = deps.clock.now()): Promise<string[]> {
  const { db } = deps.database;
  const due = await db
    .select({ id: evidencePackages.id })
    .from(evidencePackages)
    .where(and(lte(evidencePackages.retentionUntil, now), notInArray(evidencePackages.status, ['deleted'])))
    .limit(100);
  const deleted: string[] = [];
  for (const { id } of due) {
    const removed = await db.transaction(async (tx) => {
      const [row] = await tx.select().from(evidencePackages).where(eq(evidencePackages.id, id)).for('update');
      if (!row || row.status === 'deleted') return null;
      await tx
        .update(evidencePackages)
        .set({ status: 'deleted', deletedAt: now })
        .where(eq(evidencePackages.id, id));
      const items = await tx
        .select({ sha256: evidenceItems.sha256 })
        .from(evidencePackageItems)
        .innerJoin(evidenceItems, eq(evidenceItems.id, evidencePackageItems.itemId))
        .where(eq(evidencePackageItems.packageId, id));
      const hashes = [...new Set(items.map((i) => i.sha256))];
      const gone: string[] = [];
      for (const sha256 of hashes) if (!(await stillHeld(tx, sha256))) gone.push(sha256);
      if (gone.length > 0)
        await tx
          .update(evidenceBlobs)
          .set({ deletedAt: now })
          .where(and(inArray(evidenceBlobs.sha256, gone), isNull(evidenceBlobs.deletedAt)));
      await recordCustody(
        tx,
        {
          requestId: row.requestId,
          packageId: id,
          objectType: 'evidence_package',
          objectId: id,
          action: 'evidence.package_delete_retention',
          actor: SYSTEM_ACTOR,
          details: {
            merkleRoot: row.merkleRoot,
            retentionUntil: row.retentionUntil?.toISOString() ?? null,
            deleted: gone,
            keptForOtherPackages: hashes.filter((h) => !gone.includes(h)),
          },
        },
        now,
      );
      return gone;
    });
    if (removed === null) continue;
    // After the commit: a crash here leaves a file no row points at, never a row without its file.
    for (const sha256 of removed) await deps.storage.deleteBlob(sha256);
    deleted.push(id);
  }
  return deleted;
}
