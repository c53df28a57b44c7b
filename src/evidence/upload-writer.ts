// Writes an upload's bytes as they stream in: chunk buffers, each sealed and written when full, hashed
// (SHA-256 of the whole, and a Merkle leaf per chunk) so that the digests always describe what is
// stored or about to be: a storage failure throws the in-memory state away and rebuilds it from what is
// on disk. Memory does not grow with the file: per upload in progress, the chunk filling and at most
// IN_FLIGHT chunks being sealed and written, each in a record buffer used again (chunk-sealer.ts).
//
// Speed (bench/evidence.bench.ts): the work is spread over the cores. The event loop only receives the
// bytes, feeds each piece to the file's SHA-256 as it arrives (while it is still in the CPU's cache:
// that hash is the one step that cannot be split) and copies it into the chunk's buffer; a full chunk's
// buffer moves to the sealing thread, which hashes its Merkle leaf and seals it (AES-256-GCM) in one
// pass, in place, and moves it back as the record, which is written from there. Records reach the
// storage in order, so what is stored is always a prefix of the upload.
import { createHash, type Hash } from 'node:crypto';
import { leafHash, rootFromLeafHashes } from '../crypto/merkle.ts';
import { AppError, ConflictError } from '../shared/errors.ts';
import { type ChunkSealer, chunkSealer, PLAIN_AT } from './chunk-sealer.ts';
import { CHUNK_SIZE, chunkAad, EvidenceIntegrityError, openChunk, sealChunk } from './evidence-crypto.ts';
import type { EvidenceStorage } from './evidence-storage.ts';

type Progress = {
  committed: number;
  tail: Buffer;
  /** SHA-256 of the committed chunks and then the tail. */
  hash: Hash;
  /** The leaf hashes so far (32 bytes per MiB): the chunk root at the end, and kept with the blob for its transfers. */
  leaves: Buffer[];
  key: Buffer;
};

/** Chunks being sealed and written while the next one fills. */
const IN_FLIGHT = 4;

export type FinishedUpload = {
  sha256: string;
  size: number;
  chunkCount: number;
  chunkRoot: string;
  /** The chunks' leaf hashes in order, 32 bytes each. */
  leaves: Buffer;
};

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

export function createUploadWriter(storage: EvidenceStorage, sealer: ChunkSealer = chunkSealer()) {
  // Hash state cannot be saved; after a restart it is rebuilt by reading back what is staged.
  const progress = new Map<string, Progress>();
  const busy = new Set<string>();

  async function load(id: string, key: Buffer): Promise<Progress> {
    const cached = progress.get(id);
    if (cached) return cached;
    const committed = await storage.stagedRecords(id);
    const hash = createHash('sha256');
    const leaves: Buffer[] = [];
    for (let i = 0; i < committed; i++) {
      const plain = openChunk(key, i, await storage.readStagedRecord(id, i));
      if (plain.length !== CHUNK_SIZE) throw new EvidenceIntegrityError(`staged chunk ${i} is short`);
      hash.update(plain);
      leaves.push(leafHash(plain));
    }
    const tail = await storage.readTail(id);
    const tailPlain =
      tail && tail.index === committed ? openChunk(key, committed, tail.record) : Buffer.alloc(0);
    hash.update(tailPlain);
    const loaded = { committed, tail: tailPlain, hash, leaves, key };
    progress.set(id, loaded);
    return loaded;
  }

  const offsetOf = (p: Progress) => p.committed * CHUNK_SIZE + p.tail.length;

  /**
   * Starts sealing chunk `index` (`length` bytes at PLAIN_AT of `buffer`, which moves to the sealing
   * thread: the caller takes another for the next chunk) and hashing its Merkle leaf; the record is
   * stored once `previous` is, so chunks reach the storage in order, and its leaf joins the tree then.
   */
  function commit(
    id: string,
    p: Progress,
    index: number,
    buffer: Buffer<ArrayBuffer>,
    length: number,
    previous: Promise<void>,
  ): Promise<void> {
    const sealed = sealer.seal(p.key, chunkAad(index), buffer, length);
    sealed.catch(() => {});
    return (async () => {
      await previous;
      let record: Buffer | null = null;
      try {
        const done = await sealed;
        record = done.record;
        await storage.writeRecord(id, index, record);
        p.leaves.push(done.leaf);
        p.committed++;
      } catch (error) {
        // A thread that failed to seal is a fault of this node like a disk's: what is stored stands.
        throw new StorageFailure(error);
      } finally {
        if (record) sealer.give(record);
      }
    })();
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
    let buffer = sealer.take();
    p.tail.copy(buffer, PLAIN_AT);
    let fill = p.tail.length;
    let position = start;
    let refusal: unknown = null;
    let nextIndex = p.committed;
    // The chunks being sealed and written, oldest first; `chain` settles when the last one is stored.
    const inFlight: Promise<void>[] = [];
    let chain: Promise<void> = Promise.resolve();
    const enqueue = async (length: number) => {
      if (inFlight.length >= IN_FLIGHT) await inFlight.shift();
      const index = nextIndex++;
      chain = commit(id, p, index, buffer, length, chain);
      buffer = sealer.take();
      chain.catch(() => {});
      inFlight.push(chain);
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
        p.hash.update(data);
        while (data.length > 0) {
          const n = Math.min(CHUNK_SIZE - fill, data.length);
          data.copy(buffer, PLAIN_AT + fill, 0, n);
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
      return { offset: position, finished: await finish(id, key, p, buffer, fill) };
    if (position > start) {
      p.tail = Buffer.from(buffer.subarray(PLAIN_AT, PLAIN_AT + fill));
      sealer.give(buffer);
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
    buffer: Buffer<ArrayBuffer>,
    fill: number,
  ): Promise<FinishedUpload> {
    const size = p.committed * CHUNK_SIZE + fill;
    try {
      if (fill > 0) await commit(id, p, p.committed, buffer, fill, Promise.resolve());
      else sealer.give(buffer);
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
      chunkRoot: rootFromLeafHashes(p.leaves).toString('hex'),
      leaves: Buffer.concat(p.leaves),
    };
  }

  async function offset(id: string, key: Buffer): Promise<number> {
    return offsetOf(await load(id, key));
  }

  return {
    append,
    offset,
    forget: (id: string) => progress.delete(id),
    /** Stops the sealing thread (a later upload starts it again). */
    close: () => sealer.close(),
  };
}

export type UploadWriter = ReturnType<typeof createUploadWriter>;
