// The witnessed audit log of one node, both ways: as a log, its guard (refuse to sign over damage),
// its publisher (send checkpoints to witnesses) and verification against witnesses; as a witness of
// its partners, the service that cosigns their checkpoints and keeps forks.
import type { Logger } from 'pino';
import { directoryReader } from '../federation/directory-reader.ts';
import type { Keyring } from '../node-identity/keyring.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { Clock } from '../shared/clock.ts';
import type { Database } from '../store/database.ts';
import { auditSealKey } from './audit-seal.ts';
import { createCheckpointPublisher } from './checkpoint-publisher.ts';
import { keepCosigned, readCosigned, witnessPeers } from './cosignatures.ts';
import { verifyWithWitnesses, type WitnessedVerifyInput } from './verify-witnessed.ts';
import { createWitnessGuard } from './witness-guard.ts';
import { createWitnessService } from './witness-service.ts';

export type WitnessingDeps = {
  database: Database;
  clock: Clock;
  keyring: Keyring;
  nodeState: string;
  logger: Logger;
  metrics: Metrics;
};

export function createAuditWitnessing(deps: WitnessingDeps) {
  const { database, clock, keyring, nodeState, metrics } = deps;
  const readDirectory = directoryReader();
  const witnesses = async () => witnessPeers(await readDirectory(database.db), nodeState, clock.now());
  const guard = createWitnessGuard({
    ...deps,
    witnesses,
    onState: (state) => metrics.auditWitnessDiverged.set(state.status === 'diverged' ? 1 : 0),
  });
  const publisher = createCheckpointPublisher({ ...deps, guard, witnesses });
  const witness = createWitnessService({
    ...deps,
    onFork: (node) => metrics.auditWitnessForks.inc({ node }),
  });

  /**
   * A receipt from `receiver` carried its latest cosigned checkpoint of this node's log: kept when both
   * signatures verify. Never fails the delivery it came with.
   */
  const keptFromReceipts = new Map<string, number>();
  async function keepFromReceipt(receiver: string, note: unknown): Promise<void> {
    if (typeof note !== 'string') return;
    // Most receipts carry the checkpoint the one before did: skip those before any signature work.
    const size = Number(/^[^\n]*\n(\d+)\n/.exec(note)?.[1] ?? Number.NaN);
    if (!(size > (keptFromReceipts.get(receiver) ?? 0))) return;
    try {
      const peer = (await witnesses()).find((p) => p.party === receiver);
      if (!peer) return;
      const cp = readCosigned(note, nodeState, keyring.verificationKeys(), receiver, peer.signingKeys);
      if (!cp) return;
      await keepCosigned(database.db, receiver, cp, clock.now());
      keptFromReceipts.set(receiver, cp.size);
    } catch (error) {
      deps.logger.warn({ err: error, receiver }, 'could not keep the cosigned checkpoint of a receipt');
    }
  }

  async function verify(
    input: Pick<WitnessedVerifyInput, 'checkpoints' | 'askWitnesses' | 'onProgress'> = {},
  ) {
    return verifyWithWitnesses(database, {
      ...input,
      nodeState,
      keys: keyring.verificationKeys(),
      document: await readDirectory(database.db),
      sealKey: auditSealKey(database.db),
      now: clock.now(),
    });
  }

  return { guard, publisher, witness, keepFromReceipt, verify };
}

export type AuditWitnessing = ReturnType<typeof createAuditWitnessing>;
