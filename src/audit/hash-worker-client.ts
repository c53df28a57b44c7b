// The main thread's side of verify-hash-worker.ts: a verification starts one or more, each answering its
// requests in order. A worker that throws or exits fails every pending and later request with one clear error, so a
// broken worker ends the verification instead of leaving it waiting.
import { Worker } from 'node:worker_threads';
import type { Segment } from './segment.ts';
import type { HashReply, HashRequest, HashWorkerData } from './verify-hash-worker.ts';

export const HASH_WORKER_URL = new URL('./verify-hash-worker.ts', import.meta.url);

export type HashWorker = {
  /**
   * Checks one batch (binary: a binary COPY), whose first entry is `from`, as a segment (null: an
   * anomaly). The batch's memory moves to the worker and comes back into `spares`.
   */
  check(batch: Buffer, from: number, binary: boolean): Promise<Segment | null>;
  close(): Promise<void>;
};

/**
 * Starts a hash worker (see HashWorkerData). Each batch's buffer, once checked, is pushed onto
 * `spares` for the next read to fill; `url` is replaceable for tests.
 */
export function startHashWorker(
  data: HashWorkerData,
  spares: ArrayBuffer[] = [],
  url: URL = HASH_WORKER_URL,
): HashWorker {
  const worker = new Worker(url, { workerData: data });
  const pending: { resolve(segment: Segment | null): void; reject(error: Error): void }[] = [];
  let failure: Error | null = null;
  let closing = false;
  const fail = (cause: string) => {
    if (closing) return;
    failure ??= new Error(`audit verify: the hash worker failed (${cause})`);
    for (const request of pending.splice(0)) request.reject(failure);
  };
  worker.on('message', ({ segment, batch }: HashReply) => {
    spares.push(batch);
    pending.shift()?.resolve(segment);
  });
  worker.on('error', (error) => fail(error instanceof Error ? error.message : String(error)));
  worker.on('messageerror', (error) => fail(String(error)));
  worker.on('exit', (code) => fail(`it exited with code ${code}`));
  return {
    check(batch, from, binary) {
      if (failure) return Promise.reject(failure);
      // A batch at the start of an ArrayBuffer too large to be Buffer's pool moves without a copy (with
      // its length, the buffer may hold more); any other is copied once.
      const own =
        batch.byteOffset === 0 &&
        batch.buffer instanceof ArrayBuffer &&
        batch.buffer.byteLength > Buffer.poolSize;
      const owned = own ? (batch.buffer as ArrayBuffer) : new Uint8Array(batch).buffer;
      const length = batch.length;
      return new Promise<Segment | null>((resolve, reject) => {
        pending.push({ resolve, reject });
        worker.postMessage({ batch: owned, length, from, binary } satisfies HashRequest, [owned]);
      });
    },
    async close() {
      closing = true;
      await worker.terminate();
    },
  };
}
