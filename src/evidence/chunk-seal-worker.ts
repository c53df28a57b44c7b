// The chunk-sealing thread of the upload writer (chunk-sealer.ts): for each chunk the main thread moves
// to it, the Merkle leaf hash and the AES-256-GCM seal in one pass over the chunk, a piece at a time
// while the piece is in the CPU's cache, the record made in the chunk's own buffer; the buffer moves
// back. No megabyte is copied or allocated per chunk.
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import { youngCollector } from './transfer/young-collector.ts';

/** A chunk to seal: `buffer` holds its `length` plaintext bytes after room for the nonce (see chunk-sealer.ts). */
export type SealRequest = { buffer: ArrayBuffer; length: number; key: Uint8Array; aad: Uint8Array };
/** The buffer, now the record (nonce || ciphertext || tag), and the leaf hash; or why it failed. */
export type SealReply = { buffer: ArrayBuffer; leaf: Uint8Array | null; error: string | null };

const NONCE = 12;
const TAG = 16;
/** Bytes hashed and sealed together: small enough to stay in the CPU's cache between the two. */
const PIECE = 64 * 1024;
const LEAF_PREFIX = Buffer.of(0x00);
// Each piece sealed is a new buffer of the cipher's, dead at once but outside V8's heap: collected as
// it goes, or this thread's memory grows by tens of megabytes before V8 looks.
const garbage = youngCollector();

parentPort!.on('message', ({ buffer, length, key, aad }: SealRequest) => {
  try {
    const nonce = randomBytes(NONCE);
    const record = Buffer.from(buffer, 0, NONCE + length + TAG);
    nonce.copy(record, 0);
    const leaf = createHash('sha256').update(LEAF_PREFIX);
    const cipher = createCipheriv('aes-256-gcm', key, nonce);
    cipher.setAAD(aad);
    for (let at = NONCE; at < NONCE + length; at += PIECE) {
      const piece = record.subarray(at, Math.min(at + PIECE, NONCE + length));
      leaf.update(piece);
      cipher.update(piece).copy(piece);
    }
    cipher.final();
    cipher.getAuthTag().copy(record, NONCE + length);
    garbage.handled(length);
    parentPort!.postMessage({ buffer, leaf: leaf.digest(), error: null } satisfies SealReply, [buffer]);
  } catch (error) {
    parentPort!.postMessage({ buffer, leaf: null, error: String(error) } satisfies SealReply, [buffer]);
  }
});
