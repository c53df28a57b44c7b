// A node's key set: Ed25519 for signatures (JWS, EdDSA) and X25519 for encryption (JWE, ECDH-ES).
// Private keys are only ever stored encrypted under the operator's secret.
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  randomBytes,
  scrypt as scryptCallback,
} from 'node:crypto';
import { promisify } from 'node:util';
import {
  CompactSign,
  type CryptoKey,
  calculateJwkThumbprint,
  compactVerify,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
} from 'jose';

export type Jwk = JWK & { kid?: string };
export type KeyPairJwk = { kid: string; privateJwk: Jwk; publicJwk: Jwk };
export type NodeKeys = { signing: KeyPairJwk; encryption: KeyPairJwk };

/** What is stored at rest: the private keys sealed with AES-256-GCM under a key derived by scrypt. */
export type EncryptedKeyFile = {
  version: 1;
  kdf: { name: 'scrypt'; salt: string; N: number; r: number; p: number };
  cipher: 'aes-256-gcm';
  iv: string;
  tag: string;
  ciphertext: string;
};

export class WrongKeySecretError extends Error {
  readonly code = 'ERR_WRONG_KEY_SECRET';
  constructor() {
    super("The key secret does not unlock this node's private keys (wrong HANOI247_KEY_SECRET?).");
  }
}

export class SignatureError extends Error {
  readonly code = 'ERR_SIGNATURE';
}

const scrypt = promisify(scryptCallback) as (
  pw: string,
  salt: Buffer,
  len: number,
  o: object,
) => Promise<Buffer>;
// N=2^15 costs ~100 ms: paid once at start, and enough to slow down guessing a stolen key file.
const KDF = { N: 2 ** 15, r: 8, p: 1 };

async function makePair(
  alg: 'EdDSA' | 'ECDH-ES',
  crv: 'Ed25519' | 'X25519',
  use: 'sig' | 'enc',
): Promise<KeyPairJwk> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { crv, extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const alg2 = alg === 'EdDSA' ? 'EdDSA' : 'ECDH-ES';
  return {
    kid,
    publicJwk: { ...publicJwk, kid, use, alg: alg2 },
    privateJwk: { ...(await exportJWK(privateKey)), kid, use, alg: alg2 },
  };
}

/** A fresh key set; each key's id is its RFC 7638 thumbprint. */
export async function generateNodeKeys(): Promise<NodeKeys> {
  return {
    signing: await makePair('EdDSA', 'Ed25519', 'sig'),
    encryption: await makePair('ECDH-ES', 'X25519', 'enc'),
  };
}

async function deriveKey(
  secret: string,
  salt: Buffer,
  params: { N: number; r: number; p: number },
): Promise<Buffer> {
  return scrypt(secret, salt, 32, { ...params, maxmem: 256 * params.N * params.r });
}

export async function encryptPrivateKeys(keys: NodeKeys, secret: string): Promise<EncryptedKeyFile> {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const key = await deriveKey(secret, salt, KDF);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(keys), 'utf8'), cipher.final()]);
  return {
    version: 1,
    kdf: { name: 'scrypt', salt: salt.toString('base64url'), ...KDF },
    cipher: 'aes-256-gcm',
    iv: iv.toString('base64url'),
    tag: cipher.getAuthTag().toString('base64url'),
    ciphertext: ciphertext.toString('base64url'),
  };
}

export type KdfParams = EncryptedKeyFile['kdf'];

// Derivations started ahead of the key file being read (see deriveAhead), each taken once.
const ahead = new Map<string, Promise<Buffer>>();

function aheadKey(secret: string, kdf: KdfParams): string {
  // The secret's hash, not the secret: map keys end up in heap snapshots as readily as values.
  const id = createHash('sha256').update(secret).digest('base64url');
  return `${id}:${kdf.salt}:${kdf.N}:${kdf.r}:${kdf.p}`;
}

/**
 * Starts the derivation of the key of a key file whose salt and parameters are known before the file
 * itself can be read (a node's start: the file is in its database, which boots meanwhile). The
 * derivation runs on libuv's threads; decryptPrivateKeys takes it when the file's are the same.
 */
export function deriveAhead(secret: string, kdf: KdfParams): void {
  const key = aheadKey(secret, kdf);
  if (ahead.has(key)) return;
  const derivation = deriveKey(secret, Buffer.from(kdf.salt, 'base64url'), kdf);
  derivation.catch(() => {});
  ahead.set(key, derivation);
}

/** How many derivations started ahead are not taken yet. */
export function derivationsAhead(): number {
  return ahead.size;
}

function takeAhead(secret: string, kdf: KdfParams): Promise<Buffer> | undefined {
  const key = aheadKey(secret, kdf);
  const derivation = ahead.get(key);
  ahead.delete(key);
  return derivation;
}

export async function decryptPrivateKeys(file: EncryptedKeyFile, secret: string): Promise<NodeKeys> {
  const key = await (takeAhead(secret, file.kdf) ??
    deriveKey(secret, Buffer.from(file.kdf.salt, 'base64url'), file.kdf));
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(file.iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(file.tag, 'base64url'));
  try {
    const plain = Buffer.concat([
      decipher.update(Buffer.from(file.ciphertext, 'base64url')),
      decipher.final(),
    ]);
    return JSON.parse(plain.toString('utf8')) as NodeKeys;
  } catch {
    throw new WrongKeySecretError();
  }
}

// Importing a JWK costs more than an Ed25519 signature; keys are reused for every message.
const imported = new Map<string, Promise<CryptoKey | Uint8Array>>();
function keyFor(jwk: Jwk, alg: string): Promise<CryptoKey | Uint8Array> {
  const cacheKey = `${alg}:${jwk.kid ?? ''}:${jwk.x ?? ''}:${jwk.d ? 'private' : 'public'}`;
  let key = imported.get(cacheKey);
  if (!key) {
    key = importJWK(jwk, alg);
    imported.set(cacheKey, key);
  }
  return key;
}

/** A compact JWS (EdDSA) over the JSON of `payload`, with the signer's kid in the protected header. */
export async function signJson(
  payload: unknown,
  privateJwk: Jwk,
  header: Record<string, unknown> = {},
): Promise<string> {
  const key = await keyFor(privateJwk, 'EdDSA');
  return new CompactSign(Buffer.from(JSON.stringify(payload), 'utf8'))
    .setProtectedHeader({ ...header, alg: 'EdDSA', kid: privateJwk.kid })
    .sign(key);
}

/** Verifies a compact JWS against the key named by its kid among `publicKeys`; returns the payload. */
export async function verifyJson(jws: string, publicKeys: readonly Jwk[]): Promise<unknown> {
  let kid: string | undefined;
  try {
    const header = decodeProtectedHeader(jws);
    if (header.alg !== 'EdDSA')
      throw new SignatureError(`unexpected signature algorithm ${String(header.alg)}`);
    kid = header.kid;
  } catch (err) {
    if (err instanceof SignatureError) throw err;
    throw new SignatureError('not a compact JWS');
  }
  const jwk = publicKeys.find((k) => k.kid === kid);
  if (!jwk) throw new SignatureError(`signed by an unknown key (${kid ?? 'no kid'})`);
  try {
    const { payload } = await compactVerify(jws, await keyFor(jwk, 'EdDSA'));
    return JSON.parse(Buffer.from(payload).toString('utf8'));
  } catch {
    throw new SignatureError(`the signature does not verify with key ${kid}`);
  }
}
