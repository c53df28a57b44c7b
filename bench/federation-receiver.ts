// The receiving node of the federation bench, in its own process (so each node has its own core,
// as two nodes on one machine would): `node bench/federation-receiver.ts PGlite|PostgreSQL`.
// Prints one JSON line with its URL and public keys, reads one line with the directory to import,
// answers {"ready":true}, and closes when its standard input ends.
import { createInterface } from 'node:readline';
import { parseConfig } from '../src/config.ts';
import type { DirectoryDocument } from '../src/domain/directory/index.ts';
import { startNode } from '../src/main.ts';
import { createLogger } from '../src/observability/logger.ts';
import { benchDatabases } from './bench-database.ts';
import { BENCH_KEY_SECRET, benchClock } from './federation-node.ts';

const kind = process.argv[2] ?? 'PGlite';
const databases = await benchDatabases();
const chosen = databases.find((d) => d.name === kind);
for (const d of databases) if (d !== chosen) await d.dispose();
if (!chosen) throw new Error(`no ${kind} database for the receiver`);

const config = parseConfig({
  PORT: '0',
  HOST: '127.0.0.1',
  HANOI247_KEY_SECRET: BENCH_KEY_SECRET,
  HANOI247_LOG_LEVEL: 'silent',
  HANOI247_NODE_STATE: process.argv[3] ?? 'FR',
});
const node = await startNode(config, {
  database: chosen.database,
  clock: benchClock,
  logger: createLogger('silent'),
  createKeysIfMissing: true,
});
await node.ctx.federation.stop();
const keys = node.ctx.keyring.publicKeys();
process.stdout.write(
  `${JSON.stringify({ url: node.url, signing: keys.signing, encryption: keys.encryption })}\n`,
);

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (!line.trim()) continue;
  await node.ctx.directory.importDocument('bench', JSON.parse(line) as DirectoryDocument, 'bench');
  process.stdout.write('{"ready":true}\n');
}
await node.close();
await chosen.dispose();
