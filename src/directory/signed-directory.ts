// A signed directory: the document as the payload of a compact JWS (EdDSA) by a publisher key.
// A node that has trust anchors accepts only such documents, from a publisher key it knows, in
// its validity and not revoked, and only while the document itself has not expired.

import { calculateJwkThumbprint, decodeProtectedHeader, exportJWK, generateKeyPair } from 'jose';
import { type Jwk, SignatureError, signJson, verifyJson } from '../crypto/node-keys.ts';
import { AppError } from '../shared/errors.ts';
import type { PublisherKey } from './publisher-keys.ts';

export const DIRECTORY_JWS_TYPE = 'hanoi247-directory+jws';

export class DirectoryTrustError extends AppError {
  constructor(code: string, message: string) {
    super(code, 400, message);
  }
}

/** Whether an import input is a signed directory: a compact JWS, or { jws } (the API's JSON body). */
export function signedForm(input: unknown): string | null {
  if (typeof input === 'string') return input.trim();
  if (input && typeof input === 'object' && !Array.isArray(input)) {
    const keys = Object.keys(input);
    const jws = (input as { jws?: unknown }).jws;
    if (keys.length === 1 && typeof jws === 'string') return jws.trim();
  }
  return null;
}

/** A new publisher key pair: the private JWK (kept offline) and the public trust anchor. */
export async function generatePublisherKey(now: Date): Promise<{ privateJwk: Jwk; anchor: PublisherKey }> {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  return {
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'EdDSA', use: 'sig' },
    anchor: {
      kid,
      publicJwk: { kty: 'OKP', crv: 'Ed25519', x: publicJwk.x!, kid },
      validFrom: now.toISOString(),
    },
  };
}

export async function signDirectory(document: unknown, privateJwk: Jwk): Promise<string> {
  return signJson(document, privateJwk, { typ: DIRECTORY_JWS_TYPE });
}

/** Verifies the signature against the trust anchors at `now`; returns the (not yet validated) document and the publisher. */
export async function verifySignedDirectory(
  jws: string,
  anchors: readonly PublisherKey[],
  now: Date,
): Promise<{ document: unknown; publisherKid: string }> {
  let kid: unknown;
  let typ: unknown;
  try {
    ({ kid, typ } = decodeProtectedHeader(jws));
  } catch {
    throw new DirectoryTrustError('ERR_DIRECTORY_SIGNATURE', 'The signed directory is not a compact JWS.');
  }
  if (typ !== DIRECTORY_JWS_TYPE)
    throw new DirectoryTrustError(
      'ERR_DIRECTORY_SIGNATURE',
      `The JWS is not a signed directory (typ ${String(typ)}).`,
    );
  const anchor = anchors.find((a) => a.kid === kid);
  if (!anchor)
    throw new DirectoryTrustError(
      'ERR_DIRECTORY_PUBLISHER_UNKNOWN',
      `The directory is signed by ${String(kid)}, which is not a publisher key this node trusts (HANOI247_DIRECTORY_PUBLISHER_KEYS).`,
    );
  const t = now.getTime();
  if (anchor.revokedAt && Date.parse(anchor.revokedAt) <= t)
    throw new DirectoryTrustError(
      'ERR_DIRECTORY_PUBLISHER_REVOKED',
      `The publisher key ${anchor.kid} was revoked on ${anchor.revokedAt}.`,
    );
  if (anchor.validUntil && Date.parse(anchor.validUntil) <= t)
    throw new DirectoryTrustError(
      'ERR_DIRECTORY_PUBLISHER_EXPIRED',
      `The publisher key ${anchor.kid} expired on ${anchor.validUntil}.`,
    );
  if (anchor.validFrom && Date.parse(anchor.validFrom) > t)
    throw new DirectoryTrustError(
      'ERR_DIRECTORY_PUBLISHER_EXPIRED',
      `The publisher key ${anchor.kid} is valid only from ${anchor.validFrom}.`,
    );
  let document: unknown;
  try {
    document = await verifyJson(jws, [anchor.publicJwk as Jwk]);
  } catch (error) {
    if (error instanceof SignatureError)
      throw new DirectoryTrustError(
        'ERR_DIRECTORY_SIGNATURE',
        `The directory signature is not valid: ${error.message}.`,
      );
    throw error;
  }
  const validUntil = (document as { validUntil?: unknown } | null)?.validUntil;
  if (typeof validUntil === 'string' && Date.parse(validUntil) <= t)
    throw new DirectoryTrustError(
      'ERR_DIRECTORY_EXPIRED',
      `The directory expired on ${validUntil}; ask the publisher for a newer one.`,
    );
  return { document, publisherKid: anchor.kid };
}
