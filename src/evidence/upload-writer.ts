// Writes an upload's bytes as they stream in: one chunk buffer, sealed and written when full, hashed
// (SHA-256 of the whole, and a Merkle leaf per chunk) only once it is on disk, so what is hashed is
// exactly what is stored. Memory does not grow with the file: one chunk per upload in progress.
import { createHash, type Hash } from 'node:crypto';
import { appendLeaf, emptyFrontier, frontierRoot, leafHash, type MerkleFrontier } from '../crypto/merkle.ts';
import { AppError, ConflictError } from '../shared/errors.ts';
import { CHUNK_SIZE, EvidenceIntegrityError, openChunk, sealChunk } from './evidence-crypto.ts';
import type { EvidenceStorage } from './evidence-storage.ts';

type Progress = { committed: number; tail: Buffer; hash: Hash; frontier: MerkleFrontier };

export type FinishedUpload = { sha256: string; size: number; chunkCount: number; chunkRoot: string };

export class StorageFullError extends AppError {
  constructor(offset: number) {
    super(
      'ERR_STORAGE_FULL',
      507,
      `The evidence store is full. The upload is kept up to byte ${offset} and resumes from there once space is freed.`,
      { offset },
    );
  }
}

class StorageFailure extends Error {
  readonly original: unknown;
  constructor(original: unknown) {
    super('storage failure');
    this.original = original;
  }
}

type AppendArgs = [
  id: string,
  key: Buffer,
  length: number,
  offset: number,
  body: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
];
type AppendResult = { offset: number; finished: FinishedUpload | null };

