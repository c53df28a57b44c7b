// The encryption both envelopes use (one message, or a batch of signed messages): compact JWE,
// ECDH-ES with X25519 and A256GCM, to the recipient's key from the directory, with routing fields in
// the protected header (authenticated by AES-GCM, not signed).
import { CompactEncrypt, type CryptoKey, compactDecrypt, decodeProtectedHeader, importJWK } from 'jose';
import type { Jwk } from '../crypto/node-keys.ts';
import { PeerEnvelopeError, PeerRecipientError } from './federation-errors.ts';

// Importing a JWK costs more than the key agreement: keys are reused for every envelope.
const imported = new Map<string, Promise<CryptoKey | Uint8Array>>();
function importKey(jwk: Jwk): Promise<CryptoKey | Uint8Array> {
  const cacheKey = `${jwk.kid ?? ''}:${jwk.x ?? ''}:${jwk.d ? 'private' : 'public'}`;
  let key = imported.get(cacheKey);
  if (!key) {
    key = importJWK({ ...jwk, alg: 'ECDH-ES' }, 'ECDH-ES');
    imported.set(cacheKey, key);
  }
  return key;
}

/** Encrypts `plaintext` to the recipient's key, with `typ` and the routing fields `h247` in the header. */
export async function encryptTo(
  plaintext: string,
  recipientKey: Jwk,
  typ: string,
  h247: Record<string, unknown>,
): Promise<string> {
  return new CompactEncrypt(Buffer.from(plaintext, 'utf8'))
    .setProtectedHeader({ alg: 'ECDH-ES', enc: 'A256GCM', kid: recipientKey.kid, typ, h247 })
    .encrypt(await importKey(recipientKey));
}

export type Decrypted = { header: Record<string, unknown>; plaintext: Uint8Array };

/**
 * Decrypts with one of our keys; a malformed, truncated or altered envelope is refused. `names` words
 * the refusals: what is encrypted to another key, and what does not decrypt. With `typ`, an envelope
 * of another type is refused before any key is looked for.
 */
export async function decryptFor(
  jwe: string,
  ownKeys: readonly Jwk[],
  names: { encrypted: string; decrypts: string; typ?: string },
): Promise<Decrypted> {
  let header: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(jwe) as Record<string, unknown>;
  } catch {
    throw new PeerEnvelopeError('The body is not a compact JWE (it may be truncated).');
  }
  if (jwe.split('.').length !== 5)
    throw new PeerEnvelopeError('The body is not a compact JWE (it may be truncated).');
  if (header.alg !== 'ECDH-ES' || header.enc !== 'A256GCM')
    throw new PeerEnvelopeError('The envelope must use ECDH-ES with A256GCM.');
  if (names.typ !== undefined && header.typ !== names.typ)
    throw new PeerEnvelopeError(`A ${names.encrypted} is a JWE of type ${names.typ}.`);
  const key = ownKeys.find((k) => k.kid === header.kid);
  if (!key)
    throw new PeerRecipientError(
      `The ${names.encrypted} is encrypted to key ${String(header.kid)}, not to this node.`,
    );
  try {
    const { plaintext } = await compactDecrypt(jwe, await importKey(key), {
      keyManagementAlgorithms: ['ECDH-ES'],
      contentEncryptionAlgorithms: ['A256GCM'],
    });
    return { header, plaintext };
  } catch {
    throw new PeerEnvelopeError(
      `The ${names.decrypts} does not decrypt: it was altered or truncated in transit.`,
    );
  }
}
