// File hashes: hex, lowercased, exactly the digest length of the algorithm.
import { fail, type NormalizeResult, ok } from './types.ts';

export const HASH_HEX_LENGTHS = { md5: 32, sha1: 40, sha256: 64 } as const;
const LABELS = { md5: 'MD5', sha1: 'SHA-1', sha256: 'SHA-256' } as const;

export function normalizeFileHash(kind: keyof typeof HASH_HEX_LENGTHS, raw: string): NormalizeResult {
  const text = raw.trim();
  const label = LABELS[kind];
  if (text === '') return fail(`${label} hash is empty`);
  if (!/^[0-9a-fA-F]+$/.test(text)) return fail(`${label} hash must be hexadecimal`);
  const length = HASH_HEX_LENGTHS[kind];
  if (text.length !== length) {
    return fail(`${label} hash must have ${length} hex digits, not ${text.length}`);
  }
  return ok(text.toLowerCase());
}
