// Shared set-up of the evidence tests: a node with an evidence store of its own (a folder, or a bucket
// of an S3-compatible server started for it), officers of a case, and an incoming stored-data request
// from France in execution.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Role } from '../../src/domain/codes.ts';
import { type EvidenceStorage, fileStorage } from '../../src/evidence/evidence-storage.ts';
import { s3Storage } from '../../src/evidence/s3-storage.ts';
import { buildRequest } from '../domain/requests/request-fixtures.ts';
import { client } from '../helpers/http-client.ts';
import { startTestNode, type TestNode } from '../helpers/test-node.ts';
import { type S3Server, startS3Server } from './s3-server.ts';

export const MAX_UPLOAD = 32 * 1024 * 1024;

export type Officer = { id: string; token: string; api: ReturnType<typeof client> };

export type Backend = 'folder' | 's3';

/**
 * The storage back ends the core evidence tests (items, sealing, transfer, faults) run on: both, unless
 * EVIDENCE_TEST_BACKENDS names fewer (e.g. `folder` for a quick run). The other tests use the folder.
 */
export const BACKENDS: Backend[] = (process.env.EVIDENCE_TEST_BACKENDS ?? 'folder,s3')
  .split(',')
  .filter((b): b is Backend => b === 'folder' || b === 's3');

/** Where a node keeps its evidence in a test, and a look at what is stored there. */
export type EvidenceStore = {
  backend: Backend;
  /** Settings for startTestNode (config.evidence) … */
  config: { dir: string; s3: ReturnType<S3Server['config']> | null };
  /** … and for a node started from the environment. */
  env: Record<string, string>;
  /** Another handle on the same store (as a restarted node would open it). */
  open(): EvidenceStorage;
  /** How many distinct blobs are stored. */
  blobCount(): Promise<number>;
  /** How many uploads have something staged that is not (yet) a blob. */
  stagedCount(): Promise<number>;
  /** The stored bytes of a blob, as they sit on the disk or in the bucket. */
  blobBytes(sha256: string): Promise<Buffer>;
  close(): Promise<void>;
};

export async function evidenceStore(backend: Backend, dir: string): Promise<EvidenceStore> {
  if (backend === 'folder') {
    const blobs = join(dir, 'blobs');
    return {
      backend,
      config: { dir, s3: null },
      env: { HANOI247_EVIDENCE_DIR: dir },
      open: () => fileStorage(dir),
      async blobCount() {
        let n = 0;
        for (const d of await readdir(blobs).catch(() => [])) n += (await readdir(join(blobs, d))).length;
        return n;
      },
      stagedCount: () =>
        readdir(join(dir, 'staging')).then(
          (f) => f.length,
          () => 0,
        ),
      blobBytes: (sha) => readFile(join(blobs, sha.slice(0, 2), sha)),
      close: () => rm(dir, { recursive: true, force: true }),
    };
  }
  const server = await startS3Server();
  const prefix = 'node/';
  const config = server.config(prefix);
  const pointers = async () =>
    Promise.all(
      (await server.keys(`${prefix}blobs/`)).map(async (k) => (await server.read(k)).toString('utf8')),
    );
  return {
    backend,
    config: { dir, s3: config },
    env: { HANOI247_EVIDENCE_DIR: dir, ...server.env(prefix) },
    open: () => s3Storage(config),
    blobCount: () => server.keys(`${prefix}blobs/`).then((k) => k.length),
    async stagedCount() {
      const promoted = new Set(await pointers());
      const staged = new Set<string>();
      for (const key of await server.keys(`${prefix}chunks/`)) staged.add(key.split('/')[2]!);
      for (const key of await server.keys(`${prefix}tails/`)) staged.add(key.split('/')[2]!);
      return [...staged].filter((id) => !promoted.has(id)).length;
    },
    async blobBytes(sha) {
      const id = (await server.read(`${prefix}blobs/${sha}`)).toString('utf8');
      const keys = await server.keys(`${prefix}chunks/${id}/`);
      return Buffer.concat(await Promise.all(keys.map((k) => server.read(k))));
    },
    async close() {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export type EvidenceWorld = {
  node: TestNode;
  dir: string;
  store: EvidenceStore;
  officers: Record<string, Officer>;
  close(): Promise<void>;
};

const ACCOUNTS: [string, Role[]][] = [
  ['duty', ['DUTY_OFFICER']],
  ['lawyer', ['CENTRAL_AUTHORITY']],
  ['outsider', ['INVESTIGATOR']],
  ['auditor', ['AUDITOR']],
];

/** `dir`: where the node keeps its evidence (a fresh temporary folder unless given). */
export async function evidenceWorld(
  backend: Backend = 'folder',
  options: { dir?: string } = {},
): Promise<EvidenceWorld> {
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'h247-evidence-')));
  const store = await evidenceStore(backend, dir);
  const node = await startTestNode({
    config: { evidence: { ...store.config, maxUploadBytes: MAX_UPLOAD } },
  });
  const officers: Record<string, Officer> = {};
  for (const [username, roles] of ACCOUNTS) {
    const { user } = await node.ctx.users.addUser('test', {
      username: `ev-${username}`,
      password: 'evidence-password-1',
      roles,
    });
    const { token } = await node.ctx.auth.createToken(user.id, { name: 'test', scopes: roles, ttlDays: 30 });
    const api = client(node.url);
    api.setToken(token);
    officers[username] = { id: user.id, token, api };
  }
  return {
    node,
    dir,
    store,
    officers,
    async close() {
      await node.close();
      await store.close();
    },
  };
}

/** An incoming MLA stored-data request from France, assigned to the lawyer, in execution (unless told). */
export async function incomingRequest(
  world: EvidenceWorld,
  options: { caseReference?: string; execute?: boolean } = {},
): Promise<string> {
  const { lawyer, duty } = world.officers;
  const created = await lawyer!.api.post('/api/v1/requests', {
    type: 'MLA_STORED_DATA',
    ...buildRequest('MLA_STORED_DATA', {
      requestingState: 'FR',
      requestedState: 'VN',
      direction: 'INCOMING',
      caseReference: options.caseReference ?? `FR-${randomBytes(4).toString('hex')}`,
    }),
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const id = created.body.request.id as string;
  if (options.execute === false) return id;
  for (const [who, action] of [
    ['duty', 'acknowledge'],
    ['duty', 'start_execution'],
  ] as const) {
    const reply = await (who === 'duty' ? duty : lawyer)!.api.post(`/api/v1/requests/${id}/transitions`, {
      action,
    });
    assert.equal(reply.status, 200, `${action}: ${JSON.stringify(reply.body)}`);
  }
  return id;
}

export const META = {
  filename: 'mailbox-export.mbox',
  filetype: 'application/mbox',
  description: 'Mailbox of operator@scam.example, June to October 2026',
  source: 'Example Mail SAS (provider export)',
  custodian: 'Example Mail SAS legal department',
  domesticOrder: 'Order 2026/117 of the Paris investigating judge',
  acquiredAt: '2026-11-30T09:00:00Z',
  acquiredBy: 'Capt. Martin, OFAC',
  personalData: 'CONTACT COMMUNICATIONS_CONTENT',
};

/** Where and as whom the tus client talks: one of the world's officers. */
export function tusAs(world: EvidenceWorld, who: string) {
  return { baseUrl: world.node.url, headers: { authorization: `Bearer ${world.officers[who]!.token}` } };
}
