// Rebuilds an entry's canonical leaf bytes (RFC 9162's 0x00, then the canonical JSON that auditLeafHash
// hashes) from the fields part of one fast-path line, as verify-fast-batch.ts renders it:
//   seq TAB len ':' action len ':' actor at TAB len ':' objectId len ':' objectType len ':' payloadHash NL
// Each text field is preceded by its octet length, so the framing holds whatever bytes a field holds.
// A field with no byte that JSON escapes (quote, backslash, control character) is written between
// quotes as it is, which is what JSON.stringify gives for it; any other field is decoded and goes
// through JSON.stringify itself. So the bytes written are exactly those the exact path hashes.

const TAB = 0x09;
const NEWLINE = 0x0a;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;

const bytesOf = (text: string) => Buffer.from(text, 'latin1');
export const OPEN = bytesOf('\u0000{"action":"');
export const ACTOR = bytesOf('","actor":"');
export const AT = bytesOf('","at":"');
export const OBJECT_ID = bytesOf('","objectId":"');
export const OBJECT_TYPE = bytesOf('","objectType":"');
export const PAYLOAD_HASH = bytesOf('","payloadHash":"');
export const SEQ = bytesOf('","seq":');
/** 1 for the bytes that JSON.stringify escapes: control characters, quote and backslash. */
const ESCAPED = new Uint8Array(256);
ESCAPED.fill(1, 0, 0x20);
ESCAPED[QUOTE] = 1;
ESCAPED[BACKSLASH] = 1;
/**
 * The same, and every byte from 0x80 on: bytes that come straight from the database are decoded as the
 * driver decodes them, so a byte sequence that is not UTF-8 is hashed as the exact path hashes it.
 */
export const ESCAPED_OR_HIGH = new Uint8Array(256);
ESCAPED_OR_HIGH.set(ESCAPED);
ESCAPED_OR_HIGH.fill(1, 0x80, 0x100);
/** Room for the keys, the time and the sequence number around the fields. */
const FIXED = 160;

/** Where leaf bytes are written; `bytes` grows when a line needs more room. */
export type LeafScratch = { bytes: Buffer; length: number };

/**
 * Parses the fields of one line from `start` and writes its leaf bytes into `scratch` from `at`, setting
 * scratch.length past them. Returns the index of the line's newline, or -1 when the line is not exactly
 * in the expected form or its sequence number is not `seq`.
 */
export function writeLeafBytes(
  batch: Buffer,
  start: number,
  seq: number,
  scratch: LeafScratch,
  at: number,
): number {
  const end = batch.length;
  // The sequence number: decimal digits without a leading zero, then a tab.
  let p = start;
  let value = 0;
  while (p < end && batch[p] !== TAB) {
    const c = batch[p]! - 0x30;
    if (c < 0 || c > 9 || (p === start && c === 0) || p - start > 15) return -1;
    value = value * 10 + c;
    p++;
  }
  if (p === start || p >= end || value !== seq) return -1;
  const seqStart = start;
  const seqEnd = p;
  p++;
  let o = put(scratch, at, OPEN);
  p = putField(batch, p, scratch, o);
  if (p < 0) return -1;
  o = put(scratch, scratch.length, ACTOR);
  p = putField(batch, p, scratch, o);
  if (p < 0) return -1;
  o = put(scratch, scratch.length, AT);
  p = putTime(batch, p, scratch, o);
  if (p < 0) return -1;
  o = put(scratch, scratch.length, OBJECT_ID);
  p = putField(batch, p, scratch, o);
  if (p < 0) return -1;
  o = put(scratch, scratch.length, OBJECT_TYPE);
  p = putField(batch, p, scratch, o);
  if (p < 0) return -1;
  o = put(scratch, scratch.length, PAYLOAD_HASH);
  p = putField(batch, p, scratch, o);
  if (p < 0 || p >= end || batch[p] !== NEWLINE) return -1;
  o = put(scratch, scratch.length, SEQ);
  const out = scratch.bytes;
  for (let i = seqStart; i < seqEnd; i++) out[o++] = batch[i]!;
  out[o++] = 0x7d;
  scratch.length = o;
  return p;
}

