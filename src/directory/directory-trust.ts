// Whether a stored directory version may still be used: its signed document (kept as received) is
// verified again against the trust anchors of now. Anchors change (a publisher key revoked, removed
// from the configuration, or past its validity) and time passes (the document's own validUntil), so
// a version that verified at its import may no longer verify; the node then refuses to use it.
import { canonicalJson, sha256Hex } from '../crypto/hash.ts';
import { validateDirectory } from '../domain/directory/index.ts';
import { AppError } from '../shared/errors.ts';
import type { PublisherKey } from './publisher-keys.ts';
import { DirectoryTrustError, verifySignedDirectory } from './signed-directory.ts';

export type StoredVersion = {
  id: number;
  sha256: string;
  document: unknown;
  signedJws: string | null;
  publisherKid: string | null;
};

/** ok: usable until `usableUntil` (epoch ms; null: no end); otherwise the refusal code and why. */
export type TrustVerdict =
  | { ok: true; usableUntil: number | null }
  | { ok: false; code: string; reason: string };

/** The directory in force is refused: nothing that needs it is done until a newer one is imported. */
export class DirectoryUntrustedError extends AppError {
  constructor(version: number, publisherKid: string | null, code: string, reason: string) {
    super(
      'ERR_DIRECTORY_UNTRUSTED',
      503,
      `The directory in force (version ${version}${publisherKid ? `, signed by ${publisherKid}` : ''}) no longer verifies against this node's trust anchors: ${reason} Import or fetch a newer signed directory (\`hanoi247 directory import\`, \`hanoi247 directory fetch\`).`,
      { version, reason: code },
    );
  }

  /** The error for a stored version whose refusal was recorded. */
  static ofRefused(row: RefusedVersion): DirectoryUntrustedError {
    return new DirectoryUntrustedError(
      row.id,
      row.publisherKid,
      row.refusedCode ?? 'ERR_DIRECTORY_UNTRUSTED',
      row.refusedReason ?? '',
    );
  }
}

/** The columns of a directory version that record a refusal. */
export type RefusedVersion = {
  id: number;
  publisherKid: string | null;
  refusedCode: string | null;
  refusedReason: string | null;
};

/** Verifies a stored version against `anchors` at `now`. Without anchors every version is usable. */
export async function checkStoredVersion(
  row: StoredVersion,
  anchors: readonly PublisherKey[],
  now: Date,
): Promise<TrustVerdict> {
  if (anchors.length === 0) return { ok: true, usableUntil: null };
  if (!row.signedJws)
    return {
      ok: false,
      code: 'ERR_DIRECTORY_UNSIGNED',
      reason: 'this node trusts only signed directories, and this version was stored without its signature.',
    };
  let verified: Awaited<ReturnType<typeof verifySignedDirectory>>;
  try {
    verified = await verifySignedDirectory(row.signedJws, anchors, now);
  } catch (error) {
    if (error instanceof DirectoryTrustError) return { ok: false, code: error.code, reason: error.message };
    throw error;
  }
  // The document in use must be the one the signature covers: a row changed in the database is refused.
  const checked = validateDirectory(verified.document);
  if (
    !checked.ok ||
    sha256Hex(canonicalJson(checked.value)) !== row.sha256 ||
    sha256Hex(canonicalJson(row.document)) !== row.sha256
  )
    return {
      ok: false,
      code: 'ERR_DIRECTORY_SIGNATURE',
      reason: 'the stored document is not the one its signature covers.',
    };
  const anchor = anchors.find((a) => a.kid === verified.publisherKid)!;
  const ends = [anchor.revokedAt, anchor.validUntil, checked.value.validUntil]
    .filter((v): v is string => typeof v === 'string')
    .map((v) => Date.parse(v));
  return { ok: true, usableUntil: ends.length > 0 ? Math.min(...ends) : null };
}
