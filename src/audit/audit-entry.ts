import { canonicalJson, payloadHash, sha256Hex } from '../crypto/hash.ts';
import { leafHash } from '../crypto/merkle.ts';

/** What a caller states about a change. The payload itself is never stored: only its hash. */
export type AuditInput = {
  actor: string;
  action: string;
  objectType: string;
  objectId: string;
  payload?: unknown;
};

/** The fields that are hashed into a leaf, as stored in a row. */
export type AuditLeafFields = {
  seq: number;
  at: Date;
  actor: string;
  action: string;
  objectType: string;
  objectId: string;
  payloadHash: string;
};

/** The RFC 9162 leaf hash of an entry: its fields in canonical JSON. */
export function auditLeafHash(fields: AuditLeafFields): string {
  return auditLeafHashBytes({ ...fields, at: fields.at.toISOString() }).toString('hex');
}

/**
 * The leaf hash from fields with the time already as an ISO string. The canonical JSON is written out
 * by hand, keys in sorted order, because verification hashes a million of these; a test proves it
 * equals canonicalJson of the same object.
 */
export function auditLeafHashBytes(fields: Omit<AuditLeafFields, 'at'> & { at: string }): Buffer {
  const s = JSON.stringify;
  const bytes = `{"action":${s(fields.action)},"actor":${s(fields.actor)},"at":${s(fields.at)},"objectId":${s(fields.objectId)},"objectType":${s(fields.objectType)},"payloadHash":${s(fields.payloadHash)},"seq":${s(fields.seq)}}`;
  return leafHash(Buffer.from(bytes, 'utf8'));
}

/** The canonical bytes the leaf hash covers, by the generic canonical JSON writer (used to cross-check). */
export function auditLeafCanonicalJson(fields: AuditLeafFields): string {
  return canonicalJson({
    seq: fields.seq,
    at: fields.at.toISOString(),
    actor: fields.actor,
    action: fields.action,
    objectType: fields.objectType,
    objectId: fields.objectId,
    payloadHash: fields.payloadHash,
  });
}

/** The running chain hash: each entry binds the one before it, so a reorder shows at its first row. */
export function nextChainHash(previousChainHash: string, leafHashHex: string): string {
  return sha256Hex(previousChainHash + leafHashHex);
}

export function hashPayload(payload: unknown): string {
  return payloadHash(payload === undefined ? null : payload);
}
