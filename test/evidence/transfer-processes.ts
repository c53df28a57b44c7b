// Two nodes for evidence transfer faults and the transfer bench: France (requested State, sending) runs
// in this process; Viet Nam (requesting State, receiving) is set up in this process, then runs as a
// real child process (`hanoi247 serve`) on its own database (a PGlite folder, or PostgreSQL with
// DATABASE_URL) and evidence store, so that it can be killed the hard way (SIGKILL) and started again.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SendReport } from '../../src/evidence/transfer/transfer-sender.ts';
import { createUpload, uploadFile } from '../../src/evidence/tus-client.ts';
import { openDatabase } from '../../src/store/database.ts';
import { buildRequest } from '../domain/requests/request-fixtures.ts';
import { linkNodes, type NetNode, startNetNode } from '../federation/federation-network.ts';
import { freePorts, type NodeProcess, spawnCli, waitReady } from '../federation/node-process.ts';
import { client } from '../helpers/http-client.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import { TEST_KEY_SECRET } from '../helpers/test-node.ts';
import { type Backend, type EvidenceStore, evidenceStore, META } from './evidence-fixtures.ts';
import { officer as addOfficer } from './two-nodes.ts';

export type Actor = { id: string; roles: readonly string[] };

export type KillReport = {
  /** Chunks of the package the receiver had acknowledged when it was killed. */
  acknowledged: number;
  /** Chunks it said it held when the send resumed after its restart. */
  held: number;
  /** Acknowledged chunks that had to be sent again (held < acknowledged). */
  resent: number;
};

export type TransferRig = {
  fr: NetNode;
  /** The receiving node's process (null while it is down). */
  vn(): NodeProcess | null;
  vnUrl: string;
  frLawyer: Actor;
  /** Uploads a file on France, seals it into a package and has it approved; returns the package id. */
  packageOf(file: string): Promise<string>;
  startVn(): Promise<void>;
  killVn(): Promise<void>;
  send(
    packageId: string,
    hooks?: Parameters<NetNode['ctx']['evidence']['transfer']['sender']['send']>[2],
  ): Promise<SendReport>;
  /**
   * Sends the package, killing the receiver (SIGKILL, while the next chunk may be on its way) once
   * the given numbers of chunks are acknowledged, restarting it and resuming each time.
   */
  sendWithKills(packageId: string, killAt: number[]): Promise<{ report: SendReport; kills: KillReport[] }>;
  /** The SHA-256 of each item Viet Nam holds for the package (read with the node up). */
  receivedHashes(packageId: string): Promise<string[]>;
  close(): Promise<void>;
};

/** Resident memory of a process from /proc (Linux), bytes. */
export function processRss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN) * 1024;
}

