// Resumable uploads (tus 1.0.0 core + creation + termination): an upload is created with its length and
// the item's metadata, then filled by PATCHes at the offset it stands at; the last byte makes the item,
// stored once per SHA-256 and encrypted at rest. Nothing is an item until every byte is hashed and stored.
import { eq, isNotNull } from 'drizzle-orm';
import {
  type EvidenceMetadata,
  evidenceStateProblem,
  parseTusMetadata,
  validateEvidenceMetadata,
} from '../domain/evidence/index.ts';
import { AppError, ConflictError, NotFoundError, ValidationError } from '../shared/errors.ts';
import { uuidv7 } from '../shared/ids.ts';
import { evidenceBlobs, evidenceItems, evidenceUploads } from '../store/schema/index.ts';
import { recordCustody } from './custody.ts';
import { requireCaseOfficer } from './evidence-access.ts';
import { CHUNK_SIZE, newDataKey, unwrapDataKey, wrapDataKey } from './evidence-crypto.ts';
import type { EvidenceActor, EvidenceDeps } from './evidence-deps.ts';
import { requireExerciseOpen } from './exercise-boundary.ts';
import type { FinishedUpload } from './upload-writer.ts';

export type UploadView = {
  id: string;
  requestId: string;
  length: number;
  offset: number;
  status: string;
  itemId: string | null;
  fileName: string;
  createdAt: string;
};

type UploadRow = typeof evidenceUploads.$inferSelect;

