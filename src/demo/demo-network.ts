// The demo network: three nodes of three demo States in one process, each on its own port and its
// own embedded database, all trusting one directory that lists every node's URL and public keys.
// Requests between them really travel over federation (HTTP on loopback, signed and encrypted).
import { join } from 'node:path';
import { type Config, ConfigError, loadConfig } from '../config.ts';
import type { NodeContext } from '../context.ts';
import { buildDemoDirectory, type DirectoryDocument } from '../domain/directory/index.ts';
import { type RunningNode, startNode } from '../main.ts';
import { createDemoLogger, demoLogMode } from './demo-logger.ts';
import { seedDemo } from './seed-demo.ts';

export const DEMO_STATES = ['VN', 'FR', 'SG'] as const;

/** The demo's region for implementation reports: its hub aggregates the members' released reports. */
export const ASEAN = {
  name: 'ASEAN',
  hub: 'SG',
  members: ['BN', 'KH', 'ID', 'LA', 'MY', 'MM', 'PH', 'SG', 'TH', 'VN'],
} as const;

// Only for the demo: a real node's secret comes from the operator (environment or config file).
export const DEMO_KEY_SECRET = 'demo-key-secret-not-for-production';

export type DemoNodeSpec = { state: string; port: number; dataDir: string; url: string };
export type DemoNetwork = { nodes: (DemoNodeSpec & { node: RunningNode })[]; close(): Promise<void> };

/** Where a node on this host is reached from its peers: only loopback addresses may use http://. */
function loopbackUrl(host: string, port: number): string {
  if (host === '0.0.0.0' || host.startsWith('127.')) return `http://127.0.0.1:${port}`;
  if (host === 'localhost') return `http://localhost:${port}`;
  if (host === '::' || host === '::1') return `http://[::1]:${port}`;
  throw new ConfigError([
    `HOST: the demo network talks over plain http and so listens on a loopback address, not '${host}'`,
  ]);
}

/**
 * The nodes of the demo: HANOI247_DEMO_STATES (default VN,FR,SG), each on PORT, PORT+1, ... (or the
 * ports of HANOI247_DEMO_PORTS) and in HANOI247_DATA_DIR/<STATE> (default data/demo/<STATE>).
 */
export function demoNodeSpecs(env: NodeJS.ProcessEnv): DemoNodeSpec[] {
  const problems: string[] = [];
  const states = (env.HANOI247_DEMO_STATES ?? DEMO_STATES.join(','))
    .split(',')
    .map((s) => s.trim().toUpperCase())
    .filter((s) => s !== '');
  const known = new Set(buildDemoDirectory().parties.map((p) => p.code));
  for (const s of states)
    if (!known.has(s)) problems.push(`HANOI247_DEMO_STATES: '${s}' is not a State of the demo directory`);
  if (new Set(states).size !== states.length) problems.push('HANOI247_DEMO_STATES: a State is listed twice');
  if (states.length < 2) problems.push('HANOI247_DEMO_STATES: a network needs at least two States');
  const first = Number(env.PORT ?? 8247);
  if (!Number.isInteger(first) || first < 1 || first > 65535 - states.length)
    problems.push(`PORT: '${env.PORT}' must be a port number (the demo uses it and the next ones)`);
  let ports = states.map((_, i) => first + i);
  if (env.HANOI247_DEMO_PORTS) {
    ports = env.HANOI247_DEMO_PORTS.split(',').map((p) => Number(p.trim()));
    if (ports.length !== states.length || ports.some((p) => !Number.isInteger(p) || p < 1 || p > 65535))
      problems.push(`HANOI247_DEMO_PORTS: give one port per State (${states.join(',')})`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const host = env.HOST ?? '127.0.0.1';
  const base = env.HANOI247_DATA_DIR ?? join('data', 'demo');
  return states.map((state, i) => ({
    state,
    port: ports[i]!,
    dataDir: join(base, state),
    url: loopbackUrl(host, ports[i]!),
  }));
}

/** The demo directory with a node entry (URL and current public keys) for each demo node. */
export function demoNetworkDirectory(
  nodes: readonly { state: string; url: string; ctx: NodeContext }[],
): DirectoryDocument {
  const document = buildDemoDirectory();
  for (const { state, url, ctx } of nodes) {
    const point = document.parties
      .find((p) => p.code === state)
      ?.authorities.find((a) => a.kind === 'POINT_24_7');
    if (!point) throw new Error(`the demo directory has no 24/7 point for ${state}`);
    point.node = { url, ...ctx.keyring.directoryKeys() };
  }
  return document;
}

type Deferred<T> = { promise: Promise<T>; resolve(v: T): void; reject(e: unknown): void };
function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => {});
  return { promise, resolve, reject };
}

