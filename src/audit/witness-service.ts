// This node as a witness of its partners' audit logs (c2sp.org/tlog-witness): a partner posts each
// new checkpoint with a consistency proof from the last one this node cosigned; this node checks the
// partner's signature (keys from the directory) and the proof, cosigns, and keeps the checkpoint.
// Two checkpoints of one partner that cannot both be true are kept for good as proof of a fork, and
// raise an alert (log, metric, audit entry, GET /api/v1/audit/witness/forks).
import { desc, eq } from 'drizzle-orm';
import type { Logger } from 'pino';
import { verifyConsistency } from '../crypto/merkle.ts';
import { NoteFormatError, parseNote, signatureLine, verifyNoteSignature } from '../crypto/signed-note.ts';
import { directoryReader } from '../federation/directory-reader.ts';
import { findPeer } from '../federation/peers.ts';
import type { Keyring } from '../node-identity/keyring.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import type { Database, Db } from '../store/database.ts';
import { witnessedLogs, witnessForks } from '../store/schema/index.ts';
import { appendAudit } from './audit-log.ts';
import { cosignCheckpoint, logKeys, parseCheckpointText, stateOfOrigin } from './checkpoint.ts';

/** The C2SP consistency proof bound: at most 63 hashes. */
const MAX_PROOF_LINES = 63;

export class WitnessRequestError extends AppError {
  constructor(status: 400 | 403 | 404 | 422, code: string, message: string) {
    super(code, status, message);
  }
}

/** 409 of add-checkpoint: the size this witness last cosigned, which the caller must start from. */
export type WitnessConflict = { conflict: true; size: number };
export type WitnessCosigned = { conflict: false; cosignatures: string };

export type WitnessDeps = {
  database: Database;
  clock: Clock;
  keyring: Keyring;
  nodeState: string;
  logger: Logger;
  onFork?: (node: string) => void;
};

type AddRequest = { old: number; proof: Buffer[]; note: string };

/** The request body: `old N`, proof lines (base64), an empty line, the checkpoint note. */
export function parseAddCheckpoint(body: string): AddRequest {
  const bad = (why: string) => new WitnessRequestError(400, 'ERR_WITNESS_REQUEST', why);
  const lines = body.split('\n');
  const old = /^old (0|[1-9][0-9]{0,15})$/.exec(lines[0] ?? '');
  if (!old) throw bad('The body starts with a line `old <size>`.');
  const proof: Buffer[] = [];
  let i = 1;
  for (; i < lines.length && lines[i] !== ''; i++) {
    const hash = Buffer.from(lines[i]!, 'base64');
    if (hash.length !== 32 || hash.toString('base64') !== lines[i])
      throw bad(`Proof line ${i} is not a base64 SHA-256 hash.`);
    proof.push(hash);
  }
  if (proof.length > MAX_PROOF_LINES) throw bad(`At most ${MAX_PROOF_LINES} proof lines.`);
  if (i >= lines.length) throw bad('An empty line separates the proof from the checkpoint.');
  return { old: Number(old[1]), proof, note: lines.slice(i + 1).join('\n') };
}

