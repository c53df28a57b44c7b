// What a forger with write access to the database can recompute: the leaf hash of a rewritten entry.
// Only the chain and the signed tree heads can then tell the rewrite.
import { sql } from 'drizzle-orm';
import { auditLeafHash, nextChainHash } from '../../src/audit/audit-entry.ts';
import { auditSealKey, sealOf } from '../../src/audit/audit-seal.ts';
import type { AuditEntryRow } from '../../src/audit/verify-audit.ts';
import { appendLeaf, emptyFrontier, frontierRoot } from '../../src/crypto/merkle.ts';
import { type Db, rowsOf } from '../../src/store/database.ts';

/** The leaf hash of the row's entry with its actor rewritten to 'forger'. */
export function forgedLeaf(row: AuditEntryRow): string {
  return auditLeafHash({
    seq: Number(row.seq),
    at: new Date(row.at),
    actor: 'forger',
    action: row.action,
    objectType: row.object_type,
    objectId: row.object_id,
    payloadHash: row.payload_hash,
  });
}

/**
 * What a forger with write access does after any edit of audit_entries: recompute every leaf hash from
 * the row's fields, the hash chain, and the state row (size, Merkle frontier, chain head), so that the
 * rows, the chain and the state agree again. Only what lies outside the database can then tell: the
 * witnesses, and the seal of the node's key secret — unless `sealKey` is given (a forger who holds it).
 */
export async function resealLog(db: Db, sealKey?: Buffer): Promise<number> {
  const rows = rowsOf<AuditEntryRow>(
    await db.execute(sql`SELECT seq, at, actor, action, object_type, object_id, payload_hash, leaf_hash, chain_hash
      FROM audit_entries ORDER BY seq`),
  );
  let chain = '';
  let frontier = emptyFrontier();
  for (const row of rows) {
    const leaf = auditLeafHash({
      seq: Number(row.seq),
      at: new Date(row.at),
      actor: row.actor,
      action: row.action,
      objectType: row.object_type,
      objectId: row.object_id,
      payloadHash: row.payload_hash,
    });
    chain = nextChainHash(chain, leaf);
    frontier = appendLeaf(frontier, Buffer.from(leaf, 'hex'));
    if (leaf !== row.leaf_hash || chain !== row.chain_hash)
      await db.execute(
        sql`UPDATE audit_entries SET leaf_hash = ${leaf}, chain_hash = ${chain} WHERE seq = ${Number(row.seq)}`,
      );
  }
  await db.execute(sql`UPDATE audit_state SET size = ${rows.length},
    frontier = ${JSON.stringify(frontier)}::jsonb, chain_head = ${chain} WHERE id = 1`);
  // Only someone who also holds the node's key secret can seal what they wrote.
  if (sealKey)
    await db.execute(
      sql`UPDATE audit_state SET seal = ${sealOf(sealKey, rows.length, chain, frontierRoot(frontier).toString('hex'))} WHERE id = 1`,
    );
  return rows.length;
}

/** Deletes entry `seq` and numbers the ones after it down by one, as if it had never been. */
export async function deleteAndRenumber(db: Db, seq: number): Promise<void> {
  await db.execute(sql`DELETE FROM audit_entries WHERE seq = ${seq}`);
  // Through negative numbers: the primary key forbids a transient duplicate.
  await db.execute(sql`UPDATE audit_entries SET seq = -seq WHERE seq > ${seq}`);
  await db.execute(sql`UPDATE audit_entries SET seq = -seq - 1 WHERE seq < 0`);
}

/** A forged entry appended after the last one (reseal afterwards). */
export async function appendForged(db: Db, action = 'forged.entry'): Promise<void> {
  await db.execute(sql`INSERT INTO audit_entries (seq, at, actor, action, object_type, object_id, payload_hash, leaf_hash, chain_hash)
    SELECT coalesce(max(seq), 0) + 1, now(), 'forger', ${action}, 'nothing', 'none', ${'0'.repeat(64)}, '', '' FROM audit_entries`);
}

/** Removes every trace inside the database of what was signed or cosigned above `size`. */
export async function deleteHeadsAbove(db: Db, size: number): Promise<void> {
  await db.execute(sql`DELETE FROM audit_tree_heads WHERE tree_size > ${size}`);
  await db.execute(sql`DELETE FROM audit_cosignatures WHERE tree_size > ${size}`);
}

/**
 * Empties the log as a test's setup does, as the node's key holder: the empty state carries the seal
 * of the handle's key (src/audit/audit-seal.ts), so appends through that handle go on. `heads`: the
 * signed tree heads go too.
 */
export async function emptyAuditLog(db: Db, heads = true): Promise<void> {
  await db.execute(heads ? sql`TRUNCATE audit_entries, audit_tree_heads` : sql`TRUNCATE audit_entries`);
  const key = auditSealKey(db);
  const empty = emptyFrontier();
  const seal = key ? sealOf(key, 0, '', frontierRoot(empty).toString('hex')) : null;
  await db.execute(sql`UPDATE audit_state SET size = 0, frontier = ${JSON.stringify(empty)}::jsonb,
    chain_head = '', seal = ${seal} WHERE id = 1`);
}
