// Sends each new checkpoint of this node's log to its witnesses (c2sp.org/tlog-witness add-checkpoint)
// with a consistency proof from the last size each cosigned, and keeps the cosignatures. A witness
// that saw a larger log, or refuses the proof, means this log was cut or rewritten: the guard stops
// signing (witness-guard.ts).
import type { Logger } from 'pino';
import { consistencyProof } from '../crypto/merkle.ts';
import type { Peer } from '../federation/peers.ts';
import type { Keyring } from '../node-identity/keyring.ts';
import type { Clock } from '../shared/clock.ts';
import type { Database } from '../store/database.ts';
import { currentTreeHead } from './audit-log.ts';
import { keepCosigned, lastCosignedSize, readCosigned, WITNESS_ADD_PATH } from './cosignatures.ts';
import { loadLeafHashes } from './verify-audit.ts';
import type { WitnessGuard } from './witness-guard.ts';

const POST_TIMEOUT_MS = 10_000;

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

  async function toWitness(
    peer: Peer,
    head: PublishedHead & { checkpoint: string },
    leaves: () => Promise<Buffer[]>,
  ) {
    let old = await lastCosignedSize(db, peer.party);
    if (old === head.treeSize) return;
    if (old > head.treeSize) old = 0;
    // At most one retry: a 409 names the size the witness holds, which the second request starts from.
    for (let attempt = 0; attempt < 2; attempt++) {
      const proof = old > 0 && old < head.treeSize ? consistencyProof(old, await leaves()) : [];
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
    let loaded: Promise<Buffer[]> | null = null;
    const leaves = () => {
      loaded ??= loadLeafHashes(db, head.treeSize);
      return loaded;
    };
    const peers = await deps.witnesses();
    await Promise.all(peers.map((peer) => toWitness(peer, signed, leaves)));
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