export function createUploadService(deps: EvidenceDeps) {
  const { db } = deps.database;

  async function create(
    requestId: string,
    actor: EvidenceActor,
    headers: { length: string | undefined; metadata: string | undefined },
  ): Promise<UploadView> {
    const request = await requireCaseOfficer(db, requestId, actor.id, deps.clock);
    const problem = evidenceStateProblem(request);
    if (problem)
      throw new ConflictError(`No evidence can be added: ${problem}.`, 'ERR_EVIDENCE_REQUEST_STATE');
    await requireExerciseOpen(db, request.exerciseId);
    const length = Number(headers.length);
    if (headers.length === undefined || !/^\d+$/.test(headers.length) || !Number.isSafeInteger(length))
      throw new ValidationError([
        { field: 'headers/upload-length', message: 'must be the file size in bytes' },
      ]);
    if (length > deps.maxUploadBytes)
      throw new AppError(
        'ERR_EVIDENCE_TOO_LARGE',
        413,
        `The file is ${length} bytes; this node accepts items of at most ${deps.maxUploadBytes} bytes (HANOI247_EVIDENCE_MAX_BYTES).`,
        { maxBytes: deps.maxUploadBytes },
      );
    const parsed = validateEvidenceMetadata(parseTusMetadata(headers.metadata));
    if (!parsed.ok) throw new ValidationError(parsed.errors);
    const now = deps.clock.now();
    const id = uuidv7(now.getTime());
    const row = {
      id,
      requestId,
      createdBy: actor.id,
      length,
      metadata: parsed.metadata,
      wrappedKey: wrapDataKey(deps.kek, newDataKey()),
      status: 'open',
      itemId: null,
      exerciseId: request.exerciseId,
      createdAt: now,
      updatedAt: now,
    };
    await db.transaction(async (tx) => {
      await tx.insert(evidenceUploads).values(row);
      await recordCustody(
        tx,
        {
          requestId,
          objectType: 'evidence_upload',
          objectId: id,
          action: 'evidence.upload_start',
          actor: actor.id,
          details: { length, fileName: parsed.metadata.fileName, from: actor.address ?? null },
        },
        now,
      );
    });
    return view(row, 0);
  }

  async function find(id: string, actor: EvidenceActor): Promise<UploadRow> {
    const [row] = /^[0-9a-f-]{36}$/i.test(id)
      ? await db.select().from(evidenceUploads).where(eq(evidenceUploads.id, id))
      : [];
    if (!row) throw new NotFoundError('Upload', id);
    await requireCaseOfficer(db, row.requestId, actor.id, deps.clock);
    return row;
  }

  async function status(id: string, actor: EvidenceActor): Promise<UploadView> {
    const row = await find(id, actor);
    if (row.status !== 'open') return view(row, row.status === 'complete' ? row.length : 0);
    return view(row, await deps.writer.offset(row.id, unwrapDataKey(deps.kek, row.wrappedKey)));
  }

  /** Appends a PATCH body; the last byte turns the upload into an item. */
  async function append(
    id: string,
    actor: EvidenceActor,
    offset: number,
    body: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  ): Promise<UploadView> {
    const row = await find(id, actor);
    if (row.status !== 'open')
      throw new ConflictError(`This upload is ${row.status}.`, 'ERR_UPLOAD_CLOSED', { itemId: row.itemId });
    const key = unwrapDataKey(deps.kek, row.wrappedKey);
    const result = await deps.writer.append(row.id, key, row.length, offset, body);
    if (!result.finished) return view(row, result.offset);
    const itemId = await complete(row, result.finished, actor);
    return view({ ...row, status: 'complete', itemId }, row.length);
  }

  async function complete(row: UploadRow, done: FinishedUpload, actor: EvidenceActor): Promise<string> {
    const now = deps.clock.now();
    const meta = row.metadata as EvidenceMetadata;
    const itemId = uuidv7(now.getTime());
    let stored = false;
    await db.transaction(async (tx) => {
      const blob = {
        size: done.size,
        chunkSize: CHUNK_SIZE,
        chunkCount: done.chunkCount,
        chunkRoot: done.chunkRoot,
        wrappedKey: row.wrappedKey,
        storageKey: done.sha256,
        createdAt: now,
        deletedAt: null,
      };
      // New bytes get a row; bytes deleted under retention and uploaded again revive theirs; bytes
      // already stored are left alone (and this upload's copy is discarded).
      const inserted = await tx
        .insert(evidenceBlobs)
        .values({ sha256: done.sha256, ...blob })
        .onConflictDoUpdate({
          target: evidenceBlobs.sha256,
          set: blob,
          setWhere: isNotNull(evidenceBlobs.deletedAt),
        })
        .returning({ sha256: evidenceBlobs.sha256 });
      stored = inserted.length > 0;
      await tx.insert(evidenceItems).values({
        id: itemId,
        requestId: row.requestId,
        sha256: done.sha256,
        size: done.size,
        fileName: meta.fileName,
        mediaType: meta.mediaType,
        description: meta.description,
        source: meta.source,
        custodian: meta.custodian,
        domesticOrder: meta.domesticOrder,
        acquiredAt: new Date(meta.acquiredAt),
        acquiredBy: meta.acquiredBy,
        personalData: meta.personalData,
        addedBy: actor.id,
        addedAt: now,
        exerciseId: row.exerciseId,
      });
      await tx
        .update(evidenceUploads)
        .set({ status: 'complete', itemId, updatedAt: now })
        .where(eq(evidenceUploads.id, row.id));
      await recordCustody(
        tx,
        {
          requestId: row.requestId,
          itemId,
          objectType: 'evidence_item',
          objectId: itemId,
          action: 'evidence.item_add',
          actor: actor.id,
          details: {
            sha256: done.sha256,
            size: done.size,
            chunkRoot: done.chunkRoot,
            uploadId: row.id,
            deduplicated: !stored,
            from: actor.address ?? null,
          },
        },
        now,
      );
      // The bytes move into place inside the transaction: if this fails nothing is committed and the
      // staged upload is still there to finish again.
      if (stored) await deps.storage.promote(row.id, done.sha256);
    });
    if (!stored) await deps.storage.discard(row.id);
    // Only a shortcut for sending (see EvidenceStorage.writeLeaves): if it fails, the sender computes them.
    await deps.storage.writeLeaves(done.sha256, done.leaves).catch(() => {});
    return itemId;
  }

  async function cancel(id: string, actor: EvidenceActor): Promise<void> {
    const row = await find(id, actor);
    if (row.status !== 'open') throw new ConflictError(`This upload is ${row.status}.`, 'ERR_UPLOAD_CLOSED');
    const now = deps.clock.now();
    await db.transaction(async (tx) => {
      await tx
        .update(evidenceUploads)
        .set({ status: 'cancelled', updatedAt: now })
        .where(eq(evidenceUploads.id, id));
      await recordCustody(
        tx,
        {
          requestId: row.requestId,
          objectType: 'evidence_upload',
          objectId: id,
          action: 'evidence.upload_cancel',
          actor: actor.id,
          details: { from: actor.address ?? null },
        },
        now,
      );
    });
    deps.writer.forget(id);
    await deps.storage.discard(id);
  }

  return { create, status, append, cancel };
}

function view(row: UploadRow, offset: number): UploadView {
  return {
    id: row.id,
    requestId: row.requestId,
    length: row.length,
    offset,
    status: row.status,
    itemId: row.itemId,
    fileName: (row.metadata as EvidenceMetadata).fileName,
    createdAt: row.createdAt.toISOString(),
  };
}

export type UploadService = ReturnType<typeof createUploadService>;
