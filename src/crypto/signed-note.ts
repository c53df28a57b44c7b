// C2SP signed notes (c2sp.org/signed-note) with Ed25519 signatures (type 0x01) and timestamped
// Ed25519 cosignatures (type 0x04, c2sp.org/tlog-cosignature), byte for byte as the Go reference
// (golang.org/x/mod/sumdb/note) writes them, so that transparency-log tooling reads what we sign.
import { createHash, createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import type { Jwk } from './node-keys.ts';

export const SIG_ED25519 = 0x01;
export const SIG_COSIGNATURE_V1 = 0x04;
const EM_DASH = '\u2014';
/** At least 16 signatures must be accepted; more than this is refused as junk. */
const MAX_SIGNATURES = 64;
const MAX_NOTE_BYTES = 64 * 1024;

export type NoteSignature = { name: string; keyId: Buffer; signature: Buffer };
export type Note = { text: string; signatures: NoteSignature[] };

/** An Ed25519 key as a note signer or verifier knows it: its key name and raw 32-byte public key. */
export type NoteKey = { name: string; publicKey: Buffer };

export class NoteFormatError extends Error {
  readonly code = 'ERR_NOTE_FORMAT';
}

/** key ID = SHA-256(key name || 0x0A || signature type || public key)[:4] */
export function noteKeyId(name: string, type: number, publicKey: Uint8Array): Buffer {
  return createHash('sha256')
    .update(Buffer.from(`${name}\n`, 'utf8'))
    .update(Buffer.of(type))
    .update(publicKey)
    .digest()
    .subarray(0, 4);
}

/** The raw 32-byte Ed25519 public key of a JWK (private or public). */
export function rawEd25519(jwk: Jwk): Buffer {
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string')
    throw new NoteFormatError('signed notes need an Ed25519 key');
  return Buffer.from(jwk.x, 'base64url');
}

/** A private Ed25519 key from a JWK, or from a raw 32-byte seed (the Go note format's private keys). */
export function ed25519PrivateKey(key: Jwk | Uint8Array): KeyObject {
  if (key instanceof Uint8Array) {
    // PKCS#8 prefix of an Ed25519 private key, followed by the 32-byte seed.
    const der = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), key]);
    return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  }
  return createPrivateKey({ key: key as JsonWebKey, format: 'jwk' });
}

/** The raw public key of a private Ed25519 key. */
export function publicKeyOf(privateKey: KeyObject): Buffer {
  return rawEd25519(createPublicKey(privateKey).export({ format: 'jwk' }) as Jwk);
}

function ed25519Public(raw: Uint8Array): KeyObject {
  return createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(raw).toString('base64url') },
    format: 'jwk',
  });
}

function checkName(name: string): void {
  if (name.length === 0 || /[\s+]/u.test(name)) throw new NoteFormatError(`bad key name '${name}'`);
}

function checkText(text: string): void {
  if (!text.endsWith('\n')) throw new NoteFormatError('a note text ends with a newline');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the format forbids control characters
  if (/[\u0000-\u0009\u000b-\u001f]/.test(text))
    throw new NoteFormatError('a note has no control characters');
}

/** One signature line: `— <name> base64(key ID || signature)`, with its newline. */
export function signatureLine(sig: NoteSignature): string {
  return `${EM_DASH} ${sig.name} ${Buffer.concat([sig.keyId, sig.signature]).toString('base64')}\n`;
}

/** The whole note: text, a blank line, the signature lines. */
export function formatNote(note: Note): string {
  return `${note.text}\n${note.signatures.map(signatureLine).join('')}`;
}

/** An Ed25519 note signature (type 0x01) over the text. */
export function signNoteText(text: string, name: string, privateKey: KeyObject): NoteSignature {
  checkName(name);
  checkText(text);
  return {
    name,
    keyId: noteKeyId(name, SIG_ED25519, publicKeyOf(privateKey)),
    signature: sign(null, Buffer.from(text, 'utf8'), privateKey),
  };
}