export function createUploadWriter(storage: EvidenceStorage) {
  // Hash state cannot be saved; after a restart it is rebuilt by reading back what is staged.
  const progress = new Map<string, Progress>();
  const busy = new Set<string>();

  async function load(id: string, key: Buffer): Promise<Progress> {
    const cached = progress.get(id);
    if (cached) return cached;
    const committed = await storage.stagedRecords(id);
    const hash = createHash('sha256');
    let frontier = emptyFrontier();
    for (let i = 0; i < committed; i++) {
      const plain = openChunk(key, i, await storage.readStagedRecord(id, i));
      if (plain.length !== CHUNK_SIZE) throw new EvidenceIntegrityError(`staged chunk ${i} is short`);
      hash.update(plain);
      frontier = appendLeaf(frontier, leafHash(plain));
    }
    const tail = await storage.readTail(id);
    const tailPlain =
      tail && tail.index === committed ? openChunk(key, committed, tail.record) : Buffer.alloc(0);
    const loaded = { committed, tail: tailPlain, hash, frontier };
    progress.set(id, loaded);
    return loaded;
  }

  const offsetOf = (p: Progress) => p.committed * CHUNK_SIZE + p.tail.length;

  async function commit(id: string, key: Buffer, p: Progress, plain: Buffer): Promise<void> {
    try {
      await storage.writeRecord(id, p.committed, sealChunk(key, p.committed, plain));
    } catch (error) {
      throw new StorageFailure(error);
    }
    p.hash.update(plain);
    p.frontier = appendLeaf(p.frontier, leafHash(plain));
    p.committed++;
  }

  function storageError(error: StorageFailure, offset: number): Error {
    const code = (error.original as NodeJS.ErrnoException)?.code;
    if (code === 'ENOSPC' || code === 'EDQUOT') return new StorageFullError(offset);
    return error.original as Error;
  }

  /**
   * Appends the stream at `offset` (which must be where the upload stands). Bytes received before a
   * cut are kept. Returns the new offset, and the digests once the last byte is in.
   */
  async function append(...args: AppendArgs): Promise<AppendResult> {
    const id = args[0];
    if (busy.has(id))
      throw new ConflictError('Another transfer to this upload is in progress.', 'ERR_UPLOAD_BUSY');
    busy.add(id);
    try {
      return await appendLocked(...args);
    } finally {
      busy.delete(id);
    }
  }

  async function appendLocked(...[id, key, length, offset, body]: AppendArgs): Promise<AppendResult> {
    const p = await load(id, key);
    const start = offsetOf(p);
    if (offset !== start)
      throw new ConflictError(
        `The upload stands at byte ${start}, not ${offset}: resume from Upload-Offset ${start}.`,
        'ERR_UPLOAD_OFFSET',
        { offset: start },
      );
    // Two buffers: one chunk is sealed and written while the next one fills from the network.
    let buffer = Buffer.allocUnsafe(CHUNK_SIZE);
    let spare = Buffer.allocUnsafe(CHUNK_SIZE);
    p.tail.copy(buffer);
    let fill = p.tail.length;
    let position = start;
    let refusal: unknown = null;
    let pending: Promise<void> | null = null;
    try {
      for await (const piece of body) {
        let data = Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
        if (position + data.length > length) {
          refusal = new AppError(
            'ERR_UPLOAD_PAST_LENGTH',
            413,
            `The upload is ${length} bytes long; these bytes would go past its end.`,
          );
          break;
        }
        while (data.length > 0) {
          const n = Math.min(CHUNK_SIZE - fill, data.length);
          data.copy(buffer, fill, 0, n);
          fill += n;
          position += n;
          data = data.subarray(n);
          if (fill === CHUNK_SIZE) {
            if (pending) await pending;
            pending = commit(id, key, p, buffer);
            pending.catch(() => {});
            [buffer, spare] = [spare, buffer];
            fill = 0;
          }
        }
      }
    } catch (error) {
      if (error instanceof StorageFailure) {
        progress.delete(id);
        throw storageError(error, offsetOf(await load(id, key)));
      }
      // A refusal while the bytes arrive (the sender's credentials revoked, api/stream-guard.ts) keeps
      // what arrived and is answered; otherwise the client went away: what arrived is kept below, and
      // the upload resumes from there.
      if (error instanceof AppError) refusal = error;
    }
    try {
      if (pending) await pending;
    } catch (error) {
      progress.delete(id);
      throw storageError(error as StorageFailure, offsetOf(await load(id, key)));
    }
    try {
      if (position > start) await storage.sync(id);
    } catch (error) {
      progress.delete(id);
      throw storageError(new StorageFailure(error), offsetOf(await load(id, key)));
    }
    if (position === length && refusal === null)
      return { offset: position, finished: await finish(id, key, p, buffer.subarray(0, fill)) };
    if (position > start) {
      p.tail = Buffer.from(buffer.subarray(0, fill));
      try {
        if (fill > 0) await storage.writeTail(id, p.committed, sealChunk(key, p.committed, p.tail));
      } catch (error) {
        progress.delete(id);
        throw storageError(new StorageFailure(error), offsetOf(await load(id, key)));
      }
    }
    if (refusal) throw refusal;
    return { offset: offsetOf(p), finished: null };
  }

  async function finish(id: string, key: Buffer, p: Progress, last: Buffer): Promise<FinishedUpload> {
    const size = p.committed * CHUNK_SIZE + last.length;
    try {
      if (last.length > 0) await commit(id, key, p, last);
      await storage.sync(id);
    } catch (error) {
      progress.delete(id);
      const failure = error instanceof StorageFailure ? error : new StorageFailure(error);
      throw storageError(failure, offsetOf(await load(id, key)));
    }
    progress.delete(id);
    return {
      sha256: p.hash.digest('hex'),
      size,
      chunkCount: p.committed,
      chunkRoot: frontierRoot(p.frontier).toString('hex'),
    };
  }

  async function offset(id: string, key: Buffer): Promise<number> {
    return offsetOf(await load(id, key));
  }

  return { append, offset, forget: (id: string) => progress.delete(id) };
}

export type UploadWriter = ReturnType<typeof createUploadWriter>;
