// Writes an upload's bytes as they stream in: chunk buffers, each sealed and written when full, hashed
// (SHA-256 of the whole, and a Merkle leaf per chunk) into the upload's state only once it is stored,
// so what is hashed is exactly what is stored. Memory does not grow with the file: a few chunk buffers
// per upload in progress.
//
// Speed (bench/evidence.bench.ts): no megabyte is copied or allocated that need not be. The leaf hash
// reads the chunk buffer in place (a 0x00 byte reserved in front of it); chunk and record buffers are
// reused, so that nothing of a megabyte outlives a young-generation GC (a 1 MiB record kept alive by
// its write made V8 run a full mark-compact every few chunks: 40 % of the node's time in the bench);
// up to IN_FLIGHT chunks are being written while the next ones arrive. Sealing in WebCrypto's thread pool was measured slower on two
// cores: it copies each chunk in and out. Chunks reach the storage in order, so what is stored is
// always a prefix of the upload.
import { createHash, type Hash, hash } from 'node:crypto';
import { appendLeaf, emptyFrontier, frontierRoot, leafHash, type MerkleFrontier } from '../crypto/merkle.ts';
import { AppError, ConflictError } from '../shared/errors.ts';
import {
  CHUNK_SIZE,
  EvidenceIntegrityError,
  openChunk,
  RECORD_SIZE,
  sealChunk,
  sealChunkInto,
} from './evidence-crypto.ts';
import type { EvidenceStorage } from './evidence-storage.ts';

type Progress = {
  committed: number;
  tail: Buffer;
  hash: Hash;
  frontier: MerkleFrontier;
  key: Buffer;
};

/** Chunks being written while the next one fills. */
const IN_FLIGHT = 3;

/**
 * A chunk buffer with one byte in front, 0x00: the Merkle leaf is SHA-256(0x00 || chunk), so the leaf
 * hash reads the buffer as it is instead of a copy.
 */
function chunkBuffer(): Buffer {
  const buffer = Buffer.allocUnsafe(CHUNK_SIZE + 1);
  buffer[0] = 0x00;
  return buffer;
}

/** A chunk buffer and the buffer its sealed record is written from, reused chunk after chunk. */
type Slot = { chunk: Buffer; record: Buffer };
const newSlot = (): Slot => ({ chunk: chunkBuffer(), record: Buffer.allocUnsafe(RECORD_SIZE) });

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
    const loaded = { committed, tail: tailPlain, hash, frontier, key };
    progress.set(id, loaded);
    return loaded;
  }

  const offsetOf = (p: Progress) => p.committed * CHUNK_SIZE + p.tail.length;

  /**
   * Seals and stores chunk `index` (`buffer`: 0x00 then `length` bytes), after `previous` is stored,
   * then takes it into the upload's hash state. The seal and the leaf hash start at once.
   */
  /**
   * Seals and stores chunk `index` (`buffer`: 0x00 then `length` bytes) once `previous` is stored, so
   * chunks reach the storage in order, then takes it into the upload's hash state.
   */
  async function commit(
    id: string,
    p: Progress,
    index: number,
    buffer: Buffer,
    length: number,
    record: Buffer,
    previous: Promise<void>,
  ): Promise<void> {
    await previous;
    const plain = buffer.subarray(1, 1 + length);
    try {
      const size = sealChunkInto(p.key, index, plain, record);
      await storage.writeRecord(id, index, record.subarray(0, size));
    } catch (error) {
      throw new StorageFailure(error);
    }
    p.hash.update(plain);
    // The leaf hash reads the buffer with its 0x00 in front: SHA-256(0x00 || chunk), no copy.
    p.frontier = appendLeaf(p.frontier, hash('sha256', buffer.subarray(0, 1 + length), 'buffer'));
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
    const slots = Array.from({ length: IN_FLIGHT + 1 }, newSlot);
    let current = 0;
    let buffer = slots[current]!.chunk;
    p.tail.copy(buffer, 1);
    let fill = p.tail.length;
    let position = start;
    let refusal: unknown = null;
    let nextIndex = p.committed;
    // The chunks being sealed and written, oldest first; `chain` settles when the last one is stored.
    const inFlight: Promise<void>[] = [];
    let chain: Promise<void> = Promise.resolve();
    const enqueue = async (length: number) => {
      if (inFlight.length >= IN_FLIGHT) await inFlight.shift();
      chain = commit(id, p, nextIndex++, buffer, length, slots[current]!.record, chain);
      chain.catch(() => {});
      inFlight.push(chain);
      current = (current + 1) % slots.length;
      buffer = slots[current]!.chunk;
    };
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
          data.copy(buffer, 1 + fill, 0, n);
          fill += n;
          position += n;
          data = data.subarray(n);
          if (fill === CHUNK_SIZE) {
            await enqueue(CHUNK_SIZE);
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
      await chain;
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
      return { offset: position, finished: await finish(id, key, p, slots[current]!, fill) };
    if (position > start) {
      p.tail = Buffer.from(buffer.subarray(1, 1 + fill));
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

  async function finish(
    id: string,
    key: Buffer,
    p: Progress,
    slot: Slot,
    fill: number,
  ): Promise<FinishedUpload> {
    const size = p.committed * CHUNK_SIZE + fill;
    try {
      if (fill > 0) await commit(id, p, p.committed, slot.chunk, fill, slot.record, Promise.resolve());
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
