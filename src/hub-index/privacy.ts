// Privacy-mode digests. A member holding a sharing group's key sends
// HMAC-SHA-256(groupKey, UTF-8 of the normalised value) with the indicator type beside it, instead
// of the value, so the hub only learns values that it already holds. This is the same MAC as
// keyedHash() in src/crypto/hash.ts, which the hub stores for each indicator.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const PRIVACY_DIGEST_BYTES = 32;

export function privacyDigest(groupKey: Uint8Array | string, normalisedValue: string): Uint8Array {
  return new Uint8Array(createHmac('sha256', groupKey).update(normalisedValue, 'utf8').digest());
}

/** Reads a digest sent as 64 hex digits (either case); null otherwise. */
export function parsePrivacyDigest(text: string): Uint8Array | null {
  if (typeof text !== 'string' || !/^[0-9a-fA-F]{64}$/.test(text)) return null;
  return new Uint8Array(Buffer.from(text, 'hex'));
}

/** Constant-time comparison of two digests (false when the lengths differ). */
export function digestsEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
