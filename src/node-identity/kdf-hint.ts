// The salts and scrypt parameters of the key sets a node unlocked at its last start, kept beside its
// embedded database (`<data folder>/key-kdf.json`). They are not secret (each sits next to its
// ciphertext in the database); knowing them before the database has booted lets the next start derive
// the keys meanwhile (deriveAhead) instead of after it: scrypt took 0.1-1 s of a restart on its own.
// A missing, stale or unreadable hint only means the derivation starts when the key file is read.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deriveAhead, type KdfParams } from '../crypto/node-keys.ts';

const HINT_FILE = 'key-kdf.json';

// Parameters past these are not the node's own (N = 2^15, r = 8, p = 1): not derived ahead.
function plausible(kdf: unknown): kdf is KdfParams {
  const k = kdf as Partial<KdfParams> | null;
  return (
    k?.name === 'scrypt' &&
    typeof k.salt === 'string' &&
    /^[\w-]{16,64}$/.test(k.salt) &&
    Number.isInteger(k.N) &&
    k.N! >= 2 &&
    k.N! <= 2 ** 17 &&
    Number.isInteger(k.r) &&
    k.r! >= 1 &&
    k.r! <= 16 &&
    Number.isInteger(k.p) &&
    k.p! >= 1 &&
    k.p! <= 4
  );
}

export function readKdfHint(dataDir: string): KdfParams[] {
  try {
    const parsed: unknown = JSON.parse(readFileSync(join(dataDir, HINT_FILE), 'utf8'));
    return Array.isArray(parsed) ? parsed.filter(plausible) : [];
  } catch {
    return [];
  }
}

/** Rewrites the hint when the key sets unlocked differ from it (a first start, a rotation). */
export function writeKdfHint(dataDir: string, kdfs: KdfParams[]): void {
  const text = JSON.stringify(kdfs.map(({ name, salt, N, r, p }) => ({ name, salt, N, r, p })));
  try {
    if (JSON.stringify(readKdfHint(dataDir)) === text) return;
    writeFileSync(join(dataDir, HINT_FILE), text);
  } catch {
    // Only a hint: the next start derives the keys when it has read them.
  }
}

/** Starts deriving the keys of the key sets named by the hint in `dataDir`, with the node's secret. */
export function unlockAhead(dataDir: string, secret: string | null): void {
  if (!secret) return;
  for (const kdf of readKdfHint(dataDir)) deriveAhead(secret, kdf);
}