/** Copies a key's few bytes by hand: for copies this short, Buffer.copy's native call costs more. */
export function put(scratch: LeafScratch, at: number, bytes: Buffer): number {
  const out = scratch.bytes;
  for (let i = 0; i < bytes.length; i++) out[at + i] = bytes[i]!;
  return at + bytes.length;
}

/** Copies one length-prefixed field at `p` to `o`, escaped as JSON; sets scratch.length; returns the next position or -1. */
function putField(batch: Buffer, p: number, scratch: LeafScratch, o: number): number {
  let length = 0;
  const digits = p;
  while (p < batch.length && batch[p] !== COLON) {
    const c = batch[p]! - 0x30;
    if (c < 0 || c > 9 || p - digits > 9) return -1;
    length = length * 10 + c;
    p++;
  }
  if (p === digits || p >= batch.length) return -1;
  const from = p + 1;
  const to = from + length;
  if (to > batch.length) return -1;
  putJsonString(batch, from, to, scratch, o, ESCAPED);
  return to;
}

/**
 * Writes bytes `from`..`to` of `batch` at `o` as the inside of a JSON string, as JSON.stringify would,
 * and sets scratch.length past them. A byte marked in `escaped` sends the whole field through
 * JSON.stringify of its UTF-8 decoding instead.
 */
export function putJsonString(
  batch: Buffer,
  from: number,
  to: number,
  scratch: LeafScratch,
  o: number,
  escaped: Uint8Array,
): void {
  const length = to - from;
  // An escaped byte takes at most six (\u001f): make room for the worst case before copying.
  if (o + 6 * length + FIXED > scratch.bytes.length) {
    const grown = Buffer.allocUnsafe(2 * (o + 6 * length + FIXED));
    scratch.bytes.copy(grown, 0, 0, o);
    scratch.bytes = grown;
  }
  const out = scratch.bytes;
  let w = o;
  for (let i = from; i < to; i++) {
    const c = batch[i]!;
    if (escaped[c] === 1) {
      const json = JSON.stringify(batch.toString('utf8', from, to));
      w = o + out.write(json.slice(1, -1), o, 'utf8');
      break;
    }
    out[w++] = c;
  }
  scratch.length = w;
}

/**
 * The time as PostgreSQL writes a timestamp in the ISO DateStyle, 'YYYY-MM-DD HH:MM:SS[.ffffff]' then a
 * tab, rewritten as toISOString writes it: 'T', milliseconds truncated as to_char's MS does, 'Z'. Any
 * other form (a year before 1 or after 9999, another DateStyle) returns -1, leaving it to the exact path.
 */
function putTime(batch: Buffer, p: number, scratch: LeafScratch, o: number): number {
  if (p + 19 >= batch.length) return -1;
  const out = scratch.bytes;
  for (let i = 0; i < 19; i++) {
    const c = batch[p + i]!;
    const sep = i === 4 || i === 7 ? 0x2d : i === 10 ? 0x20 : i === 13 || i === 16 ? COLON : -1;
    if (sep >= 0 ? c !== sep : c < 0x30 || c > 0x39) return -1;
    out[o + i] = i === 10 ? 0x54 : c;
  }
  let q = p + 19;
  let w = o + 19;
  out[w++] = 0x2e;
  let fraction = 0;
  if (batch[q] === 0x2e) {
    q++;
    while (q < batch.length && batch[q] !== TAB) {
      const c = batch[q]!;
      if (c < 0x30 || c > 0x39 || fraction === 6) return -1;
      if (fraction < 3) out[w++] = c;
      fraction++;
      q++;
    }
    if (fraction === 0) return -1;
  }
  for (let i = fraction; i < 3; i++) out[w++] = 0x30;
  out[w++] = 0x5a;
  if (q >= batch.length || batch[q] !== TAB) return -1;
  scratch.length = w;
  return q + 1;
}
