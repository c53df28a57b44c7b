// Shared set-up of the evidence tests: a node with an evidence folder of its own, officers of a case,
// and an incoming stored-data request from France in execution.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Role } from '../../src/domain/codes.ts';
import { buildRequest } from '../domain/requests/request-fixtures.ts';
import { client } from '../helpers/http-client.ts';
import { startTestNode, type TestNode } from '../helpers/test-node.ts';

export const MAX_UPLOAD = 32 * 1024 * 1024;

export type Officer = { id: string; token: string; api: ReturnType<typeof client> };

export type EvidenceWorld = {
  node: TestNode;
  dir: string;
  officers: Record<string, Officer>;
  close(): Promise<void>;
};

const ACCOUNTS: [string, Role[]][] = [
  ['duty', ['DUTY_OFFICER']],
  ['lawyer', ['CENTRAL_AUTHORITY']],
  ['outsider', ['INVESTIGATOR']],
  ['auditor', ['AUDITOR']],
];

export async function evidenceWorld(): Promise<EvidenceWorld> {
  const dir = await mkdtemp(join(tmpdir(), 'h247-evidence-'));
  const node = await startTestNode({
    config: { evidence: { dir, maxUploadBytes: MAX_UPLOAD } },
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
    officers,
    async close() {
      await node.close();
      await rm(dir, { recursive: true, force: true });
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