export function createWitnessService(deps: WitnessDeps) {
  const { database, clock, keyring, nodeState, logger } = deps;
  const { db } = database;
  const readDirectory = directoryReader();

  async function recordFork(tx: Db, node: string, reason: string, first: string, second: string, now: Date) {
    await tx
      .insert(witnessForks)
      .values({ node, reason, firstNote: first, secondNote: second, detectedAt: now });
    await appendAudit(
      tx,
      {
        actor: 'system',
        action: 'audit.witness_fork',
        objectType: 'node',
        objectId: node,
        payload: { reason, first, second },
      },
      now,
    );
  }

  /** Verifies, checks against the last cosigned checkpoint and cosigns; one transaction per log. */
  async function addCheckpoint(body: string): Promise<WitnessConflict | WitnessCosigned> {
    const request = parseAddCheckpoint(body);
    const now = clock.now();
    let parsed: ReturnType<typeof parseNote>;
    let cp: ReturnType<typeof parseCheckpointText>;
    try {
      parsed = parseNote(request.note);
      cp = parseCheckpointText(parsed.text);
    } catch (error) {
      if (error instanceof NoteFormatError)
        throw new WitnessRequestError(400, 'ERR_WITNESS_REQUEST', `The checkpoint: ${error.message}.`);
      throw error;
    }
    const node = stateOfOrigin(cp.origin);
    const document = await readDirectory(db);
    const peer = node && node !== nodeState && document ? findPeer(document, node, now) : null;
    if (!node || !peer)
      throw new WitnessRequestError(
        404,
        'ERR_WITNESS_UNKNOWN_LOG',
        `This node does not witness ${cp.origin}.`,
      );
    if (!verifyNoteSignature(parsed, logKeys(node, peer.signingKeys)))
      throw new WitnessRequestError(
        403,
        'ERR_WITNESS_SIGNATURE',
        `The checkpoint carries no valid signature of ${node} by a key the directory lists.`,
      );
    let fork = null as string | null;
    const outcome = await db.transaction(async (tx) => {
      const [seen] = await tx.select().from(witnessedLogs).where(eq(witnessedLogs.node, node)).for('update');
      const size = seen?.treeSize ?? 0;
      if (seen && cp.size === size && cp.rootHash !== seen.rootHash) {
        fork = `two checkpoints of size ${size} with different roots`;
        await recordFork(tx, node, fork, seen.note, request.note, now);
        return { conflict: true as const, size };
      }
      if (request.old > cp.size) {
        // The node itself knows this witness is at `size` and still sends a smaller tree as its newest.
        if (seen && request.old === size) {
          fork = `a tree of ${cp.size} entries sent as newest after one of ${size}`;
          await recordFork(tx, node, fork, seen.note, request.note, now);
        }
        return 'too-old' as const;
      }
      if (request.old !== size) return { conflict: true as const, size };
      const consistent =
        !seen ||
        (request.proof.length === 0 && cp.size === size) ||
        verifyConsistency(
          size,
          cp.size,
          Buffer.from(seen.rootHash, 'hex'),
          Buffer.from(cp.rootHash, 'hex'),
          request.proof,
        );
      if (!consistent) {
        fork = `the checkpoint of size ${cp.size} is not proved consistent with the one of size ${size}`;
        await recordFork(tx, node, fork, seen!.note, request.note, now);
        return null;
      }
      const cosignature = cosignCheckpoint(
        parsed.text,
        nodeState,
        keyring.privateKeys().signing.privateJwk,
        now,
      );
      const note = `${parsed.text}\n${parsed.signatures
        .filter((s) => s.name === cp.origin)
        .map(signatureLine)
        .join('')}${signatureLine(cosignature)}`;
      const row = { node, treeSize: cp.size, rootHash: cp.rootHash, note, cosignedAt: now };
      if (seen) await tx.update(witnessedLogs).set(row).where(eq(witnessedLogs.node, node));
      else await tx.insert(witnessedLogs).values(row).onConflictDoNothing();
      return { conflict: false as const, cosignatures: signatureLine(cosignature) };
    });
    if (fork) {
      logger.error({ node, reason: fork }, `WITNESS: the audit log of ${node} forked: ${fork}`);
      deps.onFork?.(node);
    }
    if (outcome === 'too-old')
      throw new WitnessRequestError(
        400,
        'ERR_WITNESS_REQUEST',
        'The old size is larger than the checkpoint.',
      );
    if (!outcome)
      throw new WitnessRequestError(
        422,
        'ERR_WITNESS_PROOF',
        `The consistency proof from size ${request.old} to ${cp.size} does not verify.`,
      );
    return outcome;
  }

  /** The latest checkpoint of `node` this witness cosigned (the whole note), or null. */
  async function witnessedNote(node: string): Promise<string | null> {
    const [row] = await db
      .select({ note: witnessedLogs.note })
      .from(witnessedLogs)
      .where(eq(witnessedLogs.node, node));
    return row?.note ?? null;
  }

  async function listForks(limit: number) {
    const rows = await db.select().from(witnessForks).orderBy(desc(witnessForks.id)).limit(limit);
    return rows.map((r) => ({ ...r, detectedAt: r.detectedAt.toISOString() }));
  }

  async function listWitnessed() {
    const rows = await db.select().from(witnessedLogs).orderBy(witnessedLogs.node);
    return rows.map((r) => ({ ...r, cosignedAt: r.cosignedAt.toISOString() }));
  }

  return { addCheckpoint, witnessedNote, listForks, listWitnessed };
}

export type WitnessService = ReturnType<typeof createWitnessService>;
