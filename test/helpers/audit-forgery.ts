// What a forger with write access to the database can recompute: the leaf hash of a rewritten entry.
// Only the chain and the signed tree heads can then tell the rewrite.
import { auditLeafHash } from '../../src/audit/audit-entry.ts';
import type { AuditEntryRow } from '../../src/audit/verify-audit.ts';

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
