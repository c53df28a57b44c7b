// Sends each new checkpoint of this node's log to its witnesses (c2sp.org/tlog-witness add-checkpoint)
// with a consistency proof from the last size each cosigned, and keeps the cosignatures. A witness
// that saw a larger log, or refuses the proof, means this log was cut or rewritten: the guard stops
// signing (witness-guard.ts).
import type { Logger } from 'pino';
import {
  appendLeaves,
  consistencyProof,
  consistencyProofFromFrontier,
  frontierFromLeafHashes,
  frontierRoot,
  type MerkleFrontier,
} from '../crypto/merkle.ts';
import type { Peer } from '../federation/peers.ts';
import type { Keyring } from '../node-identity/keyring.ts';
import type { Clock } from '../shared/clock.ts';
import type { Database } from '../store/database.ts';
import { currentTreeHead } from './audit-log.ts';
import { keepCosigned, lastCosignedSize, readCosigned, WITNESS_ADD_PATH } from './cosignatures.ts';
import { loadLeafHashes } from './verify-audit.ts';
import type { WitnessGuard } from './witness-guard.ts';

const POST_TIMEOUT_MS = 10_000;
/** Frontiers of the sizes last published, kept so that the next proof reads only the leaves added since. */
const FRONTIERS_KEPT = 8;

export type PublishedHead = { treeSize: number; rootHash: string; checkpoint: string | null };

export type PublisherDeps = {
  database: Database;
  clock: Clock;
  keyring: Keyring;
  nodeState: string;
  logger: Logger;
  guard: WitnessGuard;
  witnesses: () => Promise<Peer[]>;
};

type Answer = { status: number; text: string } | null;

