import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { auditEntries, federationInbox, federationOutbox, requests } from '../../src/store/schema/index.ts';
import { buildRequest } from '../domain/requests/request-fixtures.ts';
import type { client } from '../helpers/http-client.ts';
import { apiAs, eventually, linkNodes, type NetNode, startNetNode } from './federation-network.ts';

// Two real nodes, VN and FR, on loopback ports: a request sent by VN arrives at FR, and each step
// on either side travels back so both copies show the same state.
let vn: NetNode;
let fr: NetNode;
const api: Record<string, ReturnType<typeof client>> = {};

before(async () => {
  [vn, fr] = await Promise.all([startNetNode({ state: 'VN' }), startNetNode({ state: 'FR' })]);
  await linkNodes([vn, fr]);
  api.vnDuty = await apiAs(vn, 'vn-duty', ['DUTY_OFFICER']);
  api.vnApprover = await apiAs(vn, 'vn-approver', ['APPROVER']);
  api.frDuty = await apiAs(fr, 'fr-duty', ['DUTY_OFFICER']);
  api.vnAdmin = await apiAs(vn, 'vn-admin', ['ADMIN']);
});
after(async () => {
  await Promise.all([vn?.destroy(), fr?.destroy()]);
});

async function step(who: string, id: string, action: string, extra: Record<string, unknown> = {}) {
  const reply = await api[who]!.post(`/api/v1/requests/${id}/transitions`, { action, ...extra });
  assert.equal(reply.status, 200, `${action}: ${JSON.stringify(reply.body)}`);
  return reply.body;
}

async function statusOn(node: NetNode, id: string): Promise<string | undefined> {
  const [row] = await node.database.db
    .select({ status: requests.status })
    .from(requests)
    .where(eq(requests.id, id));
  return row?.status;
}

async function both(id: string, vnStatus: string, frStatus: string) {
  await eventually(
    async () =>
      (await statusOn(vn, id)) === vnStatus && (await statusOn(fr, id)) === frStatus ? true : undefined,
    `VN '${vnStatus}' and FR '${frStatus}' (now ${await statusOn(vn, id)} / ${await statusOn(fr, id)})`,
  );
}

