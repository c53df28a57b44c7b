// Reading evidence items: the list on a request, one item, and its bytes (decrypted chunk by chunk,
// checked, and every download recorded in the chain of custody).
import { Readable } from 'node:stream';
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { EvidenceMetadata } from '../domain/evidence/index.ts';
import { AppError, NotFoundError } from '../shared/errors.ts';
import {
  evidenceBlobs,
  evidenceItems,
  evidencePackageItems,
  evidencePackages,
  evidenceUploads,
} from '../store/schema/index.ts';
import { recordCustody } from './custody.ts';
import { requireCaseOfficer } from './evidence-access.ts';
import { EvidenceIntegrityError, openChunk, unwrapDataKey } from './evidence-crypto.ts';
import type { EvidenceActor, EvidenceDeps } from './evidence-deps.ts';
import type { EvidenceStorage } from './evidence-storage.ts';

export type ItemRow = typeof evidenceItems.$inferSelect;

export type ItemView = Omit<EvidenceMetadata, 'personalData'> & {
  id: string;
  requestId: string;
  sha256: string;
  size: number;
  personalData: string[];
  addedBy: string;
  addedAt: string;
  deleted: boolean;
  /** The exercise of its request (shown as EXERCISE); null for real evidence. */
  exerciseId: string | null;
};

export function itemView(row: ItemRow, deleted = false): ItemView {
  return {
    id: row.id,
    requestId: row.requestId,
    sha256: row.sha256,
    size: row.size,
    fileName: row.fileName,
    mediaType: row.mediaType,
    description: row.description,
    source: row.source,
    custodian: row.custodian,
    domesticOrder: row.domesticOrder,
    acquiredAt: row.acquiredAt.toISOString(),
    acquiredBy: row.acquiredBy,
    personalData: row.personalData as string[],
    addedBy: row.addedBy,
    addedAt: row.addedAt.toISOString(),
    deleted,
    exerciseId: row.exerciseId ?? null,
  };
}

/** The decrypted bytes of a blob, one chunk in memory at a time; an altered chunk ends the stream in error. */
export function blobStream(
  storage: EvidenceStorage,
  blob: { storageKey: string; chunkCount: number; wrappedKey: string },
  kek: Buffer,
): Readable {
  const key = unwrapDataKey(kek, blob.wrappedKey);
  let index = 0;
  return new Readable({
    async read() {
      try {
        if (index >= blob.chunkCount) return void this.push(null);
        this.push(openChunk(key, index, await storage.readRecord(blob.storageKey, index)));
        index++;
      } catch (error) {
        this.destroy(error instanceof Error ? error : new EvidenceIntegrityError(String(error)));
      }
    },
  });
}

