// The native half of `audit verify` (native/audit-hash.c, built at install by scripts/build-native.ts;
// that file says why it exists), loaded when it was built, with the same SHA-256 batch through
// node:crypto as the fallback. HANOI247_NATIVE_HASH=0 leaves the addon unloaded.
import { hash } from 'node:crypto';
import { createRequire } from 'node:module';

/** Writes the SHA-256 of data[ends[i-1]..ends[i]) (from 0 for the first) to out[32i..32i+32). */
export type Sha256Each = (data: Uint8Array, ends: Uint32Array, out: Uint8Array) => void;

/**
 * Checks a binary COPY batch of audit entries from sequence number `from` (see native/audit-hash.c):
 * writes each leaf digest to leaves[32i..], the first and last stored chain hashes (hex) to chains[0..128),
 * and returns the number of entries, or -2 when the batch is not exactly as expected.
 */
export type CopySegment = (batch: Uint8Array, from: number, leaves: Uint8Array, chains: Uint8Array) => number;

export const sha256EachCrypto: Sha256Each = (data, ends, out) => {
  if (out.length < 32 * ends.length) throw new RangeError('sha256Each: out is too short');
  const target = Buffer.from(out.buffer, out.byteOffset, out.length);
  let start = 0;
  for (let i = 0; i < ends.length; i++) {
    const end = ends[i]!;
    if (end < start || end > data.length)
      throw new RangeError('sha256Each: ends must rise and stay within data');
    target.write(hash('sha256', data.subarray(start, end), 'latin1'), 32 * i, 32, 'latin1');
    start = end;
  }
};

/** What batch checking hashes with: the addon's two functions, or node:crypto with no copySegment. */
export type Hashing = { sha256Each: Sha256Each; copySegment: CopySegment | null };
type Addon = { sha256Each: Sha256Each; copySegment: CopySegment };

function loadAddon(): Addon | null {
  if (process.env.HANOI247_NATIVE_HASH === '0') return null;
  try {
    const addon = createRequire(import.meta.url)('../../build/native/audit-hash.node') as Partial<Addon>;
    const { sha256Each, copySegment } = addon;
    return typeof sha256Each === 'function' && typeof copySegment === 'function'
      ? { sha256Each, copySegment }
      : null;
  } catch {
    return null;
  }
}

/** The addon's functions, or null when it is not built or does not load in this process. */
export const nativeAuditHash: Addon | null = loadAddon();

export const cryptoHashing: Hashing = { sha256Each: sha256EachCrypto, copySegment: null };

/** The addon where it loaded and `native` is true, else node:crypto. */
export function hashingFor(native: boolean): Hashing {
  return native && nativeAuditHash ? nativeAuditHash : cryptoHashing;
}
