// Base58 and Base58Check (Bitcoin alphabet): payload + first 4 bytes of SHA-256(SHA-256(payload)).
import { sha256 } from '@noble/hashes/sha2.js';

const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const DIGIT = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DIGIT[ALPHABET.charCodeAt(i)] = i;

/** Decodes base58 text to bytes; null on a character outside the alphabet. */
export function base58Decode(text: string): Uint8Array | null {
  let zeros = 0;
  while (zeros < text.length && text[zeros] === '1') zeros++;
  // Big-endian base-256 accumulator; log(58)/log(256) < 0.733 bytes per character.
  const size = Math.ceil((text.length - zeros) * 0.733) + 1;
  const buf = new Uint8Array(size);
  let length = 0;
  for (let i = zeros; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const digit = code < 128 ? DIGIT[code]! : -1;
    if (digit < 0) return null;
    let carry = digit;
    let k = 0;
    for (let j = size - 1; j >= 0 && (carry !== 0 || k < length); j--, k++) {
      carry += 58 * buf[j]!;
      buf[j] = carry & 255;
      carry >>= 8;
    }
    length = k;
  }
  const out = new Uint8Array(zeros + length);
  out.set(buf.subarray(size - length), zeros);
  return out;
}

export function base58Encode(bytes: Uint8Array): string {
  let zeros = 0;
  while (zeros < bytes.length && bytes[zeros] === 0) zeros++;
  const size = Math.ceil((bytes.length - zeros) * 1.38) + 1;
  const buf = new Uint8Array(size);
  let length = 0;
  for (let i = zeros; i < bytes.length; i++) {
    let carry = bytes[i]!;
    let k = 0;
    for (let j = size - 1; j >= 0 && (carry !== 0 || k < length); j--, k++) {
      carry += 256 * buf[j]!;
      buf[j] = carry % 58;
      carry = Math.floor(carry / 58);
    }
    length = k;
  }
  let out = '1'.repeat(zeros);
  for (let j = size - length; j < size; j++) out += ALPHABET[buf[j]!];
  return out;
}

export type Base58CheckResult = { ok: true; payload: Uint8Array } | { ok: false; error: string };

export function base58CheckDecode(text: string): Base58CheckResult {
  const bytes = base58Decode(text);
  if (!bytes) return { ok: false, error: 'holds a character outside the base58 alphabet' };
  if (bytes.length < 5) return { ok: false, error: 'is too short for base58check' };
  const payload = bytes.subarray(0, bytes.length - 4);
  const check = sha256(sha256(payload));
  for (let i = 0; i < 4; i++) {
    if (check[i] !== bytes[bytes.length - 4 + i]) return { ok: false, error: 'base58check checksum fails' };
  }
  return { ok: true, payload };
}

export function base58CheckEncode(payload: Uint8Array): string {
  const check = sha256(sha256(payload));
  const bytes = new Uint8Array(payload.length + 4);
  bytes.set(payload);
  bytes.set(check.subarray(0, 4), payload.length);
  return base58Encode(bytes);
}