test('a request sent by VN arrives at FR, and each answer from FR comes back to VN', async () => {
  const created = await api.vnDuty!.post('/api/v1/requests', {
    type: 'PRESERVATION',
    ...buildRequest('PRESERVATION'),
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const id = created.body.request.id as string;
  await step('vnDuty', id, 'submit');
  await step('vnApprover', id, 'approve');
  await step('vnDuty', id, 'send');

  await both(id, 'sent', 'received');
  const copy = await fr.ctx.requests.get(id);
  assert.equal(copy.direction, 'INCOMING');
  assert.equal(copy.requestingState, 'VN');
  assert.equal(copy.type, 'PRESERVATION');

  // The sender kept a receipt signed by FR, naming the message and its hash.
  const sent = await eventually(async () => {
    const [row] = await vn.database.db
      .select()
      .from(federationOutbox)
      .where(eq(federationOutbox.requestId, id));
    return row?.status === 'sent' ? row : undefined;
  }, 'the receipt');
  assert.ok(sent.receipt && sent.payloadSha256);
  const [inbox] = await fr.database.db
    .select()
    .from(federationInbox)
    .where(eq(federationInbox.messageId, sent.id));
  assert.equal(inbox!.payloadSha256, sent.payloadSha256);
  assert.equal(inbox!.receipt, sent.receipt);

  // FR's copy is nobody's until an officer of FR acknowledges it: then it is that officer's, not
  // the sending node's (it used to stay with 'node:VN', so FR kept being offered to take it).
  assert.equal(copy.assignedTo, null);
  const vnHolder = (await vn.ctx.requests.get(id)).assignedTo;
  await step('frDuty', id, 'acknowledge');
  await both(id, 'acknowledged', 'acknowledged');
  const frOfficer = (await api.frDuty!.get('/api/v1/auth/me')).body.user.id as string;
  assert.equal((await fr.ctx.requests.get(id)).assignedTo, frOfficer);
  assert.equal((await vn.ctx.requests.get(id)).assignedTo, vnHolder, 'the sender keeps its own holder');
  await step('frDuty', id, 'open_consultation', { message: 'Can the window be narrowed to one week?' });
  await both(id, 'consultation', 'consultation');
  await step('frDuty', id, 'start_execution');
  await both(id, 'in_execution', 'in_execution');
  await step('frDuty', id, 'complete', { message: 'Data preserved.' });
  await both(id, 'executed', 'executed');
  const timeline = (await vn.ctx.requests.get(id)).timeline.map((e) => e.action);
  assert.deepEqual(timeline.slice(-4), [
    'record_acknowledgement',
    'record_consultation',
    'record_execution',
    'record_result',
  ]);

  // Each received message left an audit entry on the receiver, naming the message.
  const received = await fr.database.db
    .select()
    .from(auditEntries)
    .where(and(eq(auditEntries.action, 'federation.receive'), eq(auditEntries.objectId, sent.id)));
  assert.equal(received.length, 1);
});

test('a refusal from FR carries its ground and reason back to VN', async () => {
  const created = await api.vnDuty!.post('/api/v1/requests', {
    type: 'MLA_GENERAL',
    ...buildRequest('MLA_GENERAL', { caseReference: 'VN-2027-0007' }),
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const id = created.body.request.id as string;
  await step('vnDuty', id, 'submit');
  await step('vnApprover', id, 'approve');
  await step('vnDuty', id, 'send');
  await both(id, 'sent', 'received');
  await step('frDuty', id, 'acknowledge');
  await step('frDuty', id, 'open_consultation', { message: 'Conditions: use limited to this case.' });
  await step('frDuty', id, 'refuse', { ground: 'ESSENTIAL_INTERESTS', reason: 'Essential interests.' });
  await both(id, 'refused', 'refused');
  const last = (await vn.ctx.requests.get(id)).timeline.at(-1)!;
  assert.equal(last.action, 'record_refusal');
  assert.equal((last.details as Record<string, unknown>).ground, 'ESSENTIAL_INTERESTS');
});

test('steps of the requesting side travel too: an answer to a question, then a withdrawal', async () => {
  const created = await api.vnDuty!.post('/api/v1/requests', {
    type: 'MLA_GENERAL',
    ...buildRequest('MLA_GENERAL', { caseReference: 'VN-2027-0008' }),
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const id = created.body.request.id as string;
  await step('vnDuty', id, 'submit');
  await step('vnApprover', id, 'approve');
  await step('vnDuty', id, 'send');
  await both(id, 'sent', 'received');
  await step('frDuty', id, 'request_info', { message: 'Which accounts exactly?' });
  await both(id, 'info_requested', 'info_requested');
  await step('vnDuty', id, 'answer_info_request', { message: 'The three accounts listed.' });
  await both(id, 'acknowledged', 'acknowledged');
  await step('vnDuty', id, 'withdraw', { reason: 'The suspect was arrested at home.' });
  await both(id, 'withdrawn', 'withdrawn');
  const last = (await fr.ctx.requests.get(id)).timeline.at(-1)!;
  assert.equal(last.action, 'record_withdrawal');
  assert.equal(last.actor, 'node:VN');
});

test('a partner without a node gets nothing over the network: the request is sent on paper', async () => {
  const created = await api.vnDuty!.post('/api/v1/requests', {
    type: 'PRESERVATION',
    ...buildRequest('PRESERVATION', { requestedState: 'DE', caseReference: 'VN-2027-0009' }),
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const id = created.body.request.id as string;
  await step('vnDuty', id, 'submit');
  await step('vnApprover', id, 'approve');
  await step('vnDuty', id, 'send');
  assert.equal(await statusOn(vn, id), 'sent');
  const queued = await vn.database.db
    .select()
    .from(federationOutbox)
    .where(eq(federationOutbox.requestId, id));
  assert.equal(queued.length, 0);
});
