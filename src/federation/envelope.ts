// The envelope of a federation message: the header and body are signed (compact JWS, EdDSA) with
// the sender's key, then the JWS is encrypted (compact JWE, ECDH-ES with X25519, A256GCM) to the
// recipient's key. The JWE protected header repeats id, sender and recipient for routing; being
// authenticated by AES-GCM, it must agree with the signed header.
import { sha256Hex } from '../crypto/hash.ts';
import { type Jwk, SignatureError, verifyJson } from '../crypto/node-keys.ts';
import { type MessageHeader, parseHeader } from '../domain/federation/index.ts';
import { PeerEnvelopeError, PeerHeaderError, PeerSignatureError } from './federation-errors.ts';
import { decryptFor, encryptTo } from './jwe.ts';

export const JWE_TYPE = 'hanoi247-message+jwe';
export const JWS_TYPE = 'hanoi247-message+jws';

export type SignedMessage = { header: MessageHeader; body: unknown };
export type Sealed = { jwe: string; jws: string; payloadSha256: string };
export type Opened = { jws: string; payloadSha256: string; route: { id: string; from: string; to: string } };

/** Signs then encrypts; `signJws` signs the JSON with the sender's key (the keyring's or a test's). */
export async function sealMessage(
  message: SignedMessage,
  signJws: (payload: SignedMessage, header: Record<string, unknown>) => Promise<string>,
  recipientKey: Jwk,
): Promise<Sealed> {
  const jws = await signJws(message, { typ: JWS_TYPE });
  const { id, from, to } = message.header;
  const jwe = await encryptTo(jws, recipientKey, JWE_TYPE, { id, from, to });
  return { jwe, jws, payloadSha256: sha256Hex(jws) };
}

/** Decrypts with one of our encryption keys; a malformed, truncated or altered envelope is refused. */
export async function openEnvelope(jwe: string, ownKeys: readonly Jwk[]): Promise<Opened> {
  const { header: protectedHeader, plaintext } = await decryptFor(jwe, ownKeys, {
    encrypted: 'message',
    decrypts: 'envelope',
  });
  const route = protectedHeader.h247 as { id?: unknown; from?: unknown; to?: unknown } | undefined;
  if (
    !route ||
    typeof route.id !== 'string' ||
    typeof route.from !== 'string' ||
    typeof route.to !== 'string'
  )
    throw new PeerEnvelopeError('The envelope header lacks id, sender and recipient (h247).');
  const jws = Buffer.from(plaintext).toString('utf8');
  return { jws, payloadSha256: sha256Hex(jws), route: { id: route.id, from: route.from, to: route.to } };
}

/** The claimed sender, read before verification to pick the keys to verify with. */
export function claimedSender(jws: string): string {
  try {
    const part = jws.split('.')[1] ?? '';
    const payload = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as {
      header?: { from?: unknown };
    };
    if (typeof payload.header?.from === 'string') return payload.header.from;
  } catch {}
  throw new PeerHeaderError('The signed message names no sender (header.from).');
}

/** Verifies a signed message (compact JWS) with the sender's keys and reads its header. */
export async function verifySigned(jws: string, senderKeys: readonly Jwk[]): Promise<SignedMessage> {
  let payload: unknown;
  try {
    payload = await verifyJson(jws, senderKeys);
  } catch (error) {
    if (error instanceof SignatureError)
      throw new PeerSignatureError(`The message signature is not valid: ${error.message}.`);
    throw error;
  }
  const parsed = parseHeader((payload as { header?: unknown } | null)?.header);
  if (!parsed.ok) throw new PeerHeaderError(parsed.message);
  return { header: parsed.header, body: (payload as { body?: unknown }).body ?? null };
}

/** Verifies the signature with the sender's keys and checks the header agrees with the envelope. */
export async function verifyMessage(opened: Opened, senderKeys: readonly Jwk[]): Promise<SignedMessage> {
  const message = await verifySigned(opened.jws, senderKeys);
  const { header } = message;
  const { route } = opened;
  if (route.id !== header.id || route.from !== header.from || route.to !== header.to)
    throw new PeerHeaderError('The envelope header does not agree with the signed header.');
  return message;
}

/** The message id a signed message claims, read before verification (null when unreadable). */
export function claimedId(jws: string): string | null {
  try {
    const part = jws.split('.')[1] ?? '';
    const payload = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as {
      header?: { id?: unknown };
    };
    return typeof payload.header?.id === 'string' ? payload.header.id : null;
  } catch {
    return null;
  }
}
