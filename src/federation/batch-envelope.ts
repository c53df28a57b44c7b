// The envelope of a batch: the compact JWS of each message, signed exactly as for a single delivery,
// listed in one JSON document encrypted once (compact JWE, ECDH-ES X25519, A256GCM) to the
// recipient: one key agreement for the whole batch instead of one per message. The JWE protected
// header carries the batch id, sender, recipient and count for routing.
import type { Jwk } from '../crypto/node-keys.ts';
import { type BatchRoute, MAX_BATCH_MESSAGES } from '../domain/federation/index.ts';
import { PeerEnvelopeError } from './federation-errors.ts';
import { decryptFor, encryptTo } from './jwe.ts';

export const BATCH_JWE_TYPE = 'hanoi247-batch+jwe';

export type OpenedBatch = { route: BatchRoute; messages: string[] };

/** The bytes a batch of these signed messages takes once encrypted (base64url of the JSON, plus headers). */
export function batchEnvelopeBytes(jwsLengths: readonly number[]): number {
  const json = jwsLengths.reduce((sum, n) => sum + n + 3, 16);
  return Math.ceil((json * 4) / 3) + 1024;
}

/** Encrypts already signed messages (compact JWS) as one batch to the recipient's key. */
export async function sealBatch(
  route: BatchRoute,
  messages: readonly string[],
  recipientKey: Jwk,
): Promise<string> {
  return encryptTo(JSON.stringify({ messages }), recipientKey, BATCH_JWE_TYPE, route);
}

/** Decrypts a batch with one of our keys; a malformed, truncated or altered batch is refused whole. */
export async function openBatch(jwe: string, ownKeys: readonly Jwk[]): Promise<OpenedBatch> {
  const { header, plaintext } = await decryptFor(jwe, ownKeys, {
    encrypted: 'batch',
    decrypts: 'batch',
    typ: BATCH_JWE_TYPE,
  });
  const route = header.h247 as Partial<BatchRoute> | undefined;
  if (
    !route ||
    typeof route.batch !== 'string' ||
    typeof route.from !== 'string' ||
    typeof route.to !== 'string' ||
    typeof route.count !== 'number'
  )
    throw new PeerEnvelopeError('The batch header lacks batch, from, to and count (h247).');
  let messages: unknown;
  try {
    messages = (JSON.parse(Buffer.from(plaintext).toString('utf8')) as { messages?: unknown }).messages;
  } catch {
    throw new PeerEnvelopeError('The batch does not hold a JSON document.');
  }
  if (!Array.isArray(messages) || !messages.every((m) => typeof m === 'string'))
    throw new PeerEnvelopeError('A batch holds { messages: [compact JWS, ...] }.');
  if (messages.length === 0 || messages.length > MAX_BATCH_MESSAGES)
    throw new PeerEnvelopeError(`A batch holds from 1 to ${MAX_BATCH_MESSAGES} messages.`);
  if (messages.length !== route.count)
    throw new PeerEnvelopeError(
      `The batch header counts ${route.count} messages; the batch holds ${messages.length}.`,
    );
  return {
    route: { batch: route.batch, from: route.from, to: route.to, count: route.count },
    messages: messages as string[],
  };
}