/** Parses signature lines (a whole note's tail, or the body a witness answers). */
export function parseSignatureLines(lines: string): NoteSignature[] {
  if (lines.length === 0 || !lines.endsWith('\n'))
    throw new NoteFormatError('signature lines end with a newline');
  const signatures: NoteSignature[] = [];
  for (const line of lines.slice(0, -1).split('\n')) {
    const match = /^\u2014 (\S+) ([A-Za-z0-9+/]+={0,2})$/u.exec(line);
    if (!match) throw new NoteFormatError('malformed signature line');
    const bytes = Buffer.from(match[2]!, 'base64');
    if (bytes.length < 5 || bytes.toString('base64') !== match[2])
      throw new NoteFormatError('malformed signature');
    signatures.push({ name: match[1]!, keyId: bytes.subarray(0, 4), signature: bytes.subarray(4) });
    if (signatures.length > MAX_SIGNATURES) throw new NoteFormatError('too many signatures');
  }
  return signatures;
}

/** Splits a signed note into its text and signatures; the text ends at the last blank line. */
export function parseNote(note: string): Note {
  if (Buffer.byteLength(note, 'utf8') > MAX_NOTE_BYTES) throw new NoteFormatError('the note is too large');
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw new NoteFormatError('a signed note has a blank line before its signatures');
  const text = note.slice(0, split + 1);
  checkText(text);
  return { text, signatures: parseSignatureLines(note.slice(split + 2)) };
}

const matches = (sig: NoteSignature, name: string, keyId: Buffer) =>
  sig.name === name && sig.keyId.equals(keyId);

/**
 * Whether the note carries a valid Ed25519 signature by one of `keys`. Signatures of other keys are
 * ignored, as the format requires; a signature of a known key that fails makes the whole note fail.
 */
export function verifyNoteSignature(note: Note, keys: readonly NoteKey[]): boolean {
  let verified = false;
  const message = Buffer.from(note.text, 'utf8');
  for (const key of keys) {
    const keyId = noteKeyId(key.name, SIG_ED25519, key.publicKey);
    for (const sig of note.signatures) {
      if (!matches(sig, key.name, keyId)) continue;
      if (sig.signature.length !== 64 || !verify(null, message, ed25519Public(key.publicKey), sig.signature))
        return false;
      verified = true;
    }
  }
  return verified;
}

function cosignedMessage(text: string, timestamp: bigint): Buffer {
  return Buffer.from(`cosignature/v1\ntime ${timestamp}\n${text}`, 'utf8');
}

/** A timestamped Ed25519 cosignature (type 0x04): key ID || u64 timestamp (big-endian) || signature. */
export function cosignNoteText(text: string, name: string, privateKey: KeyObject, at: Date): NoteSignature {
  checkName(name);
  checkText(text);
  const timestamp = BigInt(Math.floor(at.getTime() / 1000));
  const stamp = Buffer.alloc(8);
  stamp.writeBigUInt64BE(timestamp);
  return {
    name,
    keyId: noteKeyId(name, SIG_COSIGNATURE_V1, publicKeyOf(privateKey)),
    signature: Buffer.concat([stamp, sign(null, cosignedMessage(text, timestamp), privateKey)]),
  };
}

/** The time of the first valid cosignature by one of `keys`, or null when there is none. */
export function verifyCosignature(note: Note, keys: readonly NoteKey[]): { key: NoteKey; at: Date } | null {
  for (const key of keys) {
    const keyId = noteKeyId(key.name, SIG_COSIGNATURE_V1, key.publicKey);
    for (const sig of note.signatures) {
      if (!matches(sig, key.name, keyId) || sig.signature.length !== 72) continue;
      const timestamp = sig.signature.readBigUInt64BE(0);
      if (timestamp > 2n ** 63n - 1n) continue;
      if (
        verify(
          null,
          cosignedMessage(note.text, timestamp),
          ed25519Public(key.publicKey),
          sig.signature.subarray(8),
        )
      )
        return { key, at: new Date(Number(timestamp) * 1000) };
    }
  }
  return null;
}
