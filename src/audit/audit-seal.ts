// The audit log's seal: an HMAC over the log's state (size, chain head, Merkle root) keyed from the
// node's key secret (HANOI247_KEY_SECRET), which lives in the operator's configuration and never in
// the database. The chain head binds every entry before it, so one MAC over the state authenticates
// the whole log: someone who can write the database but does not hold the secret can recompute every
// hash of a rewritten, renumbered or appended entry, but not the seal. Every append checks the seal of
// the state it extends before it writes the next one (so a forgery is never sealed over), the start-up
// guard and tree-head signing check it, and `audit verify` checks it when it has the secret.
//
// What it does not cover: someone holding both the database and the secret; and a roll-back to an
// older state whose row (seal included) was copied earlier, with the entries after it deleted — the
// witnesses' cosigned checkpoints catch that for everything they have seen (README, Security).
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { AppError } from '../shared/errors.ts';
import type { Db } from '../store/database.ts';

/** The action of the one entry that records when a log written before seals existed was sealed. */
export const SEALED_ACTION = 'audit.log_sealed';

/** The seal key, derived from the node's key secret (HKDF-SHA-256, its own label). */
export function deriveAuditSealKey(keySecret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', keySecret, 'hanoi247/audit-seal', 'audit log state seal v1', 32));
}

/** The seal of one state of the log (hex). The label keeps it apart from any other MAC of the key. */
export function sealOf(key: Buffer, size: number, chainHead: string, rootHex: string): string {
  return createHmac('sha256', key)
    .update(`hanoi247 audit state v1\n${size}\n${chainHead}\n${rootHex}\n`)
    .digest('hex');
}

export function sealMatches(
  key: Buffer,
  seal: string | null,
  size: number,
  chainHead: string,
  rootHex: string,
): boolean {
  if (seal === null || !/^[0-9a-f]{64}$/.test(seal)) return false;
  return timingSafeEqual(Buffer.from(seal, 'hex'), Buffer.from(sealOf(key, size, chainHead, rootHex), 'hex'));
}

/** The log's state is not sealed by this node's secret: someone without it changed the log. */
export class AuditForgedError extends AppError {
  constructor(detail: string) {
    super(
      'ERR_AUDIT_FORGED',
      503,
      `The audit log's state does not carry this node's seal (${detail}): someone without the node's key secret appended, altered or removed entries. The node writes nothing until an administrator restores the log.`,
    );
  }
}

/** A sealed log written by a process that does not have the key secret: refused, never left unsealed. */
export class AuditSealKeyMissingError extends AppError {
  constructor() {
    super(
      'ERR_NO_KEY_SECRET',
      503,
      "This node's audit log is sealed with its key secret: set HANOI247_KEY_SECRET to run a command that writes.",
    );
  }
}

// Keyed by the database handle's Drizzle dialect: a transaction of a handle shares its dialect object,
// and appendAudit is given only the transaction. One process may run several nodes (the demo, tests).
const keys = new WeakMap<object, Buffer>();

function dialectOf(db: Db): object {
  return (db as unknown as { dialect: object }).dialect;
}

/** From now on appends through this handle (and its transactions) check and write the seal. */
export function enableAuditSeal(db: Db, key: Buffer): void {
  keys.set(dialectOf(db), key);
}

/** The seal key of this handle, or undefined where none was given (a process without the secret). */
export function auditSealKey(db: Db): Buffer | undefined {
  return keys.get(dialectOf(db));
}
