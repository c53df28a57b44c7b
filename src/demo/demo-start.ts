// What `hanoi247 demo` (and so `npm start`) runs: the demo network with its signed directory, and
// what it prints. The demo's network administrator is a publisher key kept beside the demo data;
// every demo node trusts it, and so refuses a directory it did not sign.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Jwk } from '../crypto/node-keys.ts';
import type { PublisherKey } from '../directory/publisher-keys.ts';
import { generatePublisherKey, signDirectory } from '../directory/signed-directory.ts';
import { type DemoLogMode, demoLogFile, demoLogMode } from './demo-logger.ts';
import { type DemoNetwork, startDemoNetwork } from './demo-network.ts';
import { DEMO_PASSWORD, DEMO_USERS } from './seed-demo.ts';
import { seedDemoReport } from './seed-demo-report.ts';
import { seedDemoRequests } from './seed-demo-requests.ts';

type PublisherFile = { privateJwk: Jwk; anchor: PublisherKey };

/** The demo publisher key: made at the first start, reused afterwards (demo only: a real one stays offline). */
async function demoPublisher(path: string): Promise<PublisherFile> {
  if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8')) as PublisherFile;
  const made = await generatePublisherKey(new Date('2026-09-01T00:00:00Z'));
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(made, null, 2)}\n`, { mode: 0o600 });
  return made;
}

export async function startDemo(env: NodeJS.ProcessEnv): Promise<DemoNetwork & { publisherKid: string }> {
  const base = env.HANOI247_DATA_DIR ?? join('data', 'demo');
  const publisher = await demoPublisher(join(base, 'demo-publisher-key.json'));
  const network = await startDemoNetwork(env, {
    configFor: () => ({ directoryPublisherKeys: [publisher.anchor] }),
    publish: (document) => signDirectory(document, publisher.privateJwk),
  });
  // Example requests need both nodes listening (sending goes over federation): seeded once all are up.
  const ctxOf = (state: string) => network.nodes.find((n) => n.state === state)?.node.ctx;
  const vn = ctxOf('VN');
  const fr = ctxOf('FR');
  if (vn && fr) {
    try {
      await seedDemoRequests(vn, fr);
      // Viet Nam publishes its quarterly report; on ASEAN's hub (SG) it makes the regional aggregate.
      await seedDemoReport(vn);
    } catch (error) {
      await network.close();
      throw error;
    }
  }
  return { ...network, publisherKid: publisher.anchor.kid };
}

const LOG_WHERE: Record<DemoLogMode, string> = {
  file: "each node's in its log file above; warnings and errors also here",
  console: 'every line on this console',
  off: 'warnings and errors only, on this console',
};

/** Each node's URL, API docs and the demo logins (the same on every node). */
export function demoBanner(network: DemoNetwork & { publisherKid?: string }): string {
  const states = network.nodes.map((n) => n.state).join(', ');
  const logMode = demoLogMode(process.env);
  return [
    '',
    `hanoi247 demo network (${states}) — DEMO DATA, not for real cases`,
    ...network.nodes.flatMap(({ state, node, dataDir }) => [
      `  ${state}  URL:      ${node.url}`,
      `      API docs: ${node.url}/docs`,
      `      storage:  ${node.ctx.database.kind} (${node.ctx.database.location})`,
      ...(logMode === 'file' ? [`      log:      ${demoLogFile(dataDir)}`] : []),
    ]),
    `  logins on every node (password for all: ${DEMO_PASSWORD}):`,
    ...DEMO_USERS.map((u) => `    ${u.username.padEnd(13)} ${u.roles.join(', ')}`),
    '  the nodes list each other in their directory: a request sent from one arrives at the other.',
    ...(network.publisherKid
      ? [
          `  the directory is signed by the demo network administrator (publisher key ${network.publisherKid}).`,
        ]
      : []),
    `  the log: ${LOG_WHERE[logMode]} (HANOI247_DEMO_LOG=file|console|off)`,
    '  stop with Ctrl+C',
    '',
  ].join('\n');
}
