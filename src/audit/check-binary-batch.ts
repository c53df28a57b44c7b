// The hashing half of the fast path on PostgreSQL, where a batch arrives as the binary COPY of
//   SELECT seq, at, actor, action, object_type, object_id, payload_hash, leaf_hash, chain_hash
// (readCopyBatch in verify-fast-batch.ts), in the CopyData messages the server sent it in, each tuple
// read within its message. That format frames every field by its byte length, an
// injective framing like the text form's, so no column can shift another; the leaf bytes are written as
// the exact path writes them (text fields as JSON by fast-leaf-bytes.ts, decoded first when a byte needs
// escaping or is not ASCII; the time by iso-time.ts) and hashed by hash-segment.ts. It proves what
// checkSegment proves and returns the same segment. Anything else (a NULL, a field count or length not
// as expected, a time outside years 1..9999) returns null and leaves the batch to the exact path.
// native/audit-hash.c does the same for a batch in one call where it is built; this file is its
// reference, and decides every batch the native checker does not take.
import type { Hashing } from '../crypto/native-audit-hash.ts';
import {
  ACTOR,
  AT,
  ESCAPED_OR_HIGH,
  type LeafScratch,
  OBJECT_ID,
  OBJECT_TYPE,
  OPEN,
  PAYLOAD_HASH,
  put,
  putJsonString,
  SEQ,
} from './fast-leaf-bytes.ts';
import { endEntry, hashSegment, parsedBatch, reserveLeafBytes, segmentOfLeaves } from './hash-segment.ts';
import { pgMicrosToEpochMs, writeIsoMs } from './iso-time.ts';
import type { Segment } from './segment.ts';

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const FIELDS = 9;
const HEX_LENGTH = 64;

const COPY_DATA = 0x64; // 'd'

/**
 * The end of the CopyData message at `at` ('d', its int32 length, the payload), or -1 when there is
 * none there. The batch is the COPY's CopyData messages as the server sent them (Database.copyOut);
 * PostgreSQL sends one row per message, the file header with the first, the trailer alone. A tuple
 * is read only within one message.
 */
function messageEnd(batch: Buffer, at: number): number {
  if (at + 5 > batch.length || batch[at] !== COPY_DATA) return -1;
  const length = int32(batch, at + 1);
  const end = at + 1 + length;
  return length >= 4 && end <= batch.length ? end : -1;
}

/** Where the tuples start after the file header, and the end of its message; null if not as expected. */
function openCopy(batch: Buffer): { pos: number; end: number } | null {
  const end = messageEnd(batch, 0);
  const header = 5;
  if (end < 0 || header + SIGNATURE.length + 8 > end) return null;
  for (let i = 0; i < SIGNATURE.length; i++) if (batch[header + i] !== SIGNATURE[i]) return null;
  // Flags: bit 16 would mean OIDs in every tuple; no flag is expected. Then the header extension.
  if (int32(batch, header + 11) !== 0) return null;
  const extension = int32(batch, header + 15);
  const pos = header + 19 + extension;
  return extension >= 0 && pos <= end ? { pos, end } : null;
}

/** Whether a binary COPY holds no tuple: the trailer right after the header. */
export function copyIsEmpty(batch: Buffer): boolean {
  const opened = openCopy(batch);
  if (!opened) return false;
  let { pos, end } = opened;
  if (pos === end) {
    end = messageEnd(batch, pos);
    pos += 5;
  }
  return end === batch.length && pos + 2 === end && batch.readInt16BE(pos) === -1;
}

/**
 * Checks one batch in binary COPY form whose first entry is `from`, as checkSegment checks the text
 * form. `headSizes` are the sizes of all signed tree heads, sorted; `entries` bounds the tuples the
 * batch may hold (the batch size). With the native addon, a batch exactly as expected is checked there
 * in one call; any other batch, or every batch without it, is checked here.
 */
