// The trust anchors of the directory: the publisher keys (Ed25519) whose signature makes a directory
// document acceptable. Configured as JSON, inline or in a file: one key, a JWK set, or a list of
// entries with a validity period and an optional revocation date.
import { existsSync, readFileSync } from 'node:fs';

export type PublisherKey = {
  kid: string;
  publicJwk: { kty: string; crv?: string; x?: string; kid?: string };
  validFrom?: string;
  validUntil?: string;
  revokedAt?: string;
};

type Raw = Record<string, unknown>;

function asKey(value: unknown, where: string): PublisherKey {
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new Error(
      `${where}: must be a JSON object (a public JWK, or { kid, publicJwk, validFrom, validUntil, revokedAt })`,
    );
  const raw = value as Raw;
  const wrapped = raw.publicJwk !== undefined;
  const jwk = (wrapped ? raw.publicJwk : raw) as Raw;
  if (!jwk || typeof jwk !== 'object') throw new Error(`${where}.publicJwk: must be a JWK`);
  if (jwk.d !== undefined) throw new Error(`${where}: holds a private key ("d"); give the public key only`);
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string')
    throw new Error(`${where}: must be an Ed25519 public key (kty OKP, crv Ed25519, x)`);
  const kid = (wrapped ? raw.kid : undefined) ?? jwk.kid;
  if (typeof kid !== 'string' || kid === '') throw new Error(`${where}: needs a kid`);
  const key: PublisherKey = { kid, publicJwk: { kty: 'OKP', crv: 'Ed25519', x: jwk.x, kid } };
  for (const field of ['validFrom', 'validUntil', 'revokedAt'] as const) {
    const v = wrapped ? raw[field] : undefined;
    if (v === undefined) continue;
    if (typeof v !== 'string' || Number.isNaN(Date.parse(v)))
      throw new Error(`${where}.${field}: must be an ISO date-time`);
    key[field] = v;
  }
  return key;
}

/** Parses the JSON of the trust anchors; throws an Error naming the problem. */
export function parsePublisherKeys(text: string): PublisherKey[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`not JSON (${(error as Error).message})`);
  }
  const list: unknown[] = Array.isArray(value)
    ? value
    : value && typeof value === 'object' && Array.isArray((value as Raw).keys)
      ? ((value as Raw).keys as unknown[])
      : [value];
  if (list.length === 0) throw new Error('lists no key');
  return list.map((k, i) => asKey(k, `key ${i + 1}`));
}

/** The setting is the JSON itself, or the path of a file that holds it. */
export function readPublisherKeys(setting: string): PublisherKey[] {
  const trimmed = setting.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return parsePublisherKeys(trimmed);
  if (!existsSync(trimmed)) throw new Error(`no such file ${trimmed}`);
  return parsePublisherKeys(readFileSync(trimmed, 'utf8'));
}
