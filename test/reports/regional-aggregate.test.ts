import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { verifyJson } from '../../src/crypto/node-keys.ts';
import { createDirectoryService } from '../../src/directory/directory-service.ts';
import { enqueueMessage } from '../../src/federation/outbox-store.ts';
import { findPeer } from '../../src/federation/peers.ts';
import { REPORT_MESSAGE } from '../../src/reports/regional-reports.ts';
import { verifyAggregateFile } from '../../src/reports/verify-aggregate.ts';
import { auditEntries, regionalMemberReports } from '../../src/store/schema/index.ts';
import { buildRequest } from '../domain/requests/request-fixtures.ts';
import {
  apiAs,
  eventually,
  linkNodes,
  type NetNode,
  startNetNode,
} from '../federation/federation-network.ts';
import { client } from '../helpers/http-client.ts';

// A regional hub (SG for ASEAN) collects the released, signed reports of its members over federation
// and publishes their aggregate, signed by itself. Only reports travel, each checked against its
// node's key; a report from a node outside the region, or one whose signature does not hold, is
// refused and kept nowhere. The hub's own report counts too.
const REGION = {
  HANOI247_REPORT_REGION: 'ASEAN',
  HANOI247_REPORT_REGION_HUB: 'SG',
  HANOI247_REPORT_REGION_MEMBERS: 'VN,SG',
};
let vn: NetNode;
let sg: NetNode;
let fr: NetNode;
let quarter = '';
const reportOf: Record<string, string> = {};

