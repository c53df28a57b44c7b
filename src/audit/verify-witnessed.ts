// `audit verify` against what lies outside the database: the checkpoints the witnesses cosigned (kept
// here, and asked of them) and an auditor's saved checkpoint. Checked in the same pass as the signed
// tree heads, so the million-entry verification costs no second read; a log cut below, or rewritten
// under, any of them is named.
import type { Jwk } from '../crypto/node-keys.ts';
import { NoteFormatError } from '../crypto/signed-note.ts';
import type { DirectoryDocument } from '../domain/directory/index.ts';
import type { Database } from '../store/database.ts';
import { readCheckpoint } from './checkpoint.ts';
import { fetchCosigned, keptCosigned, type WitnessedCheckpoint, witnessPeers } from './cosignatures.ts';
import { type AuditVerification, type VerifyOptions, verifyAuditLog } from './verify-audit.ts';

export type WitnessedVerification = AuditVerification & {
  witnessed: {
    /** The checkpoints the log was checked against, newest first. */
    checkpoints: { size: number; rootHash: string; source: string }[];
    /** Witnesses that could not be asked (the check then relies on what this node kept). */
    unreachable: string[];
  };
};

export type WitnessedVerifyInput = {
  nodeState: string;
  /** This node's public signing keys, every key set. */
  keys: Jwk[];
  document: DirectoryDocument | null;
  /** Saved checkpoints given by an auditor: a name for messages, and the note. */
  checkpoints?: { name: string; note: string }[];
  /** Ask the witnesses (default true); false uses only what this node kept and the given files. */
  askWitnesses?: boolean;
  now: Date;
  onProgress?: (checked: number) => void;
  options?: VerifyOptions;
  /** The seal key (from the node's key secret); without it the state's seal is not checked. */
  sealKey?: Buffer;
};

export class CheckpointFileError extends Error {
  readonly code = 'ERR_CHECKPOINT_FILE';
}

/** The auditor's files as witnessed checkpoints; a file that is not a checkpoint signed by this node is refused. */
function auditorCheckpoints(input: WitnessedVerifyInput): WitnessedCheckpoint[] {
  return (input.checkpoints ?? []).map(({ name, note }) => {
    try {
      const cp = readCheckpoint(note, input.nodeState, input.keys);
      return { origin: cp.origin, size: cp.size, rootHash: cp.rootHash, note, source: `checkpoint ${name}` };
    } catch (error) {
      if (error instanceof NoteFormatError) throw new CheckpointFileError(`${name}: ${error.message}`);
      throw error;
    }
  });
}

export async function verifyWithWitnesses(
  database: Pick<Database, 'db' | 'kind' | 'copyOut'>,
  input: WitnessedVerifyInput,
): Promise<WitnessedVerification> {
  const files = auditorCheckpoints(input);
  const peers = witnessPeers(input.document, input.nodeState, input.now);
  const [kept, fetched] = await Promise.all([
    keptCosigned(database.db, input.nodeState, input.keys, peers),
    input.askWitnesses === false
      ? { found: [], unreachable: [] }
      : fetchCosigned(input.nodeState, input.keys, peers),
  ]);
  const all = [...files, ...fetched.found, ...kept].sort((a, b) => b.size - a.size);
  const witnessed = {
    checkpoints: all.map((c) => ({ size: c.size, rootHash: c.rootHash, source: c.source })),
    unreachable: fetched.unreachable,
  };
  // Two vouched-for roots at one size: this node signed a fork, whatever the log now holds.
  for (const a of all) {
    const b = all.find((c) => c.size === a.size && c.rootHash !== a.rootHash);
    if (b)
      return {
        ok: false,
        entries: 0,
        treeHeadsChecked: 0,
        rootHash: '',
        sealChecked: false,
        firstProblem: {
          seq: a.size,
          kind: 'WITNESS_MISMATCH',
          message: `${a.source} and ${b.source} vouch for different roots at size ${a.size}: this log forked`,
        },
        witnessed,
      };
  }
  const result = await verifyAuditLog(database, input.keys, input.onProgress, {
    ...input.options,
    ...(input.sealKey ? { sealKey: input.sealKey } : {}),
    witnessed: all.map((c) => ({ size: c.size, rootHash: c.rootHash, source: c.source })),
  });
  return { ...result, witnessed };
}
