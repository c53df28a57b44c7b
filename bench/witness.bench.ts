// The witnessed audit log (issue #16): what a cosigned checkpoint costs — the node signs its tree head,
// sends the checkpoint with a consistency proof to a partner node over HTTP, which checks and cosigns it —
// beside signing the tree head alone and beside a bare HTTP round trip to the same witness; and `audit
// verify` against the witnesses (asked over HTTP, the kept cosignatures, the seal of the key secret)
// beside the same verification inside the database alone. Two nodes in this process, each with its own
// database of the kind measured, the log bulk-loaded to BENCH_WITNESS_ENTRIES entries first.
// Quick run: BENCH_WITNESS_ENTRIES=20000 BENCH_WITNESS_ROUNDS=10 npm run bench -- witness

import { verifyAuditLog } from '../src/audit/verify-audit.ts';
import { parseConfig } from '../src/config.ts';
import { buildDemoDirectory, type DirectoryDocument } from '../src/domain/directory/index.ts';
import { type RunningNode, startNode } from '../src/main.ts';
import { createLogger } from '../src/observability/logger.ts';
import type { Database } from '../src/store/database.ts';
import { bulkLoad } from './audit.bench.ts';
import { appendBenchEntries, benchDatabases } from './bench-database.ts';
import { benchClock as clock, BENCH_KEY_SECRET as SECRET } from './federation-node.ts';
import { envInt, fmt, percentile, printRows, type Row, timeIt } from './lib.ts';

async function node(state: string, database: Database): Promise<RunningNode> {
  const config = parseConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    HANOI247_KEY_SECRET: SECRET,
    HANOI247_LOG_LEVEL: 'silent',
    HANOI247_NODE_STATE: state,
    // Measured by hand: the background signing would race the measurement.
    HANOI247_TREE_HEAD_INTERVAL_SECONDS: '86400',
  });
  const running = await startNode(config, {
    database,
    clock,
    logger: createLogger('silent'),
    createKeysIfMissing: true,
  });
  await running.ctx.federation.stop();
  return running;
}

function directoryFor(nodes: { state: string; running: RunningNode }[]): DirectoryDocument {
  const document = buildDemoDirectory();
  const validFrom = '2020-01-01T00:00:00Z';
  for (const { state, running } of nodes) {
    const keys = running.ctx.keyring.publicKeys();
    const point = document.parties
      .find((p) => p.code === state)!
      .authorities.find((a) => a.kind === 'POINT_24_7')!;
    point.node = {
      url: running.url,
      signingKeys: [{ kid: keys.signing.kid!, publicJwk: keys.signing as { kty: string }, validFrom }],
      encryptionKeys: [
        { kid: keys.encryption.kid!, publicJwk: keys.encryption as { kty: string }, validFrom },
      ],
    };
  }
  return document;
}

const median = (ms: number[]) =>
  percentile(
    [...ms].sort((a, b) => a - b),
    50,
  );

export async function witnessBench(): Promise<void> {
  const entries = envInt('BENCH_WITNESS_ENTRIES', 200_000);
  const rounds = envInt('BENCH_WITNESS_ROUNDS', 30);
  const perRound = envInt('BENCH_WITNESS_APPENDS', 20);
  const [logs, witnesses] = [await benchDatabases(), await benchDatabases()];
  try {
    for (const log of logs) {
      const witnessDb = witnesses.find((w) => w.name === log.name)!;
      // Loaded before the node starts: its first start seals the log, as after an upgrade.
      await bulkLoad(log.database.db, entries);
      const vn = await node('VN', log.database);
      const fr = await node('FR', witnessDb.database);
      try {
        const document = directoryFor([
          { state: 'VN', running: vn },
          { state: 'FR', running: fr },
        ]);
        for (const n of [vn, fr]) await n.ctx.directory.importDocument('bench', document, 'bench');
        await measure(log.name, vn, fr, rounds, perRound);
      } finally {
        await vn.close();
        await fr.close();
      }
    }
  } finally {
    for (const d of [...logs, ...witnesses]) await d.dispose();
  }
}

async function measure(kind: string, vn: RunningNode, fr: RunningNode, rounds: number, perRound: number) {
  const { db } = vn.ctx.database;
  const append = () => appendBenchEntries(db, perRound, () => clock.now());
  // The first checkpoint has no proof to send; every later one proves consistency with the one before.
  await append();
  await vn.ctx.witnessing.publisher.publish(await vn.ctx.audit.signTreeHead());
  const sign: number[] = [];
  const cosign: number[] = [];
  const http: number[] = [];
  for (let r = 0; r < rounds; r++) {
    await append();
    const signed = await timeIt(() => vn.ctx.audit.signTreeHead());
    const published = await timeIt(() => vn.ctx.witnessing.publisher.publish(signed.value));
    const kept = await vn.ctx.witnessing.guard.check();
    if (kept.witnessed?.size !== signed.value.treeSize)
      throw new Error(`checkpoint ${signed.value.treeSize} was not cosigned (${JSON.stringify(kept)})`);
    sign.push(signed.ms);
    cosign.push(signed.ms + published.ms);
    const probe = await timeIt(async () => {
      const response = await fetch(`${fr.url}/livez`);
      await response.arrayBuffer();
    });
    http.push(probe.ms);
  }
  const keys = vn.ctx.keyring.verificationKeys();
  const alone: number[] = [];
  const witnessed: number[] = [];
  let size = 0;
  // Alternated, so that neither one always runs on a cache the other warmed.
  for (let r = 0; r < 4; r++) {
    const first = r % 2 === 0 ? 'alone' : 'witnessed';
    const runAlone = () => timeIt(() => verifyAuditLog(vn.ctx.database, keys));
    const runWitnessed = () => timeIt(() => vn.ctx.witnessing.verify());
    const [a, w] =
      first === 'alone'
        ? [await runAlone(), await runWitnessed()]
        : await (async () => {
            const w1 = await runWitnessed();
            return [await runAlone(), w1] as const;
          })();
    if (!a.value.ok || !w.value.ok || !w.value.sealChecked || w.value.witnessed.checkpoints.length === 0)
      throw new Error(`verify failed: ${JSON.stringify(w.value.firstProblem ?? a.value.firstProblem)}`);
    alone.push(a.ms);
    witnessed.push(w.ms);
    size = w.value.entries;
  }
  const rows: Row[] = [
    {
      figure: `checkpoint signed and cosigned by 1 witness over HTTP (p50 of ${rounds}, log ~${fmt(size, 0)} entries)`,
      value: `${fmt(median(cosign), 1)} ms`,
      baseline: `${fmt(median(sign), 1)} ms signing the tree head alone`,
      ratio: `${fmt(median(cosign) / median(sign), 2)}×`,
    },
    {
      figure: '… the same, beside a bare HTTP round trip to the witness (GET /livez)',
      value: `${fmt(median(cosign), 1)} ms`,
      baseline: `${fmt(median(http), 2)} ms`,
      ratio: `${fmt(median(cosign) / median(http), 1)}×`,
    },
    {
      figure: `audit verify against the witnesses and the seal (median of 4, ${fmt(size, 0)} entries)`,
      value: `${fmt(median(witnessed), 0)} ms`,
      baseline: `${fmt(median(alone), 0)} ms the same log inside the database alone`,
      ratio: `${fmt(median(witnessed) / median(alone), 2)}×`,
    },
  ];
  printRows(`witnessed audit log on ${kind}`, rows);
}