export function checkBinarySegment(
  batch: Buffer,
  from: number,
  headSizes: readonly number[],
  entries: number,
  { sha256Each, copySegment }: Hashing,
): Segment | null {
  if (copySegment) {
    const leaves = Buffer.allocUnsafe(32 * entries);
    const chains = Buffer.allocUnsafe(128);
    const count = copySegment(batch, from, leaves, chains);
    if (count > 0) {
      return segmentOfLeaves(
        leaves,
        count,
        chains.subarray(0, 64),
        chains.subarray(64),
        from,
        headSizes,
        sha256Each,
      );
    }
  }
  const opened = openCopy(batch);
  if (!opened) return null;
  // `end` is the end of the message that holds the tuple at `pos`.
  let { pos, end } = opened;
  const parsed = parsedBatch(entries);
  const leaves = parsed.leaves;
  let expected = from;
  // The sequence number in decimal, counted up in place.
  let seqText: Buffer = Buffer.from(String(from), 'latin1');
  for (;;) {
    if (pos === end) {
      end = messageEnd(batch, pos);
      if (end < 0) return null;
      pos += 5;
    }
    if (pos + 2 > end) return null;
    const count = batch.readInt16BE(pos);
    if (count === -1) {
      if (pos + 2 !== end || end !== batch.length) return null;
      break;
    }
    if (count !== FIELDS || pos + 2 + 8 * 4 + 16 > end) return null;
    // seq bigint, then at timestamptz: 8 bytes each.
    if (int32(batch, pos + 2) !== 8) return null;
    if (int32(batch, pos + 6) * 4_294_967_296 + (int32(batch, pos + 10) >>> 0) !== expected) return null;
    if (int32(batch, pos + 14) !== 8) return null;
    const ms = pgMicrosToEpochMs(int32(batch, pos + 18), int32(batch, pos + 22) >>> 0);
    // The five text fields, each after its length (-1, a NULL, fails the bounds check).
    let p = pos + 26;
    const actorLength = int32(batch, p);
    const actor = p + 4;
    p = actor + actorLength;
    if (actorLength < 0 || p + 4 > end) return null;
    const actionLength = int32(batch, p);
    const action = p + 4;
    p = action + actionLength;
    if (actionLength < 0 || p + 4 > end) return null;
    const typeLength = int32(batch, p);
    const objectType = p + 4;
    p = objectType + typeLength;
    if (typeLength < 0 || p + 4 > end) return null;
    const idLength = int32(batch, p);
    const objectId = p + 4;
    p = objectId + idLength;
    if (idLength < 0 || p + 4 > end) return null;
    const payloadLength = int32(batch, p);
    const payload = p + 4;
    p = payload + payloadLength;
    if (payloadLength < 0 || p + 8 + 2 * HEX_LENGTH > end) return null;
    if (int32(batch, p) !== HEX_LENGTH) return null;
    const storedLeaf = p + 4;
    p = storedLeaf + HEX_LENGTH;
    if (int32(batch, p) !== HEX_LENGTH) return null;
    const storedChain = p + 4;
    const row = pos;
    pos = storedChain + HEX_LENGTH;

    // The leaf bytes, keys in sorted order as auditLeafHashBytes writes them, with room for the worst
    // case first (every byte escaped as \u00XX) so that no field needs to grow the buffer.
    reserveLeafBytes(parsed, 6 * (pos - row) + 256);
    let o = put(leaves, leaves.length, OPEN);
    o = putText(batch, action, action + actionLength, leaves, o);
    o = putText(batch, actor, actor + actorLength, leaves, put(leaves, o, ACTOR));
    o = writeIsoMs(ms, leaves.bytes, put(leaves, o, AT));
    if (o < 0) return null;
    o = putText(batch, objectId, objectId + idLength, leaves, put(leaves, o, OBJECT_ID));
    o = putText(batch, objectType, objectType + typeLength, leaves, put(leaves, o, OBJECT_TYPE));
    o = putText(batch, payload, payload + payloadLength, leaves, put(leaves, o, PAYLOAD_HASH));
    o = put(leaves, put(leaves, o, SEQ), seqText);
    leaves.bytes[o++] = 0x7d;
    leaves.length = o;
    if (!endEntry(parsed, batch, storedLeaf, storedChain)) return null;
    expected++;
    seqText = increment(seqText);
  }
  return hashSegment(parsed, from, headSizes, sha256Each);
}

/**
 * Writes a text field at `o` as the inside of its JSON string and returns the offset after it: as it is
 * when no byte needs escaping (printable ASCII but quote and backslash), else through putJsonString.
 */
function putText(batch: Buffer, from: number, to: number, scratch: LeafScratch, o: number): number {
  const out = scratch.bytes;
  let w = o;
  for (let i = from; i < to; i++) {
    const c = batch[i]!;
    if (c < 0x20 || c === 0x22 || c === 0x5c || c > 0x7e) {
      putJsonString(batch, from, to, scratch, o, ESCAPED_OR_HIGH);
      return scratch.length;
    }
    out[w++] = c;
  }
  return w;
}

/** The decimal digits of one more than `digits`, in place unless a digit is added. */
function increment(digits: Buffer): Buffer {
  for (let i = digits.length - 1; i >= 0; i--) {
    if (digits[i] !== 0x39) {
      digits[i] = digits[i]! + 1;
      return digits;
    }
    digits[i] = 0x30;
  }
  const longer = Buffer.allocUnsafe(digits.length + 1);
  longer[0] = 0x31;
  digits.copy(longer, 1);
  return longer;
}

/** The big-endian int32 at `p`, signed. */
function int32(b: Buffer, p: number): number {
  return (b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!;
}