async function receive(node: NetNode, from: string, count: number) {
  const duty = await apiAs(node, `${node.state.toLowerCase()}-duty`, ['DUTY_OFFICER']);
  for (let i = 0; i < count; i++) {
    const created = await duty.post('/api/v1/requests', {
      type: 'MLA_GENERAL',
      direction: 'INCOMING',
      ...buildRequest('MLA_GENERAL', { requestingState: from, requestedState: node.state }),
      confidentialityRequired: false,
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
  }
}

/** Builds the quarter's report (an approver) and releases it (an administrator: four eyes). */
async function publish(node: NetNode): Promise<string> {
  const approver = await apiAs(node, `${node.state.toLowerCase()}-approver`, ['APPROVER']);
  const admin = await apiAs(node, `${node.state.toLowerCase()}-admin`, ['ADMIN']);
  const built = await approver.post('/api/v1/reports', { period: quarter });
  assert.equal(built.status, 201, JSON.stringify(built.body));
  const released = await admin.post(`/api/v1/reports/${built.body.summary.id}/release`, {});
  assert.equal(released.status, 200, JSON.stringify(released.body));
  return built.body.summary.id;
}

before(async () => {
  vn = await startNetNode({ state: 'VN', env: REGION });
  sg = await startNetNode({ state: 'SG', env: REGION });
  // France believes it is a member; the hub's own list says otherwise.
  fr = await startNetNode({ state: 'FR', env: { ...REGION, HANOI247_REPORT_REGION_MEMBERS: 'VN,SG,FR' } });
  await linkNodes([vn, sg, fr]);
  const now = vn.ctx.clock.now();
  quarter = `${now.getUTCFullYear()}-Q${Math.floor(now.getUTCMonth() / 3) + 1}`;
  await receive(vn, 'FR', 6);
  await receive(sg, 'FR', 2);
  await receive(fr, 'DE', 5);
  for (const node of [vn, sg, fr]) reportOf[node.state] = await publish(node);
});
after(async () => {
  await Promise.all([vn, sg, fr].map((n) => n?.destroy()));
});

test('the hub aggregates the released reports of its members, and signs the aggregate', async () => {
  const anonymous = client(sg.url);
  const answer = await eventually(async () => {
    const r = await anonymous.get(`/api/v1/public/regional-reports/${quarter}`);
    return r.status === 200 && r.body.aggregate.members.length === 2 ? r.body : undefined;
  }, "VN's report at the hub");
  const { aggregate, jws } = answer;
  assert.deepEqual(await verifyJson(jws, sg.ctx.keyring.verificationKeys()), aggregate, 'signed by the hub');
  assert.equal(aggregate.region, 'ASEAN');
  assert.equal(aggregate.hub, 'SG');
  assert.deepEqual(
    aggregate.members.map((m: { node: string; reportId: string }) => [m.node, m.reportId]),
    [
      ['SG', reportOf.SG],
      ['VN', reportOf.VN],
    ],
  );
  const received = aggregate.figures.find(
    (f: { indicator: string; dimension: string }) =>
      f.indicator === 'requests_received' && f.dimension === 'total',
  );
  // VN published 6, SG "<5" (2): the sum is known only within bounds.
  assert.deepEqual(received, {
    indicator: 'requests_received',
    dimension: 'total',
    group: null,
    value: null,
    min: 7,
    max: 10,
    members: 2,
  });
  const sent = aggregate.figures.find(
    (f: { indicator: string; dimension: string }) =>
      f.indicator === 'requests_sent' && f.dimension === 'total',
  );
  assert.equal(sent.value, 0, 'an exact sum when nothing was suppressed');
  // Anyone holding the directory checks it with the hub's key listed there (as `report verify` does),
  // and learns which member reports it sums; a member's own key does not verify it.
  const directory = await createDirectoryService(vn.database, vn.ctx.clock).currentOrNull();
  const hubEntry = findPeer(directory!.document, 'SG', vn.ctx.clock.now());
  const checked = await verifyAggregateFile(answer, hubEntry!.signingKeys);
  assert.deepEqual(
    checked.members.map((m) => [m.node, m.reportId]),
    [
      ['SG', reportOf.SG],
      ['VN', reportOf.VN],
    ],
  );
  await assert.rejects(verifyAggregateFile(answer, vn.ctx.keyring.verificationKeys()), {
    code: 'ERR_REPORT_SIGNATURE',
  });
  await assert.rejects(
    verifyAggregateFile({ aggregate: { ...aggregate, period: '2020-Q1' }, jws }, hubEntry!.signingKeys),
    { code: 'ERR_REPORT_MISMATCH' },
  );
  const listed = await anonymous.get('/api/v1/public/regional-reports');
  assert.deepEqual(listed.body.region, { name: 'ASEAN', hub: 'SG', members: ['VN', 'SG'] });
  assert.deepEqual(listed.body.periods, [{ period: quarter, members: ['SG', 'VN'] }]);
  // The hub audited what it accepted (hashes and sizes only).
  const audited = await sg.database.db
    .select()
    .from(auditEntries)
    .where(eq(auditEntries.action, 'report.regional.receive'));
  assert.deepEqual(
    audited.map((a) => a.objectId),
    [reportOf.VN],
  );
  // A member node is no hub: it publishes no aggregate.
  const member = await client(vn.url).get(`/api/v1/public/regional-reports/${quarter}`);
  assert.equal(member.status, 404);
  assert.equal((await client(vn.url).get('/api/v1/public/regional-reports')).body.region, null);
  const bad = await anonymous.get('/api/v1/public/regional-reports/2999-Q1');
  assert.equal(bad.status, 400);
});

test('a report from outside the region, or one whose signature does not hold, is refused and kept nowhere', async () => {
  const frAdmin = await apiAs(fr, 'fr-watch', ['ADMIN']);
  const dead = await eventually(async () => {
    const reply = await frAdmin.get('/api/v1/federation/dead-letters');
    return reply.body.items.find((m: { type?: string; messageType?: string }) =>
      [m.type, m.messageType].includes(REPORT_MESSAGE),
    );
  }, "FR's refused report");
  assert.equal(dead.lastErrorCode, 'ERR_PEER_PROTOCOL');
  // A report of VN altered after signing: the hub checks the signature with VN's key and refuses it.
  const file = (await client(vn.url).get(`/api/v1/public/reports/${reportOf.VN}`)).body;
  const [h, , s] = (file.jws as string).split('.');
  const forged = { ...file.report, id: '01900000-0000-7000-8000-000000000001', suppressionThreshold: 1 };
  const jws = `${h}.${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${s}`;
  const id = await vn.database.db.transaction((tx) =>
    enqueueMessage(
      tx,
      { recipient: 'SG', type: REPORT_MESSAGE, requestId: null, body: { region: 'ASEAN', jws } },
      vn.ctx.clock.now(),
      3_600_000,
    ),
  );
  vn.ctx.federation.sender.nudge();
  const vnAdmin = await apiAs(vn, 'vn-watch', ['ADMIN']);
  const refused = await eventually(async () => {
    const reply = await vnAdmin.get('/api/v1/federation/dead-letters');
    return reply.body.items.find((m: { id: string }) => m.id === id);
  }, 'the forged report refused');
  assert.equal(refused.lastErrorCode, 'ERR_PEER_PROTOCOL');
  const kept = await sg.database.db.select().from(regionalMemberReports);
  assert.deepEqual(kept.map((r) => r.node).sort(), ['SG', 'VN'], 'nothing of FR, nothing forged');
});
