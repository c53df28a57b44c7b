// What travels between the two nodes when a package moves: an offer (signed by the sender, encrypted
// to the receiver's directory key) that carries the manifest and a fresh transfer key, then chunk
// records sealed under that key (AES-256-GCM, random nonce per chunk, package/item/chunk as associated
// data so a chunk cannot be replayed into another place), then a receipt signed by the receiver.
import type { CarriedCustody } from '../../domain/evidence/index.ts';
import { AppError } from '../../shared/errors.ts';
import { openRecordInPlace, sealRecordInPlace } from '../evidence-crypto.ts';

export const OFFERS_PATH = '/federation/v1/evidence/offers';
export const chunkPath = (packageId: string, item: number, chunk: number) =>
  `/federation/v1/evidence/packages/${packageId}/items/${item}/chunks/${chunk}`;
export const completePath = (packageId: string) => `/federation/v1/evidence/packages/${packageId}/complete`;
export const OFFER_TYPE = 'hanoi247-evidence-offer+jwe';
export const RECEIPT_TYPE = 'hanoi247-evidence-receipt';

export type Offer = {
  typ: 'hanoi247-evidence-offer';
  from: string;
  to: string;
  packageId: string;
  manifestJws: string;
  transferKey: string;
  /**
   * An onward transfer (art. 36): `from` received the package from the State that sealed it and passes
   * it on for `requestId` (a request between `from` and this node), under the consent the originating
   * node signed (`grant`), with the custody `from` recorded for it.
   */
  onward?: OnwardClaim;
};

export type OnwardClaim = {
  requestId: string;
  consentId: string;
  grant: string;
  custody: CarriedCustody[];
};

/** Per item, which chunks the receiver holds, checked (base64url bitmaps, bit i = chunk i). */
export type Holdings = { have: string[] };

const NONCE = 12;
const TAG = 16;

function aad(packageId: string, item: number, chunk: number): Buffer {
  return Buffer.from(`${packageId}:${item}:${chunk}`);
}

/**
 * A chunk record sealed in place for the transfer: `record` holds the plaintext after room for the
 * nonce, with room for the tag behind (a stored record opened in place has this layout): nonce,
 * ciphertext and tag, in the same buffer.
 */
export function sealTransferChunkInPlace(
  key: Buffer,
  where: { packageId: string; item: number; chunk: number },
  record: Buffer,
): Buffer {
  return sealRecordInPlace(key, aad(where.packageId, where.item, where.chunk), record);
}

/** Why a chunk or item was refused: counted by the receiver (evidence_verification_failures, by kind). */
export type RefusalReason = 'range' | 'decrypt' | 'size' | 'merkle' | 'item_hash';

export class ChunkRefusedError extends AppError {
  readonly reason: RefusalReason;
  constructor(message: string, reason: RefusalReason = 'decrypt') {
    super('ERR_EVIDENCE_CHUNK_INVALID', 422, message);
    this.reason = reason;
  }
}

/**
 * The plaintext of a chunk record, decrypted in place: the answer is the record's own middle, and the
 * record is no longer a record. Only pieces of PIECE bytes are made on the way (node's decipher has no
 * output buffer), each copied back and dropped at once, so nothing of a megabyte outlives the call.
 * Throws ChunkRefusedError if the record was altered or truncated (its bytes are then of no use).
 */
export function openTransferChunkInPlace(
  key: Buffer,
  where: { packageId: string; item: number; chunk: number },
  record: Buffer,
): Buffer {
  if (record.length < NONCE + TAG)
    throw new ChunkRefusedError(`Chunk ${where.chunk} of item ${where.item} is truncated.`);
  const plain = openRecordInPlace(key, aad(where.packageId, where.item, where.chunk), record);
  if (!plain)
    throw new ChunkRefusedError(
      `Chunk ${where.chunk} of item ${where.item} does not decrypt: altered or truncated in transit.`,
    );
  return plain;
}

export function bitmapOf(count: number, held: Iterable<number>): string {
  const bits = Buffer.alloc(Math.ceil(count / 8));
  for (const i of held) bits[i >> 3]! |= 1 << (i & 7);
  return bits.toString('base64url');
}

export function hasBit(bitmap: Buffer, i: number): boolean {
  return ((bitmap[i >> 3] ?? 0) & (1 << (i & 7))) !== 0;
}
