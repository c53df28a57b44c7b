// Two real nodes on loopback for the tests of what happens after a package travels: Viet Nam's
// stored-data request executed by France, officers on both sides, and a helper that uploads, seals,
// approves and sends a package from France to Viet Nam.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asc, eq } from 'drizzle-orm';
import type { Role } from '../../src/domain/codes.ts';
import type { EvidenceActor } from '../../src/evidence/evidence-deps.ts';
import { OFFER_TYPE, OFFERS_PATH } from '../../src/evidence/transfer/transfer-wire.ts';
import { createUpload } from '../../src/evidence/tus-client.ts';
import { encryptTo } from '../../src/federation/jwe.ts';
import { auditEntries } from '../../src/store/schema/index.ts';
import { buildRequest } from '../domain/requests/request-fixtures.ts';
import { linkNodes, type NetNode, startNetNode } from '../federation/federation-network.ts';
import { client } from '../helpers/http-client.ts';
import { META } from './evidence-fixtures.ts';

export type Officer = { api: ReturnType<typeof client>; token: string; actor: EvidenceActor };

export type TwoNodes = {
  vn: NetNode;
  fr: NetNode;
  dir: string;
  requestId: string;
  officers: Record<'vnDuty' | 'vnApprover' | 'frDuty' | 'frLawyer' | 'frOutsider', Officer>;
  /** A package of these bytes sealed by FR's duty officer, approved by FR's lawyer, sent to VN. */
  deliver(bytes?: Buffer, forRequest?: string): Promise<string>;
  close(): Promise<void>;
};

/** The password of every officer made by officer(), for signing in to the desk. */
export const OFFICER_PASSWORD = 'two-nodes-pw-123';

export async function officer(node: NetNode, username: string, roles: Role[]): Promise<Officer> {
  const { user } = await node.ctx.users.addUser('test', { username, password: OFFICER_PASSWORD, roles });
  const { token } = await node.ctx.auth.createToken(user.id, { name: 'test', scopes: roles, ttlDays: 30 });
  const api = client(node.url);
  api.setToken(token);
  return { api, token, actor: { id: user.id, roles } };
}

/** The audit actions a node recorded about one object (a package), in order. */
export async function auditActions(node: NetNode, objectId: string): Promise<string[]> {
  const rows = await node.database.db
    .select({ action: auditEntries.action })
    .from(auditEntries)
    .where(eq(auditEntries.objectId, objectId))
    .orderBy(asc(auditEntries.seq));
  return rows.map((r) => r.action);
}

/** Polls until `check` answers a value, or fails after the deadline. */
export async function eventually<T>(what: string, check: () => Promise<T | null | undefined | false>) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`never happened: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** An offer of a package whose manifest `from` signed, straight to `to`'s receiver (as a faulty or hostile node sends it). */
export async function offerTo(
  from: NetNode,
  to: NetNode,
  manifestJws: string,
  packageId: string,
  toState = to.state,
) {
  const transferKey = randomBytes(32).toString('base64url');
  const jws = await from.ctx.keyring.sign({
    typ: 'hanoi247-evidence-offer',
    from: from.state,
    to: toState,
    packageId,
    manifestJws,
    transferKey,
  });
  const key = to.ctx.keyring.publicKeys().encryption;
  const jwe = await encryptTo(jws, key, OFFER_TYPE, { from: from.state, to: toState, packageId });
  return fetch(`${to.url}${OFFERS_PATH}`, {
    method: 'POST',
    body: jwe,
    headers: { 'content-type': 'application/jose' },
  });
}

export async function twoNodes(): Promise<TwoNodes> {
  const dir = await mkdtemp(join(tmpdir(), 'h247-two-nodes-'));
  const [vn, fr] = await Promise.all([
    startNetNode({ state: 'VN', env: { HANOI247_EVIDENCE_DIR: join(dir, 'vn') } }),
    startNetNode({ state: 'FR', env: { HANOI247_EVIDENCE_DIR: join(dir, 'fr') } }),
  ]);
  await linkNodes([vn, fr]);
  const officers = {
    vnDuty: await officer(vn, 'vn-duty', ['DUTY_OFFICER']),
    vnApprover: await officer(vn, 'vn-approver', ['APPROVER']),
    frDuty: await officer(fr, 'fr-duty', ['DUTY_OFFICER']),
    frLawyer: await officer(fr, 'fr-lawyer', ['CENTRAL_AUTHORITY']),
    frOutsider: await officer(fr, 'fr-outsider', ['CENTRAL_AUTHORITY']),
  };
  const created = await officers.vnDuty.api.post('/api/v1/requests', {
    type: 'MLA_STORED_DATA',
    ...buildRequest('MLA_STORED_DATA'),
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const requestId = created.body.request.id as string;
  const step = async (who: Officer, action: string) => {
    const reply = await who.api.post(`/api/v1/requests/${requestId}/transitions`, { action });
    assert.equal(reply.status, 200, `${action}: ${JSON.stringify(reply.body)}`);
  };
  await step(officers.vnDuty, 'submit');
  await step(officers.vnApprover, 'approve');
  await step(officers.vnDuty, 'send');
  await eventually('the request reaches FR', () => fr.ctx.requests.get(requestId).catch(() => null));
  await step(officers.frDuty, 'acknowledge');
  await step(officers.frLawyer, 'start_execution');

  async function deliver(bytes = randomBytes(300_000), forRequest = requestId): Promise<string> {
    const tus = { baseUrl: fr.url, headers: { authorization: `Bearer ${officers.frDuty.token}` } };
    const upload = await createUpload(tus, forRequest, bytes.length, META);
    const done = await fr.ctx.evidence.uploads.append(upload, officers.frDuty.actor, 0, [bytes]);
    assert.ok(done.itemId, 'the upload made an item');
    const sealed = await officers.frDuty.api.post(`/api/v1/requests/${forRequest}/evidence/packages`, {});
    assert.equal(sealed.status, 201, JSON.stringify(sealed.body));
    const id = sealed.body.id as string;
    const approved = await officers.frLawyer.api.post(`/api/v1/evidence/packages/${id}/approve`);
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    const sent = await officers.frLawyer.api.post(`/api/v1/evidence/packages/${id}/send`);
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    return id;
  }

  return {
    vn,
    fr,
    dir,
    requestId,
    officers,
    deliver,
    async close() {
      await Promise.all([vn.destroy(), fr.destroy()]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
