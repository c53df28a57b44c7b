-- The audit log's seal (src/audit/audit-seal.ts): an HMAC of the state row's size, chain head and
-- Merkle root under a key derived from the node's key secret, which is never in the database. Null
-- until the first start with the secret seals the log (an entry 'audit.log_sealed' records it for a
-- log written before).
ALTER TABLE "audit_state" ADD COLUMN "seal" text;
