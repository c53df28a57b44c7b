// Refuses to sign over a damaged log. At start (and whenever a witness answers that it saw more), the
// node compares its log with the newest checkpoints its witnesses cosigned: a log smaller than one of
// them was cut, a log whose root at that size differs was rewritten. Either way the node stops signing
// tree heads and checkpoints, and says so loudly: an error log line, the metric
// hanoi247_audit_witness_diverged, an audit entry, and GET /api/v1/audit/witness/status.
import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { rootAtSizes } from '../crypto/merkle.ts';
import type { Peer } from '../federation/peers.ts';
import type { Keyring } from '../node-identity/keyring.ts';
import type { Clock } from '../shared/clock.ts';
import { ConflictError } from '../shared/errors.ts';
import { type Database, type Db, rowsOf } from '../store/database.ts';
import { appendAlarm, currentSealProblem } from './audit-log.ts';
import { fetchCosigned, keepCosigned, keptCosigned, type WitnessedCheckpoint } from './cosignatures.ts';
import { loadLeafHashes } from './verify-audit.ts';

/** FORGED: the state's seal does not hold (audit-seal.ts), e.g. entries appended after the newest witnessed checkpoint. */
export type DivergenceKind = 'TRUNCATED' | 'REWRITTEN' | 'FORGED';

export type WitnessGuardState = {
  /** checking: the start-up comparison runs; ok: consistent; diverged: signing refused; unwitnessed: no cosigned checkpoint yet. */
  status: 'checking' | 'ok' | 'diverged' | 'unwitnessed';
  checkedAt: string | null;
  logSize: number;
  /** The newest cosigned checkpoint the log was compared with. */
  witnessed: { size: number; rootHash: string; witnesses: string[] } | null;
  unreachable: string[];
  problem: { kind: DivergenceKind; size: number; witness: string; message: string } | null;
};

export type WitnessGuardDeps = {
  database: Database;
  clock: Clock;
  keyring: Keyring;
  nodeState: string;
  logger: Logger;
  witnesses: () => Promise<Peer[]>;
  onState?: (state: WitnessGuardState) => void;
};

/** The first checkpoint the log contradicts, or null. Reads leaf hashes up to the largest size needed. */
export async function contradiction(
  db: Db,
  logSize: number,
  checkpoints: readonly WitnessedCheckpoint[],
): Promise<WitnessGuardState['problem']> {
  const sorted = [...checkpoints].sort((a, b) => b.size - a.size);
  const beyond = sorted.find((cp) => cp.size > logSize);
  if (beyond)
    return {
      kind: 'TRUNCATED',
      size: beyond.size,
      witness: beyond.source,
      message: `${beyond.source} cosigned this log at ${beyond.size} entries, but it holds ${logSize}: entries after ${logSize} were deleted`,
    };
  const sizes = [...new Set(sorted.map((cp) => cp.size))];
  if (sizes.length === 0) return null;
  const roots = rootAtSizes(await loadLeafHashes(db, sizes[0]!), sizes);
  for (const cp of sorted) {
    if (roots.get(cp.size)?.toString('hex') !== cp.rootHash)
      return {
        kind: 'REWRITTEN',
        size: cp.size,
        witness: cp.source,
        message: `the first ${cp.size} entries no longer hash to the root ${cp.source} cosigned: an entry at or before ${cp.size} was rewritten, removed or inserted`,
      };
  }
  return null;
}