export function createCheckpointPublisher(deps: PublisherDeps) {
  const { database, clock, keyring, nodeState, guard } = deps;
  const { db } = database;
  const logger = deps.logger.child({ subsystem: 'audit-witness' });
  let running: Promise<void> | null = null;

  async function post(peer: Peer, body: string): Promise<Answer> {
    try {
      const response = await fetch(peer.url + WITNESS_ADD_PATH, {
        method: 'POST',
        headers: { 'content-type': 'text/plain; charset=utf-8' },
        body,
        signal: AbortSignal.timeout(POST_TIMEOUT_MS),
      });
      return { status: response.status, text: await response.text() };
    } catch (error) {
      logger.warn({ err: error, witness: peer.party }, 'witness unreachable');
      return null;
    }
  }

  // Without them every checkpoint read the whole log to prove consistency (seconds at 200,000
  // entries on PGlite, bench/witness.bench.ts); with them, the entries since the last checkpoint.
  const frontiers = new Map<number, MerkleFrontier>();

  async function toWitness(
    peer: Peer,
    head: PublishedHead & { checkpoint: string },
    proofFrom: (old: number) => Promise<Buffer[]>,
  ) {
    let old = await lastCosignedSize(db, peer.party);
    if (old === head.treeSize) return;
    if (old > head.treeSize) old = 0;
    // At most one retry: a 409 names the size the witness holds, which the second request starts from.
    for (let attempt = 0; attempt < 2; attempt++) {
      const proof = old > 0 && old < head.treeSize ? await proofFrom(old) : [];
      const body = `old ${old}\n${proof.map((h) => `${h.toString('base64')}\n`).join('')}\n${head.checkpoint}`;
      const answer = await post(peer, body);
      if (!answer) return;
      if (answer.status === 200) {
        const cp = readCosigned(
          head.checkpoint + answer.text,
          nodeState,
          keyring.verificationKeys(),
          peer.party,
          peer.signingKeys,
        );
        if (cp) await keepCosigned(db, peer.party, cp, clock.now());
        else logger.warn({ witness: peer.party }, 'the witness answered no valid cosignature');
        return;
      }
      if (answer.status === 409) {
        const held = Number(answer.text.trim());
        if (!Number.isSafeInteger(held)) return;
        // A replica may have published a newer head meanwhile: only a log smaller than the witness saw is cut.
        if (held > head.treeSize && (await currentTreeHead(db)).size >= held) return;
        if (held > head.treeSize)
          return guard.diverge(
            {
              kind: 'TRUNCATED',
              size: held,
              witness: `witness ${peer.party}`,
              message: `witness ${peer.party} cosigned this log at ${held} entries, but it holds ${head.treeSize}: entries were deleted`,
            },
            head.treeSize,
          );
        // The witness is at the size we started from, and still conflicts: it holds another root there.
        if (held === old)
          return guard.diverge(
            {
              kind: 'REWRITTEN',
              size: held,
              witness: `witness ${peer.party}`,
              message: `witness ${peer.party} cosigned another root at ${held} entries: the log was rewritten`,
            },
            head.treeSize,
          );
        old = held;
        continue;
      }
      if (answer.status === 422)
        return guard.diverge(
          {
            kind: 'REWRITTEN',
            size: old,
            witness: `witness ${peer.party}`,
            message: `witness ${peer.party} finds the log of ${head.treeSize} entries inconsistent with the ${old} it cosigned: an entry at or before ${old} was rewritten`,
          },
          head.treeSize,
        );
      logger.warn(
        { witness: peer.party, status: answer.status, answer: answer.text.slice(0, 300) },
        'the witness refused the checkpoint',
      );
      return;
    }
  }

  async function run(head: PublishedHead): Promise<void> {
    if (!head.checkpoint || head.treeSize === 0) return;
    const signed = { ...head, checkpoint: head.checkpoint };
    const size = head.treeSize;
    // Leaves after the first `from`, read once per run whichever witnesses need them.
    const tails = new Map<number, Promise<Buffer[]>>();
    const tail = (from: number) => {
      let leaves = tails.get(from);
      if (!leaves) {
        leaves = loadLeafHashes(db, size, from + 1);
        tails.set(from, leaves);
      }
      return leaves;
    };
    const proofFrom = async (old: number) => {
      const known = frontiers.get(old);
      if (!known) return consistencyProof(old, await tail(0));
      const hashes = known.hashes.map((h) => Buffer.from(h, 'hex'));
      return consistencyProofFromFrontier(hashes, old, await tail(old));
    };
    const peers = await deps.witnesses();
    if (peers.length === 0) return;
    await Promise.all(peers.map((peer) => toWitness(peer, signed, proofFrom)));
    await remember(size, head.rootHash, tail);
  }

  /** The frontier of `size`, from the largest one kept below it and the leaves since (or from all). */
  async function remember(
    size: number,
    rootHash: string,
    tail: (from: number) => Promise<Buffer[]>,
  ): Promise<void> {
    if (frontiers.has(size)) return;
    const below = [...frontiers.keys()].filter((s) => s < size).sort((a, b) => b - a)[0];
    const frontier =
      below === undefined
        ? frontierFromLeafHashes(await tail(0))
        : appendLeaves(frontiers.get(below)!, await tail(below));
    // Only the frontier of the signed root seeds the next proofs: not a log cut or rewritten meanwhile.
    if (frontier.size !== size || frontierRoot(frontier).toString('hex') !== rootHash) return;
    frontiers.set(size, frontier);
    for (const s of [...frontiers.keys()].sort((a, b) => a - b).slice(0, -FRONTIERS_KEPT))
      frontiers.delete(s);
  }

  /** Publishes a signed head to every witness; one run at a time (a newer head waits for the next tick). */
  function publish(head: PublishedHead): Promise<void> {
    if (running) return running;
    running = run(head)
      .catch((error) => logger.warn({ err: error }, 'could not publish the checkpoint to the witnesses'))
      .finally(() => {
        running = null;
      });
    return running;
  }

  return { publish };
}

export type CheckpointPublisher = ReturnType<typeof createCheckpointPublisher>;