export function createItemService(deps: EvidenceDeps) {
  const { db } = deps.database;

  async function listForRequest(requestId: string, actor: EvidenceActor) {
    await requireCaseOfficer(db, requestId, actor.id, deps.clock);
    const items = await db
      .select()
      .from(evidenceItems)
      .where(eq(evidenceItems.requestId, requestId))
      .orderBy(asc(evidenceItems.id));
    const blobs = items.length
      ? await db
          .select({ sha256: evidenceBlobs.sha256, deletedAt: evidenceBlobs.deletedAt })
          .from(evidenceBlobs)
          .where(inArray(evidenceBlobs.sha256, [...new Set(items.map((i) => i.sha256))]))
      : [];
    const deleted = new Set(blobs.filter((b) => b.deletedAt).map((b) => b.sha256));
    const packages = await db
      .select({
        id: evidencePackages.id,
        status: evidencePackages.status,
        merkleRoot: evidencePackages.merkleRoot,
        supersedes: evidencePackages.supersedes,
        sealedBy: evidencePackages.sealedBy,
        sealedAt: evidencePackages.sealedAt,
        approvedBy: evidencePackages.approvedBy,
        retentionUntil: evidencePackages.retentionUntil,
        // Who signed the manifest: the desk says "verified — signed by France" on the receiving side.
        originState: sql<string>`${evidencePackages.manifest}->>'originState'`,
        recipientState: sql<string>`${evidencePackages.manifest}->>'recipientState'`,
        exerciseId: evidencePackages.exerciseId,
        onwardFrom: sql<string | null>`${evidencePackages.onward}->>'from'`,
      })
      .from(evidencePackages)
      .where(eq(evidencePackages.requestId, requestId))
      .orderBy(desc(evidencePackages.id));
    // Which package each item is in, so the desk offers to seal only what is not sealed yet.
    const packed = items.length
      ? await db
          .select({ itemId: evidencePackageItems.itemId, packageId: evidencePackageItems.packageId })
          .from(evidencePackageItems)
          .where(
            inArray(
              evidencePackageItems.itemId,
              items.map((i) => i.id),
            ),
          )
      : [];
    const packagesOf = new Map<string, string[]>();
    for (const p of packed) packagesOf.set(p.itemId, [...(packagesOf.get(p.itemId) ?? []), p.packageId]);
    const uploads = await db
      .select()
      .from(evidenceUploads)
      .where(and(eq(evidenceUploads.requestId, requestId), eq(evidenceUploads.status, 'open')))
      .orderBy(asc(evidenceUploads.id));
    return {
      items: items.map((i) => ({
        ...itemView(i, deleted.has(i.sha256)),
        packages: packagesOf.get(i.id) ?? [],
      })),
      packages: packages.map((p) => ({
        ...p,
        sealedAt: p.sealedAt.toISOString(),
        retentionUntil: p.retentionUntil?.toISOString() ?? null,
      })),
      openUploads: uploads.map((u) => ({
        id: u.id,
        length: u.length,
        fileName: (u.metadata as { fileName: string }).fileName,
        createdBy: u.createdBy,
        createdAt: u.createdAt.toISOString(),
      })),
    };
  }

  async function findItem(id: string): Promise<ItemRow> {
    const [row] = /^[0-9a-f-]{36}$/i.test(id)
      ? await db.select().from(evidenceItems).where(eq(evidenceItems.id, id))
      : [];
    if (!row) throw new NotFoundError('Evidence item', id);
    return row;
  }

  async function get(id: string, actor: EvidenceActor) {
    const row = await findItem(id);
    await requireCaseOfficer(db, row.requestId, actor.id, deps.clock);
    const packages = await db
      .select({ id: evidencePackageItems.packageId })
      .from(evidencePackageItems)
      .where(eq(evidencePackageItems.itemId, id));
    const [blob] = await db.select().from(evidenceBlobs).where(eq(evidenceBlobs.sha256, row.sha256));
    return {
      ...itemView(row, Boolean(blob?.deletedAt)),
      chunkCount: blob?.chunkCount ?? 0,
      chunkRoot: blob?.chunkRoot ?? '',
      packages: packages.map((p) => p.id),
    };
  }

  /** Opens an item's bytes for a case officer and records the download (who, from where). */
  async function download(id: string, actor: EvidenceActor): Promise<{ item: ItemView; stream: Readable }> {
    const row = await findItem(id);
    await requireCaseOfficer(db, row.requestId, actor.id, deps.clock);
    const [blob] = await db.select().from(evidenceBlobs).where(eq(evidenceBlobs.sha256, row.sha256));
    if (!blob || blob.deletedAt)
      throw new GoneError(
        `The bytes of item ${id} were deleted under the retention period; its tombstone stays.`,
      );
    await db.transaction((tx) =>
      recordCustody(
        tx,
        {
          requestId: row.requestId,
          itemId: id,
          objectType: 'evidence_item',
          objectId: id,
          action: 'evidence.item_download',
          actor: actor.id,
          details: { sha256: row.sha256, from: actor.address ?? null, userAgent: actor.userAgent ?? null },
        },
        deps.clock.now(),
      ),
    );
    return { item: itemView(row), stream: blobStream(deps.storage, blob, deps.kek) };
  }

  return { listForRequest, get, download, findItem };
}

export class GoneError extends AppError {
  constructor(message: string) {
    super('ERR_EVIDENCE_DELETED', 410, message);
  }
}

export type ItemService = ReturnType<typeof createItemService>;
