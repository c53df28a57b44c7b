// The main thread's side of chunk-seal-worker.ts: an upload's chunks are hashed (Merkle leaf) and
// sealed (AES-256-GCM) on a thread of their own, so that on the event loop an upload costs only the
// receiving, the file's SHA-256 (which cannot be split) and a copy. The chunk buffers move to the
// thread and back (no copy), and are used again chunk after chunk; WebCrypto, used before, copied each
// chunk in and each record out (two megabytes of garbage per chunk) and hashed and sealed in two passes.
import { Worker } from 'node:worker_threads';
import type { SealReply, SealRequest } from './chunk-seal-worker.ts';
import { RECORD_OVERHEAD, RECORD_SIZE } from './evidence-crypto.ts';

const NONCE = 12;
/** Spare buffers kept for the next chunks (one record each): what several uploads at once use. */
const SPARES = 8;

/** A buffer to fill with a chunk: its plaintext goes at `PLAIN_AT`, up to CHUNK_SIZE bytes. */
export const PLAIN_AT = NONCE;

export type SealedRecord = {
  /** nonce || ciphertext || tag, in the buffer that held the chunk; give it back once written. */
  record: Buffer;
  /** SHA-256(0x00 || chunk): the chunk's Merkle leaf. */
  leaf: Buffer;
};

export type ChunkSealer = {
  /** A buffer of RECORD_SIZE bytes, from the spares or new. */
  take(): Buffer<ArrayBuffer>;
  /** Hands a buffer back for a later chunk (the record it held is written, or dropped). */
  give(buffer: Buffer): void;
  /**
   * Seals the `length` bytes at PLAIN_AT of `buffer` under `key` with `aad`; `buffer` moves to the
   * sealing thread (do not touch it until this settles) and comes back as the record.
   */
  seal(key: Buffer, aad: Uint8Array, buffer: Buffer<ArrayBuffer>, length: number): Promise<SealedRecord>;
  close(): Promise<void>;
};

export function chunkSealer(): ChunkSealer {
  let worker: Worker | null = null;
  let pending: { resolve(reply: SealReply): void; reject(error: Error): void }[] = [];
  const spares: ArrayBuffer[] = [];

  function started(): Worker {
    if (worker) return worker;
    const thread = new Worker(new URL('./chunk-seal-worker.ts', import.meta.url));
    const fail = (cause: string) => {
      if (worker !== thread) return;
      // The next chunk starts a new thread; the chunks in flight fail, and their upload resumes.
      worker = null;
      const error = new Error(`the chunk-sealing thread failed (${cause})`);
      for (const request of pending.splice(0)) request.reject(error);
    };
    thread.on('message', (reply: SealReply) => {
      pending.shift()?.resolve(reply);
      if (pending.length === 0) thread.unref();
    });
    thread.on('error', (error) => fail(error instanceof Error ? error.message : String(error)));
    thread.on('messageerror', (error) => fail(String(error)));
    thread.on('exit', (code) => fail(`it exited with code ${code}`));
    // An idle sealing thread does not keep the node running; one with chunks to seal does.
    thread.unref();
    worker = thread;
    return thread;
  }

  return {
    take() {
      const spare = spares.pop();
      return (spare ? Buffer.from(spare) : Buffer.from(new ArrayBuffer(RECORD_SIZE))) as Buffer<ArrayBuffer>;
    },
    give(buffer) {
      const whole = buffer.buffer;
      if (whole instanceof ArrayBuffer && whole.byteLength === RECORD_SIZE && spares.length < SPARES)
        spares.push(whole);
    },
    async seal(key, aad, buffer, length) {
      const whole = buffer.buffer;
      if (
        buffer.byteOffset !== 0 ||
        whole.byteLength !== RECORD_SIZE ||
        length + RECORD_OVERHEAD > RECORD_SIZE
      )
        throw new RangeError('a chunk to seal fills a buffer of the sealer');
      const thread = started();
      const reply = await new Promise<SealReply>((resolve, reject) => {
        pending.push({ resolve, reject });
        thread.ref();
        thread.postMessage(
          { buffer: whole, length, key: new Uint8Array(key), aad: new Uint8Array(aad) } satisfies SealRequest,
          [whole],
        );
      });
      if (reply.error !== null || !reply.leaf) {
        spares.push(reply.buffer);
        throw new Error(`a chunk did not seal: ${reply.error}`);
      }
      return {
        record: Buffer.from(reply.buffer, 0, length + RECORD_OVERHEAD),
        leaf: Buffer.from(reply.leaf.buffer, reply.leaf.byteOffset, reply.leaf.byteLength),
      };
    },
    async close() {
      const thread = worker;
      worker = null;
      pending = [];
      await thread?.terminate();
    },
  };
}