export function createWitnessGuard(deps: WitnessGuardDeps) {
  const { database, clock, keyring, nodeState, logger } = deps;
  const { db } = database;
  let state: WitnessGuardState = {
    status: 'checking',
    checkedAt: null,
    logSize: 0,
    witnessed: null,
    unreachable: [],
    problem: null,
  };
  let checking: Promise<WitnessGuardState> | null = null;

  const set = (next: WitnessGuardState) => {
    state = next;
    deps.onState?.(state);
  };

  /** Stops signing, once, loudly. */
  async function diverge(problem: NonNullable<WitnessGuardState['problem']>, logSize: number): Promise<void> {
    const first = state.status !== 'diverged';
    set({ ...state, status: 'diverged', problem, logSize, checkedAt: clock.now().toISOString() });
    if (!first) return;
    logger.error(
      { problem },
      `AUDIT LOG DIVERGES FROM ITS WITNESSES (${problem.kind}): ${problem.message}. This node signs no tree head or checkpoint until an administrator restores the log.`,
    );
    const now = clock.now();
    // Written even over a forged state, which it leaves unsealed (appendAlarm); a state that does not
    // agree with its entries may refuse it, and the log line and metric remain.
    await db
      .transaction((tx) =>
        appendAlarm(
          tx,
          {
            actor: 'system',
            action: 'audit.witness_diverged',
            objectType: 'audit_log',
            objectId: nodeState,
            payload: problem,
          },
          now,
        ),
      )
      .catch((error) => logger.error({ err: error }, 'the divergence could not be written to the audit log'));
  }

  /** The seal of the state, checked: a forgery made while the node runs is caught before it is signed. */
  async function checkSeal(logSize: number): Promise<boolean> {
    const sealProblem = await currentSealProblem(db);
    if (!sealProblem) return true;
    await diverge(
      {
        kind: 'FORGED',
        size: logSize,
        witness: 'seal',
        message: `the log's state does not carry the seal of this node's key secret (${sealProblem}): entries were appended, altered or removed by someone without the secret`,
      },
      logSize,
    );
    return false;
  }

  async function runCheck(): Promise<WitnessGuardState> {
    const peers = await deps.witnesses();
    const ownKeys = keyring.verificationKeys();
    const [kept, fetched] = await Promise.all([
      keptCosigned(db, nodeState, ownKeys, peers),
      fetchCosigned(nodeState, ownKeys, peers),
    ]);
    const now = clock.now();
    for (const cp of fetched.found) await keepCosigned(db, cp.source.replace(/^witness /, ''), cp, now);
    const all = [...kept, ...fetched.found];
    const logSize = Number(
      rowsOf<{ size: string | number }>(await db.execute(sql`SELECT size FROM audit_state WHERE id = 1`))[0]
        ?.size ?? 0,
    );
    const newest = all.reduce<WitnessedCheckpoint | null>((a, b) => (a && a.size >= b.size ? a : b), null);
    const witnessed = newest
      ? {
          size: newest.size,
          rootHash: newest.rootHash,
          witnesses: [...new Set(all.filter((c) => c.size === newest.size).map((c) => c.source))],
        }
      : null;
    const problem = await contradiction(db, logSize, all);
    const base = { checkedAt: now.toISOString(), logSize, witnessed, unreachable: fetched.unreachable };
    if (problem) {
      set({ ...state, ...base });
      await diverge(problem, logSize);
    } else if (!(await checkSeal(logSize))) {
      set({ ...state, ...base });
    } else if (state.status !== 'diverged') {
      set({ ...base, status: witnessed ? 'ok' : 'unwitnessed', problem: null });
    }
    return state;
  }

  /** Compares the log with its witnesses now (at start; an administrator may ask again). */
  function check(): Promise<WitnessGuardState> {
    checking ??= runCheck()
      .catch((error) => {
        logger.warn({ err: error }, 'could not compare the audit log with its witnesses');
        if (state.status === 'checking') set({ ...state, status: 'unwitnessed' });
        return state;
      })
      .finally(() => {
        checking = null;
      });
    return checking;
  }

  /** Throws ERR_AUDIT_DIVERGED when the log contradicts its witnesses; waits for a check under way. */
  async function assertMaySign(): Promise<void> {
    if (checking) await checking;
    if (state.status !== 'diverged') await checkSeal(state.logSize);
    if (state.status === 'diverged')
      throw new ConflictError(
        `This node refuses to sign its audit log: ${state.problem?.message ?? 'it diverges from its witnesses'}.`,
        'ERR_AUDIT_DIVERGED',
        { problem: state.problem },
      );
  }

  return { check, assertMaySign, diverge, status: () => state };
}

export type WitnessGuard = ReturnType<typeof createWitnessGuard>;
