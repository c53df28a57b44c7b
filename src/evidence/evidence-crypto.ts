// Encryption at rest of evidence: each blob has its own random data key, wrapped (AES-256-GCM) by a
// key-encryption key derived from the node's key secret, so the bytes on disk or in a bucket are
// useless without the operator's secret. The bytes are cut in fixed-size chunks, each sealed alone
// (AES-256-GCM, random nonce, its index as associated data) so any chunk can be read and checked alone
// and chunks cannot be swapped.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** Plaintext bytes per chunk: the unit of encryption, of the Merkle tree and of transfer. */
export const CHUNK_SIZE = 1024 * 1024;
const NONCE = 12;
const TAG = 16;
/** What a chunk record adds to its plaintext: nonce in front, tag behind. */
export const RECORD_OVERHEAD = NONCE + TAG;
export const RECORD_SIZE = CHUNK_SIZE + RECORD_OVERHEAD;

export class EvidenceIntegrityError extends Error {
  readonly code = 'ERR_EVIDENCE_INTEGRITY';
}

/** The key-encryption key of the evidence store, derived from the node's key secret (HKDF-SHA-256). */
export function deriveEvidenceKek(keySecret: string): Buffer {
  return Buffer.from(
    hkdfSync('sha256', keySecret, 'hanoi247/evidence', 'evidence key-encryption key v1', 32),
  );
}

export function newDataKey(): Buffer {
  return randomBytes(32);
}

/** `v1.<iv>.<tag>.<ciphertext>`, base64url: the data key sealed under the key-encryption key. */
export function wrapDataKey(kek: Buffer, dataKey: Buffer): string {
  const iv = randomBytes(NONCE);
  const cipher = createCipheriv('aes-256-gcm', kek, iv);
  cipher.setAAD(Buffer.from('evidence data key'));
  const ct = Buffer.concat([cipher.update(dataKey), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), ct]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

export function unwrapDataKey(kek: Buffer, wrapped: string): Buffer {
  const [version, iv, tag, ct] = wrapped.split('.');
  if (version !== 'v1' || !iv || !tag || !ct)
    throw new EvidenceIntegrityError('a wrapped data key is malformed');
  const decipher = createDecipheriv('aes-256-gcm', kek, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from('evidence data key'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  try {
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]);
  } catch {
    throw new EvidenceIntegrityError('the data key does not unwrap: wrong key secret or altered row');
  }
}

/** The associated data of chunk `index` of a stored blob: its index, so chunks cannot be swapped. */
export function chunkAad(index: number): Buffer {
  const aad = Buffer.alloc(8);
  aad.writeBigUInt64BE(BigInt(index));
  return aad;
}

/** One chunk record: nonce || ciphertext || tag. */
export function sealChunk(dataKey: Buffer, index: number, plain: Uint8Array): Buffer {
  return Buffer.concat(sealChunkParts(dataKey, index, plain), plain.length + RECORD_OVERHEAD);
}

/** The same record as its three parts in order, for a write that takes parts (no megabyte copied). */
export function sealChunkParts(dataKey: Buffer, index: number, plain: Uint8Array): Buffer[] {
  const nonce = randomBytes(NONCE);
  const cipher = createCipheriv('aes-256-gcm', dataKey, nonce);
  cipher.setAAD(chunkAad(index));
  const sealed = cipher.update(plain);
  cipher.final();
  return [nonce, sealed, cipher.getAuthTag()];
}

/** Bytes a cipher works on at a time when it works in place (see transformInPlace). */
const PIECE = 64 * 1024;

/**
 * Runs a GCM cipher or decipher over `bytes` and writes the output back over them. Node's ciphers
 * answer a new buffer for each update: done a piece at a time, each piece is copied back and dropped
 * at once, young, instead of a megabyte per chunk that lives on through a write and a sync.
 */
export function transformInPlace(cipher: { update(data: Uint8Array): Buffer }, bytes: Buffer): void {
  for (let at = 0; at < bytes.length; at += PIECE) {
    const piece = bytes.subarray(at, Math.min(at + PIECE, bytes.length));
    cipher.update(piece).copy(piece);
  }
}

/**
 * A record (nonce || ciphertext || tag) sealed in place under `key` with associated data `aad`:
 * `record` holds the plaintext after room for the nonce and has room for the tag behind it; answers
 * the record, with no buffer of a megabyte made.
 */
export function sealRecordInPlace(key: Buffer, aad: Uint8Array, record: Buffer): Buffer {
  if (record.length < RECORD_OVERHEAD) throw new RangeError('a record has room for its nonce and tag');
  const nonce = randomBytes(NONCE);
  nonce.copy(record, 0);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(aad);
  transformInPlace(cipher, record.subarray(NONCE, record.length - TAG));
  cipher.final();
  cipher.getAuthTag().copy(record, record.length - TAG);
  return record;
}

/**
 * The plaintext of a record sealed under `key` with `aad`, decrypted in the record's own buffer (its
 * middle: the record is no longer one); null if it was altered, truncated or sealed for another place
 * (its bytes are then of no use).
 */
export function openRecordInPlace(key: Buffer, aad: Uint8Array, record: Buffer): Buffer | null {
  if (record.length < RECORD_OVERHEAD) return null;
  const decipher = createDecipheriv('aes-256-gcm', key, record.subarray(0, NONCE));
  decipher.setAAD(aad);
  decipher.setAuthTag(record.subarray(record.length - TAG));
  const plain = record.subarray(NONCE, record.length - TAG);
  try {
    transformInPlace(decipher, plain);
    // GCM's final() only checks the tag and adds no bytes.
    decipher.final();
    return plain;
  } catch {
    return null;
  }
}

/**
 * A chunk record sealed in place (see sealRecordInPlace), as a received chunk's buffer is laid out once
 * decrypted in place: the same bytes as sealChunk.
 */
export function sealChunkInPlace(dataKey: Buffer, index: number, record: Buffer): Buffer {
  return sealRecordInPlace(dataKey, chunkAad(index), record);
}

/**
 * A stored chunk record's plaintext, decrypted in its own buffer (the transfer sender seals the same
 * buffer again for the transfer); throws EvidenceIntegrityError if it was altered or moved.
 */
export function openChunkInPlace(dataKey: Buffer, index: number, record: Buffer): Buffer {
  if (record.length < RECORD_OVERHEAD) throw new EvidenceIntegrityError(`chunk ${index} is truncated`);
  const plain = openRecordInPlace(dataKey, chunkAad(index), record);
  if (!plain)
    throw new EvidenceIntegrityError(`chunk ${index} does not decrypt: altered, truncated or moved`);
  return plain;
}

/** The plaintext of a chunk record; throws EvidenceIntegrityError if it was altered or moved. */
export function openChunk(dataKey: Buffer, index: number, record: Uint8Array): Buffer {
  if (record.length < RECORD_OVERHEAD) throw new EvidenceIntegrityError(`chunk ${index} is truncated`);
  const decipher = createDecipheriv('aes-256-gcm', dataKey, record.subarray(0, NONCE));
  decipher.setAAD(chunkAad(index));
  decipher.setAuthTag(record.subarray(record.length - TAG));
  try {
    // GCM's final() only checks the tag and adds no bytes: no copy of the megabyte to join them.
    const plain = decipher.update(record.subarray(NONCE, record.length - TAG));
    decipher.final();
    return plain;
  } catch {
    throw new EvidenceIntegrityError(`chunk ${index} does not decrypt: altered, truncated or moved`);
  }
}