export type DemoHooks = {
  /** Turns the network's directory into what each node imports (the demo signs it). */
  publish?: (document: DirectoryDocument) => Promise<unknown>;
  /** Options for each node's configuration (e.g. the directory's trust anchor). */
  configFor?: (spec: DemoNodeSpec) => Partial<Config>;
};

/**
 * Starts every demo node. Each reports its keys before it listens; once all have, the shared
 * directory is built and imported into each, then each is seeded (once: a later start finds the
 * directory and accounts it made and changes nothing) and opens its port.
 */
export async function startDemoNetwork(env: NodeJS.ProcessEnv, hooks: DemoHooks = {}): Promise<DemoNetwork> {
  const specs = demoNodeSpecs(env);
  const logMode = demoLogMode(env);
  const contexts = new Map<string, NodeContext>();
  const published = deferred<unknown>();
  const reported = () => {
    if (contexts.size < specs.length) return;
    const document = demoNetworkDirectory(specs.map((s) => ({ ...s, ctx: contexts.get(s.state)! })));
    (hooks.publish ? hooks.publish(document) : Promise.resolve(document)).then(
      published.resolve,
      published.reject,
    );
  };
  const starts = specs.map(async (spec) => {
    const nodeEnv: NodeJS.ProcessEnv = {
      ...env,
      PORT: String(spec.port),
      HANOI247_DATA_DIR: spec.dataDir,
      HANOI247_NODE_STATE: spec.state,
      HANOI247_NODE_NAME: `hanoi247 demo node ${spec.state}`,
      HANOI247_PUBLIC_URL: spec.url,
      HANOI247_DEMO: 'true',
    };
    // ASEAN in the demo: Singapore's node is the regional hub of the implementation reports.
    if (specs.some((s) => s.state === ASEAN.hub) && !env.HANOI247_REPORT_REGION) {
      nodeEnv.HANOI247_REPORT_REGION = ASEAN.name;
      nodeEnv.HANOI247_REPORT_REGION_HUB = ASEAN.hub;
      nodeEnv.HANOI247_REPORT_REGION_MEMBERS = ASEAN.members.join(',');
    }
    // Each node builds its report of a quarter once the quarter is over (released by an approver).
    nodeEnv.HANOI247_REPORT_SCHEDULE ??= 'quarterly';
    // Each demo node has its own embedded database; one PostgreSQL database cannot hold three nodes.
    delete nodeEnv.DATABASE_URL;
    nodeEnv.HANOI247_KEY_SECRET ??= DEMO_KEY_SECRET;
    const config = loadConfig(nodeEnv, hooks.configFor?.(spec) ?? {});
    try {
      const node = await startNode(config, {
        createKeysIfMissing: true,
        logger: createDemoLogger(logMode, config.logLevel, spec.dataDir),
        beforeListen: async (ctx) => {
          contexts.set(spec.state, ctx);
          reported();
          const document = await published.promise;
          await ctx.directory.importDocument('system:demo-seed', document, 'demo-network');
          await seedDemo(ctx);
        },
      });
      return { ...spec, node };
    } catch (error) {
      // The others wait for this node's keys: tell them the network cannot start.
      published.reject(error);
      throw error;
    }
  });
  const results = await Promise.allSettled(starts);
  const started = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = results.find((r) => r.status === 'rejected');
  const close = async () => {
    await Promise.allSettled(started.map((n) => n.node.close()));
  };
  if (failed) {
    await close();
    throw failed.reason;
  }
  return { nodes: started, close };
}
