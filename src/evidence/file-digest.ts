// The digests of a file as a package states them: SHA-256 of the whole, and the RFC 9162 root over
// its 1 MiB chunks (leaf = SHA-256(0x00 || chunk)). Streams: one chunk in memory at a time.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { appendLeaf, emptyFrontier, frontierRoot, leafHash } from '../crypto/merkle.ts';
import { CHUNK_SIZE } from './evidence-crypto.ts';

export type FileDigest = { sha256: string; size: number; chunkCount: number; chunkRoot: string };

export async function digestFile(path: string, chunkSize = CHUNK_SIZE): Promise<FileDigest> {
  const whole = createHash('sha256');
  let frontier = emptyFrontier();
  const buffer = Buffer.allocUnsafe(chunkSize);
  let fill = 0;
  let size = 0;
  for await (const piece of createReadStream(path, { highWaterMark: chunkSize })) {
    let data = piece as Buffer;
    whole.update(data);
    size += data.length;
    while (data.length > 0) {
      const n = Math.min(chunkSize - fill, data.length);
      data.copy(buffer, fill, 0, n);
      fill += n;
      data = data.subarray(n);
      if (fill === chunkSize) {
        frontier = appendLeaf(frontier, leafHash(buffer));
        fill = 0;
      }
    }
  }
  if (fill > 0) frontier = appendLeaf(frontier, leafHash(buffer.subarray(0, fill)));
  return {
    sha256: whole.digest('hex'),
    size,
    chunkCount: frontier.size,
    chunkRoot: frontierRoot(frontier).toString('hex'),
  };
}
