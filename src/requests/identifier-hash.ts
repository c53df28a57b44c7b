// Keyed hashes of identifiers (HMAC-SHA-256 under a key derived from the node secret): two requests
// naming the same phone number can be matched without the identifier table ever holding it.
import { createHmac, hkdfSync } from 'node:crypto';
import { normaliseIdentifier } from '../domain/requests/index.ts';
import type { IdentifierKind } from '../domain/requests/vocabulary.ts';

export type IdentifierHasher = (kind: IdentifierKind, value: string) => string;

/** A hasher keyed by the node secret; a different secret gives unrelated hashes. */
export function createIdentifierHasher(nodeSecret: string): IdentifierHasher {
  const key = Buffer.from(hkdfSync('sha256', nodeSecret, 'hanoi247', 'request-identifiers/v1', 32));
  return (kind, value) =>
    createHmac('sha256', key)
      .update(`${kind}\u0000${normaliseIdentifier(kind, value)}`)
      .digest('hex');
}