export async function transferRig(backend: Backend = 'folder'): Promise<TransferRig> {
  const work = await mkdtemp(join(tmpdir(), 'h247-transfer-kill-'));
  const [vnPort] = (await freePorts(1)) as [number];
  const vnDir = join(work, 'vn-data');
  const stores: EvidenceStore[] = [
    await evidenceStore(backend, join(work, 'vn-evidence')),
    await evidenceStore(backend, join(work, 'fr-evidence')),
  ];
  const vnPg = process.env.DATABASE_URL ? await createTestDatabase() : null;
  const vnEnv: Record<string, string> = {
    ...(process.env as Record<string, string>),
    HOST: '127.0.0.1',
    PORT: String(vnPort),
    HANOI247_NODE_STATE: 'VN',
    HANOI247_KEY_SECRET: TEST_KEY_SECRET,
    HANOI247_LOG_LEVEL: 'warn',
    HANOI247_DATA_DIR: vnDir,
    ...stores[0]!.env,
  };
  if (vnPg) vnEnv.DATABASE_URL = vnPg.url!;
  else delete vnEnv.DATABASE_URL;

  // Viet Nam first runs here, on the database its process will use, to be linked and to send the request.
  const vnDatabase =
    vnPg ?? Object.assign(await openDatabase({ databaseUrl: null, dataDir: vnDir }), { url: null });
  const vnLocal = await startNetNode({
    state: 'VN',
    port: vnPort,
    database: vnDatabase,
    env: { HANOI247_DATA_DIR: vnDir, ...stores[0]!.env },
  });
  const fr = await startNetNode({ state: 'FR', env: stores[1]!.env });
  await linkNodes([vnLocal, fr]);

  const tokens: Record<string, string> = {};
  const actors: Record<string, Actor> = {};
  async function officer(
    node: NetNode,
    name: string,
    roles: ('DUTY_OFFICER' | 'APPROVER' | 'CENTRAL_AUTHORITY')[],
  ) {
    const { api, token, actor } = await addOfficer(node, name, roles);
    tokens[name] = token;
    actors[name] = actor;
    return api;
  }
  const vnDuty = await officer(vnLocal, 'vn-duty', ['DUTY_OFFICER']);
  const vnApprover = await officer(vnLocal, 'vn-approver', ['APPROVER']);
  const frDuty = await officer(fr, 'fr-duty', ['DUTY_OFFICER']);
  const frLawyer = await officer(fr, 'fr-lawyer', ['CENTRAL_AUTHORITY']);
  const created = await vnDuty.post('/api/v1/requests', {
    type: 'PRESERVATION',
    ...buildRequest('PRESERVATION'),
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const requestId = created.body.request.id as string;
  for (const [api, action] of [
    [vnDuty, 'submit'],
    [vnApprover, 'approve'],
    [vnDuty, 'send'],
  ] as const)
    assert.equal((await api.post(`/api/v1/requests/${requestId}/transitions`, { action })).status, 200);
  // Generous: on a loaded machine the federation outbox took over 30 s to deliver.
  const deadline = Date.now() + 180_000;
  while (!(await fr.ctx.requests.get(requestId).catch(() => null))) {
    if (Date.now() > deadline) throw new Error('the request never reached FR');
    await new Promise((r) => setTimeout(r, 100));
  }
  for (const [api, action] of [
    [frDuty, 'acknowledge'],
    [frLawyer, 'start_execution'],
  ] as const) {
    const reply = await api.post(`/api/v1/requests/${requestId}/transitions`, { action });
    assert.equal(reply.status, 200, `${action}: ${JSON.stringify(reply.body)}`);
  }
  // Viet Nam's in-process life ends here; from now on it is a process of its own.
  await vnLocal.stop();
  if (!vnPg) await vnDatabase.close();

  let vn: NodeProcess | null = null;
  const vnUrl = `http://127.0.0.1:${vnPort}`;
  async function startVn() {
    vn = spawnCli(['serve'], vnEnv);
    // Generous: a restart on a loaded machine took over a minute (a process that dies fails at once).
    await waitReady([vnUrl], [vn], 180_000);
  }
  async function killVn() {
    await vn?.stop('SIGKILL');
    vn = null;
  }
  await startVn();

  const send: TransferRig['send'] = (packageId, hooks) =>
    fr.ctx.evidence.transfer.sender.send(packageId, actors['fr-lawyer']!, hooks);

  return {
    fr,
    vn: () => vn,
    vnUrl,
    frLawyer: actors['fr-lawyer']!,
    async packageOf(file) {
      const tus = { baseUrl: fr.url, headers: { authorization: `Bearer ${tokens['fr-duty']}` } };
      const upload = await createUpload(tus, requestId, (await stat(file)).size, META);
      const itemId = await uploadFile(tus, upload, file);
      const sealed = await frDuty.post(`/api/v1/requests/${requestId}/evidence/packages`, {
        itemIds: [itemId],
      });
      assert.equal(sealed.status, 201, JSON.stringify(sealed.body));
      const approved = await frLawyer.post(`/api/v1/evidence/packages/${sealed.body.id}/approve`);
      assert.equal(approved.status, 200, JSON.stringify(approved.body));
      return sealed.body.id as string;
    },
    startVn,
    killVn,
    send,
    async sendWithKills(packageId, killAt) {
      const kills: KillReport[] = [];
      let acknowledged = 0;
      for (const at of killAt) {
        let dying: Promise<unknown> | null = null;
        await assert.rejects(
          send(packageId, {
            afterOffer: (held) => {
              if (kills.length > 0) {
                const last = kills.at(-1)!;
                last.held = held;
                last.resent = Math.max(0, last.acknowledged - held);
              }
              acknowledged = held;
              // The chunks in flight at the last kill may all have landed: with the target already
              // held, the kill comes before any chunk, or the send would finish before it.
              if (acknowledged >= at) {
                dying = killVn();
                return dying.then(() => undefined);
              }
            },
            afterChunk: async () => {
              acknowledged++;
              // Not awaited by the chunk that starts it: the chunks already in flight go on while the
              // receiver dies. Every later chunk waits for the death, so the send cannot finish first
              // (with 13 chunks and a kill at 90 %, it did on a loaded machine).
              if (dying) await dying;
              else if (acknowledged >= at) dying = killVn();
            },
          }),
          (error: { code?: string }) => error.code === 'ERR_EVIDENCE_TRANSFER',
        );
        await dying;
        kills.push({ acknowledged, held: 0, resent: 0 });
        await startVn();
      }
      const report = await send(packageId, {
        afterOffer: (held) => {
          const last = kills.at(-1);
          if (last) {
            last.held = held;
            last.resent = Math.max(0, last.acknowledged - held);
          }
        },
      });
      return { report, kills };
    },
    async receivedHashes(packageId) {
      // The receiver's items, asked of its API as its officer.
      const api = client(vnUrl);
      api.setToken(tokens['vn-duty']!);
      const list = await api.get(`/api/v1/requests/${requestId}/evidence`);
      assert.equal(list.status, 200, JSON.stringify(list.body));
      const manifestItems = (
        (await fr.ctx.evidence.packages.get(packageId, actors['fr-lawyer']!)).manifest as {
          items: { id: string }[];
        }
      ).items;
      const byId = new Map(
        (list.body.items as { id: string; sha256: string }[]).map((i) => [i.id, i.sha256]),
      );
      return manifestItems.map((i) => byId.get(i.id) ?? '');
    },
    async close() {
      await killVn();
      await fr.destroy();
      await vnPg?.close();
      await Promise.all(stores.map((s) => s.close()));
      await rm(work, { recursive: true, force: true });
    },
  };
}
