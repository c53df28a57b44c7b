// Cosigned checkpoints of this node's log: from witnesses' answers, from receipts, from the witnesses
// themselves on demand. Each is kept only once this node's own signature and the witness's cosignature
// both verify, so a row a database writer made up is worth nothing (verification re-checks them anyway).
import { desc, eq } from 'drizzle-orm';
import type { Jwk } from '../crypto/node-keys.ts';
import type { DirectoryDocument } from '../domain/directory/index.ts';
import { findPeer, type Peer } from '../federation/peers.ts';
import type { Db } from '../store/database.ts';
import { auditCosignatures } from '../store/schema/index.ts';
import { type Checkpoint, cosignersOf, readCheckpoint } from './checkpoint.ts';

export const WITNESS_ADD_PATH = '/federation/v1/witness/add-checkpoint';
export const WITNESS_LOGS_PATH = '/federation/v1/witness/logs';
const FETCH_TIMEOUT_MS = 5_000;

/** A checkpoint of this node's log that a witness (or an auditor's file) vouches for. */
export type WitnessedCheckpoint = Checkpoint & { source: string; note: string };

/** The partner nodes that witness this node's log: every other node the directory lists (or those named). */
export function witnessPeers(
  document: DirectoryDocument | null,
  self: string,
  now: Date,
  only?: readonly string[],
): Peer[] {
  if (!document) return [];
  const peers: Peer[] = [];
  for (const party of document.parties) {
    if (party.code === self || (only && only.length > 0 && !only.includes(party.code))) continue;
    const peer = findPeer(document, party.code, now);
    if (peer && peer.signingKeys.length > 0) peers.push(peer);
  }
  return peers;
}

/**
 * Reads a cosigned checkpoint of `self`'s log by `witness`: null unless this node's signature (with any of
 * `ownKeys`) and the witness's cosignature (with `witnessKeys`) both verify.
 */
export function readCosigned(
  note: string,
  self: string,
  ownKeys: readonly Jwk[],
  witness: string,
  witnessKeys: readonly Jwk[],
): (WitnessedCheckpoint & { cosignedAt: Date }) | null {
  try {
    const cp = readCheckpoint(note, self, ownKeys);
    const [cosigned] = cosignersOf(cp.note, [{ state: witness, keys: witnessKeys }]);
    if (!cosigned) return null;
    return {
      origin: cp.origin,
      size: cp.size,
      rootHash: cp.rootHash,
      note,
      source: `witness ${witness}`,
      cosignedAt: cosigned.at,
    };
  } catch {
    return null;
  }
}

/** Keeps a cosigned checkpoint (verified by readCosigned); true when it was new. */
export async function keepCosigned(
  db: Db,
  witness: string,
  cp: WitnessedCheckpoint & { cosignedAt: Date },
  now: Date,
): Promise<boolean> {
  const inserted = await db
    .insert(auditCosignatures)
    .values({
      witness,
      treeSize: cp.size,
      rootHash: cp.rootHash,
      note: cp.note,
      cosignedAt: cp.cosignedAt,
      receivedAt: now,
    })
    .onConflictDoNothing()
    .returning({ size: auditCosignatures.treeSize });
  return inserted.length > 0;
}

/** The largest size `witness` cosigned for this node, from what this node kept (0 when none). */
export async function lastCosignedSize(db: Db, witness: string): Promise<number> {
  const [row] = await db
    .select({ size: auditCosignatures.treeSize })
    .from(auditCosignatures)
    .where(eq(auditCosignatures.witness, witness))
    .orderBy(desc(auditCosignatures.treeSize))
    .limit(1);
  return row?.size ?? 0;
}

/** The newest cosigned checkpoint kept for each witness, re-verified. */
export async function keptCosigned(
  db: Db,
  self: string,
  ownKeys: readonly Jwk[],
  peers: readonly Peer[],
): Promise<WitnessedCheckpoint[]> {
  const found: WitnessedCheckpoint[] = [];
  for (const peer of peers) {
    const [row] = await db
      .select({ note: auditCosignatures.note })
      .from(auditCosignatures)
      .where(eq(auditCosignatures.witness, peer.party))
      .orderBy(desc(auditCosignatures.treeSize))
      .limit(1);
    const cp = row && readCosigned(row.note, self, ownKeys, peer.party, peer.signingKeys);
    if (cp) found.push(cp);
  }
  return found;
}

/** Asks each witness for the newest checkpoint of this node's log it cosigned; unreachable ones are named. */
export async function fetchCosigned(
  self: string,
  ownKeys: readonly Jwk[],
  peers: readonly Peer[],
): Promise<{ found: (WitnessedCheckpoint & { cosignedAt: Date })[]; unreachable: string[] }> {
  const found: (WitnessedCheckpoint & { cosignedAt: Date })[] = [];
  const unreachable: string[] = [];
  await Promise.all(
    peers.map(async (peer) => {
      try {
        const response = await fetch(`${peer.url}${WITNESS_LOGS_PATH}/${encodeURIComponent(self)}`, {
          signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
        });
        if (response.status === 404) return;
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const cp = readCosigned(await response.text(), self, ownKeys, peer.party, peer.signingKeys);
        if (cp) found.push(cp);
        else unreachable.push(peer.party);
      } catch {
        unreachable.push(peer.party);
      }
    }),
  );
  return { found, unreachable };
}
