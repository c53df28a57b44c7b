// A small network of real nodes in one test process: each on its own loopback port and database,
// with a directory that lists every node's URL and public keys, imported into every node.
import type { Config } from '../../src/config.ts';
import { parseConfig } from '../../src/config.ts';
import { seedDemo } from '../../src/demo/seed-demo.ts';
import { buildDemoDirectory, type DirectoryDocument } from '../../src/domain/directory/index.ts';
import type { FederationOptions } from '../../src/federation/federation-service.ts';
import { type RunningNode, startNode } from '../../src/main.ts';
import { createLogger } from '../../src/observability/logger.ts';
import type { Clock } from '../../src/shared/clock.ts';
import type { Database } from '../../src/store/database.ts';
import { client } from '../helpers/http-client.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import { TEST_KEY_SECRET } from '../helpers/test-node.ts';

/** Real time moved to a date when the Convention is in force in the demo directory. */
export function shiftedClock(to = '2027-01-05T10:00:00Z'): Clock & { offsetMs: number } {
  const clock = { offsetMs: Date.parse(to) - Date.now(), now: () => new Date(Date.now() + clock.offsetMs) };
  return clock;
}

export const FAST_FEDERATION: Partial<FederationOptions> = {
  retry: { baseMs: 20, maxMs: 200, maxAttempts: 3 },
  pollMs: 200,
  leaseMs: 10_000,
  timeoutMs: 5_000,
};

export type NetNode = RunningNode & {
  state: string;
  database: Database & { url: string | null };
  port: number;
  /** Stops the HTTP server and the worker, keeping the database. */
  stop(): Promise<void>;
  /** Starts again on the same port and database (after stop). */
  restart(): Promise<NetNode>;
  /** Closes everything, the database too. */
  destroy(): Promise<void>;
};

export type NodeSpec = {
  state: string;
  clock?: Clock;
  federation?: Partial<FederationOptions>;
  port?: number;
  database?: Database & { url: string | null };
  /** More settings (e.g. HANOI247_EVIDENCE_DIR). */
  env?: Record<string, string>;
  /** Seed the demo accounts too (the directory comes from linkNodes). */
  seed?: boolean;
};

export async function startNetNode(spec: NodeSpec): Promise<NetNode> {
  const database = spec.database ?? (await createTestDatabase());
  const config: Config = parseConfig({
    PORT: String(spec.port ?? 0),
    HOST: '127.0.0.1',
    HANOI247_KEY_SECRET: TEST_KEY_SECRET,
    HANOI247_LOG_LEVEL: 'silent',
    HANOI247_NODE_STATE: spec.state,
    ...spec.env,
  });
  const node = await startNode(config, {
    database,
    clock: spec.clock ?? shiftedClock(),
    logger: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
    createKeysIfMissing: true,
    federation: { ...FAST_FEDERATION, ...spec.federation },
    beforeListen: spec.seed ? async (ctx) => void (await seedDemo(ctx)) : undefined,
  });
  const port = Number(new URL(node.url).port);
  const net: NetNode = {
    ...node,
    state: spec.state,
    database,
    port,
    stop: () => node.close(),
    restart: () => startNetNode({ ...spec, port, database }),
    destroy: async () => {
      await node.close();
      await database.close();
    },
  };
  return net;
}

/** The demo directory with a node entry (URL and public keys) for each given node. */
export function directoryFor(nodes: readonly NetNode[]): DirectoryDocument {
  const document = buildDemoDirectory();
  for (const node of nodes) {
    const party = document.parties.find((p) => p.code === node.state);
    const point = party?.authorities.find((a) => a.kind === 'POINT_24_7');
    if (!point) throw new Error(`the demo directory has no 24/7 point for ${node.state}`);
    const keys = node.ctx.keyring.publicKeys();
    const validFrom = '2020-01-01T00:00:00Z';
    point.node = {
      url: node.url,
      signingKeys: [{ kid: keys.signing.kid!, publicJwk: keys.signing as { kty: string }, validFrom }],
      encryptionKeys: [
        { kid: keys.encryption.kid!, publicJwk: keys.encryption as { kty: string }, validFrom },
      ],
    };
  }
  return document;
}

/** Imports one directory listing every node into each of them. */
export async function linkNodes(nodes: readonly NetNode[], into: readonly NetNode[] = nodes): Promise<void> {
  const document = directoryFor(nodes);
  for (const node of into) await node.ctx.directory.importDocument('test', document, 'test');
}

/** An API client signed in with a token for a new account with these roles. */
export async function apiAs(
  node: NetNode,
  username: string,
  roles: Parameters<NetNode['ctx']['users']['addUser']>[1]['roles'],
) {
  const { user } = await node.ctx.users.addUser('test', { username, password: 'federation-test-pw', roles });
  const { token } = await node.ctx.auth.createToken(user.id, { name: 'test', scopes: roles, ttlDays: 30 });
  const api = client(node.url);
  api.setToken(token);
  return api;
}

/** Polls until `check` returns a value other than undefined, or fails after the deadline. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}
