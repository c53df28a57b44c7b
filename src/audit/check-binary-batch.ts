// The hashing half of the fast path on PostgreSQL, where a batch arrives as the binary COPY of
//   SELECT seq, at, actor, action, object_type, object_id, payload_hash, leaf_hash, chain_hash
// (readCopyBatch in verify-fast-batch.ts), in the CopyData messages the server sent it in, each tuple
// read within its message. That format frames every field by its byte length, an
// injective framing like the text form's, so no column can shift another; the leaf bytes are written as
// the exact path writes them (text fields as JSON by fast-leaf-bytes.ts, decoded first when a byte needs
// escaping or is not ASCII; the time by iso-time.ts). It proves what checkSegment proves and returns the
// same segment. Anything else (a NULL, a field count or length not as expected, a time outside years
// 1..9999) returns null and leaves the batch to the exact path.
import { hash } from 'node:crypto';
import type { Segment } from './check-fast-batch.ts';
import {
  ACTOR,
  AT,
  ESCAPED_OR_HIGH,
  type LeafScratch,
  leafScratch,
  OBJECT_ID,
  OBJECT_TYPE,
  OPEN,
  PAYLOAD_HASH,
  put,
  putJsonString,
  SEQ,
} from './fast-leaf-bytes.ts';
import { pgMicrosToEpochMs, writeIsoMs } from './iso-time.ts';

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

/** Views of the scratch bytes by length, so that hashing a leaf makes no Buffer. */
type Views = { of: Buffer; byLength: (Buffer | undefined)[] };

function leafView(views: Views, scratch: LeafScratch): Buffer {
  if (views.of !== scratch.bytes) {
    views.of = scratch.bytes;
    views.byLength = [];
  }
  const length = scratch.length;
  let view = views.byLength[length];
  if (view === undefined) {
    view = scratch.bytes.subarray(0, length);
    views.byLength[length] = view;
  }
  return view;
}

/**
 * Checks one batch in binary COPY form whose first entry is `from`, as checkSegment checks the text
 * form. `headSizes` are the sizes of all signed tree heads, sorted.
 */
export function checkBinarySegment(
  batch: Buffer,
  from: number,
  headSizes: readonly number[],
): Segment | null {
  const opened = openCopy(batch);
  if (!opened) return null;
  // `end` is the end of the message that holds the tuple at `pos`.
  let { pos, end } = opened;
  const stack: string[] = [];
  const headStacks: string[][] = [];
  let nextHead = 0;
  while (nextHead < headSizes.length && headSizes[nextHead]! < from) nextHead++;
  let expected = from;
  let firstLeaf = '';
  let firstChain = '';
  let lastChainAt = -1;
  const scratch = leafScratch();
  const views: Views = { of: scratch.bytes, byLength: [] };
  // The chain input, the previous chain hash then this leaf hash, both as hex: 128 bytes, reused.
  const chainInput = Buffer.allocUnsafe(2 * HEX_LENGTH);
  // Where each key after the first was written for the row before: a row whose fields so far have the
  // same lengths finds the key still in place (nothing after a field's end is written over), so only
  // the fields are written. Entries of one kind mostly have fields of the same lengths.
  const keysAt = new Int32Array(6).fill(-1);
  let same = true;
  const key = (k: number, bytes: Buffer, o: number): number => {
    if (same && keysAt[k] === o) return o + bytes.length;
    same = false;
    keysAt[k] = o;
    return put(scratch, o, bytes);
  };
  put(scratch, 0, OPEN);
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
    // case first (every byte escaped as \u00XX) so that no field needs to grow the scratch.
    const room = 6 * (pos - row) + 256;
    if (scratch.bytes.length < room) {
      scratch.bytes = Buffer.allocUnsafe(2 * room);
      put(scratch, 0, OPEN);
      keysAt.fill(-1);
    }
    same = true;
    let o = putText(batch, action, action + actionLength, scratch, OPEN.length);
    o = putText(batch, actor, actor + actorLength, scratch, key(0, ACTOR, o));
    o = writeIsoMs(ms, scratch.bytes, key(1, AT, o));
    if (o < 0) return null;
    o = putText(batch, objectId, objectId + idLength, scratch, key(2, OBJECT_ID, o));
    o = putText(batch, objectType, objectType + typeLength, scratch, key(3, OBJECT_TYPE, o));
    o = putText(batch, payload, payload + payloadLength, scratch, key(4, PAYLOAD_HASH, o));
    o = put(scratch, key(5, SEQ, o), seqText);
    scratch.bytes[o++] = 0x7d;
    scratch.length = o;

    const leaf = hash('sha256', leafView(views, scratch), 'latin1');
    if (!sameBytesAsHex(leaf, batch, storedLeaf)) return null;
    if (expected === from) {
      firstLeaf = batch.toString('latin1', storedLeaf, storedLeaf + HEX_LENGTH);
      firstChain = batch.toString('latin1', storedChain, storedChain + HEX_LENGTH);
    } else {
      // The previous chain hash is already in chainInput; the leaf's hex equals the stored one.
      batch.copy(chainInput, HEX_LENGTH, storedLeaf, storedLeaf + HEX_LENGTH);
      if (!sameBytesAsHex(hash('sha256', chainInput, 'latin1'), batch, storedChain)) return null;
    }
    batch.copy(chainInput, 0, storedChain, storedChain + HEX_LENGTH);
    lastChainAt = storedChain;
    pushLeafBinary(stack, expected - from, leaf);
    while (nextHead < headSizes.length && headSizes[nextHead] === expected) {
      headStacks.push(stack.map(toHex));
      nextHead++;
    }
    expected++;
    seqText = increment(seqText);
  }
  if (expected === from) return null;
  const lastChain = batch.toString('latin1', lastChainAt, lastChainAt + HEX_LENGTH);
  return { count: expected - from, firstLeaf, firstChain, lastChain, stack: stack.map(toHex), headStacks };
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

// Digests stay binary here, as 32-character latin1 strings: the Merkle inner nodes take them as they are,
// with no hex to write or read back, and a stored hash is compared by its hex digits. The segment's
// hashes are turned to hex once, at the end.
const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1');

/** Whether the 32-byte digest (a latin1 string) written as lowercase hex equals the 64 bytes at `at`. */
function sameBytesAsHex(digest: string, batch: Buffer, at: number): boolean {
  for (let i = 0; i < 32; i++) {
    const c = digest.charCodeAt(i);
    if (batch[at + 2 * i] !== HEX_DIGITS[c >> 4] || batch[at + 2 * i + 1] !== HEX_DIGITS[c & 15])
      return false;
  }
  return true;
}
const toHex = (digest: string) => Buffer.from(digest, 'latin1').toString('hex');

// RFC 9162 inner node input 0x01 || left || right, reused: hash() is synchronous and keeps no reference.
const nodeInput = Buffer.alloc(65);
nodeInput[0] = 0x01;

/** pushLeafHex of hex-merkle-stack.ts over binary digests. Mutates `stack`. */
function pushLeafBinary(stack: string[], size: number, leaf: string): void {
  let node = leaf;
  for (let s = size; s % 2 === 1; s = (s - 1) / 2) {
    nodeInput.write(stack.pop()!, 1, 32, 'latin1');
    nodeInput.write(node, 33, 32, 'latin1');
    node = hash('sha256', nodeInput, 'latin1');
  }
  stack.push(node);
}

/** The big-endian int32 at `p`, signed. */
function int32(b: Buffer, p: number): number {
  return (b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!;
}
