// The signed manifest's Merkle part: the RFC 9162 root over the items' chunk roots, in manifest order.
import { rootFromLeafHashes } from '../crypto/merkle.ts';
import { type EvidenceManifest, MANIFEST_TYPE } from '../domain/evidence/index.ts';

/** MTH over the items' chunk roots, in manifest order. */
export function packageRoot(items: readonly { chunkRoot: string }[]): string {
  return rootFromLeafHashes(items.map((i) => Buffer.from(i.chunkRoot, 'hex'))).toString('hex');
}

export function buildManifest(input: Omit<EvidenceManifest, 'typ' | 'version' | 'merkle'>): EvidenceManifest {
  return {
    typ: MANIFEST_TYPE,
    version: 1,
    ...input,
    merkle: { alg: 'RFC9162-SHA-256', root: packageRoot(input.items) },
  };
}
