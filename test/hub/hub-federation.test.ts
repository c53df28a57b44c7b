import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { enqueueMessage } from '../../src/federation/outbox-store.ts';
import type { AlertMessage } from '../../src/hub/hub-federation.ts';
import type { HubEvent } from '../../src/hub/hub-types.ts';
import { deriveIndicatorId } from '../../src/hub/indicator-ids.ts';
import {
  auditEntries,
  federationInbox,
  federationOutbox,
  hubAlerts,
  hubIndicators,
} from '../../src/store/schema/index.ts';
import { eventually } from '../federation/federation-network.ts';
import { stixFailures } from '../stix/conformance.ts';
import { type HubNode, startHubNetwork } from './hub-network.ts';

// Three real nodes on loopback: SG is the regional hub of an ASEAN sharing group that VN and TH also
// share. Alerts published on VN reach SG, which redistributes them to TH; TLP holds across nodes.
let net: Awaited<ReturnType<typeof startHubNetwork>>;
let vn: HubNode;
let sg: HubNode;
let th: HubNode;

before(async () => {
  net = await startHubNetwork(['VN', 'SG', 'TH'], 'SG');
  [vn, sg, th] = [net.nodes.VN!, net.nodes.SG!, net.nodes.TH!];
});
after(() => net?.destroy());

let counter = 0;
async function publish(from: HubNode, body: Record<string, unknown>) {
  const reply = await from.bank.api.post('/api/v1/hub/alerts', {
    kind: 'scam_campaign',
    title: `shared alert ${++counter}`,
    confidence: 70,
    groupId: net.regional,
    ...body,
  });
  assert.equal(reply.status, 201, JSON.stringify(reply.body));
  return reply.body.alert as { id: string; version: number; indicators: { id: string; value: string }[] };
}

async function matches(on: HubNode, who: 'bank' | 'telecom', type: string, value: string) {
  const reply = await on[who].api.get(`/api/v1/hub/check?type=${type}&value=${encodeURIComponent(value)}`);
  assert.equal(reply.status, 200, JSON.stringify(reply.body));
  return reply.body.matches as { alertId: string }[];
}

const matched = (on: HubNode, value: string, alertId: string, who: 'bank' | 'telecom' = 'bank') =>
  eventually(
    async () =>
      (await matches(on, who, 'domain', value)).some((m) => m.alertId === alertId) ? true : undefined,
    `${value} matching on ${on.node.state}`,
  );

async function versionOn(on: HubNode, id: string): Promise<number | undefined> {
  const [row] = await on.node.database.db
    .select({ version: hubAlerts.version })
    .from(hubAlerts)
    .where(eq(hubAlerts.id, id));
  return row?.version;
}

const hasVersion = (on: HubNode, id: string, version: number) =>
  eventually(
    async () => ((await versionOn(on, id)) === version ? true : undefined),
    `version ${version} of ${id} on ${on.node.state}`,
  );

async function alertMessages(on: HubNode, alertId: string) {
  return on.node.database.db
    .select()
    .from(federationOutbox)
    .where(and(eq(federationOutbox.messageType, 'alert'), eq(federationOutbox.requestId, alertId)));
}

test('an alert published on VN reaches the hub SG and, through it, TH; updates and revocation follow', async () => {
  const seenOnTh: HubEvent[] = [];
  const stop = th.node.ctx.hub.events.subscribe((e) => seenOnTh.push(e));
  const alert = await publish(vn, {
    tlp: 'GREEN',
    indicators: [{ type: 'domain', value: 'regional-scam.example' }],
  });
  await matched(sg, 'regional-scam.example', alert.id);
  await matched(th, 'regional-scam.example', alert.id);
  // VN sent to the hub only; TH got its copy from SG, signed by SG.
  assert.deepEqual(
    (await alertMessages(vn, alert.id)).map((m) => m.recipient),
    ['SG'],
  );
  const [inbox] = await th.node.database.db
    .select()
    .from(federationInbox)
    .where(and(eq(federationInbox.messageType, 'alert'), eq(federationInbox.requestId, alert.id)));
  assert.equal(inbox?.sender, 'SG');
  const copy = await th.bank.api.get(`/api/v1/hub/alerts/${alert.id}`);
  assert.equal(copy.status, 200);
  assert.equal(copy.body.publisherOrgName, 'Bank VN (VN)');
  assert.equal(copy.body.tlp, 'GREEN');
  assert.ok(seenOnTh.some((e) => e.event === 'alert.published' && e.alert.id === alert.id));
  // The copy exports as valid STIX, its publisher as an identity of its own.
  const stix = await th.bank.api.get(`/api/v1/hub/alerts/${alert.id}/stix`);
  assert.deepEqual(await stixFailures(stix.body, { rejectCustom: true }), []);
  assert.ok(stix.body.objects.some((o: { name?: string }) => o.name === 'Bank VN (VN)'));
  // Only the publisher changes it, on its own node: the copy is not TH's to revoke.
  assert.equal((await th.bank.api.post(`/api/v1/hub/alerts/${alert.id}/revoke`, {})).status, 403);
  const received = await th.node.database.db
    .select()
    .from(auditEntries)
    .where(and(eq(auditEntries.action, 'hub.alert.receive'), eq(auditEntries.objectId, alert.id)));
  assert.equal(received.length, 1);
  assert.equal(received[0]!.actor, 'node:SG');

  const updated = await vn.bank.api.call('PATCH', `/api/v1/hub/alerts/${alert.id}`, {
    addIndicators: [{ type: 'domain', value: 'regional-scam-2.example' }],
    removeIndicatorIds: [alert.indicators[0]!.id],
  });
  assert.equal(updated.status, 200, JSON.stringify(updated.body));
  await matched(th, 'regional-scam-2.example', alert.id);
  assert.equal((await matches(th, 'bank', 'domain', 'regional-scam.example')).length, 0);

  assert.equal((await vn.bank.api.post(`/api/v1/hub/alerts/${alert.id}/revoke`, {})).status, 200);
  await hasVersion(th, alert.id, 3);
  assert.equal((await matches(th, 'bank', 'domain', 'regional-scam-2.example')).length, 0);
  assert.equal((await matches(sg, 'bank', 'domain', 'regional-scam-2.example')).length, 0);
  assert.equal((await th.bank.api.get(`/api/v1/hub/alerts/${alert.id}`)).body.state, 'revoked');
  assert.deepEqual(
    seenOnTh.filter((e) => e.alert.id === alert.id).map((e) => e.event),
    ['alert.published', 'alert.updated', 'alert.revoked'],
  );
  stop();
});

test('TLP across nodes: RED and AMBER+STRICT never leave; AMBER reaches only the group members', async () => {
  const red = await publish(vn, { tlp: 'RED', indicators: [{ type: 'domain', value: 'red-only.example' }] });
  const strict = await publish(vn, {
    tlp: 'AMBER+STRICT',
    indicators: [{ type: 'domain', value: 'strict-only.example' }],
  });
  const amber = await publish(vn, { tlp: 'AMBER', indicators: [{ type: 'domain', value: 'amber.example' }] });
  // A group that is not shared stays on its node, whatever its TLP.
  const national = await publish(vn, {
    tlp: 'CLEAR',
    groupId: vn.national,
    indicators: [{ type: 'domain', value: 'national-only.example' }],
  });
  // The AMBER alert was published after the others: once it is on TH, they would have been too.
  await matched(th, 'amber.example', amber.id);
  for (const id of [red.id, strict.id, national.id]) {
    assert.deepEqual(await alertMessages(vn, id), [], `nothing queued for ${id}`);
    for (const n of [sg, th]) assert.equal(await versionOn(n, id), undefined, `${id} not on ${n.node.state}`);
  }
  for (const value of ['red-only.example', 'strict-only.example', 'national-only.example'])
    assert.equal((await matches(th, 'bank', 'domain', value)).length, 0);
  // On TH the AMBER copy is read by the regional group's member, not by TH's telecom outside it.
  assert.equal((await matches(th, 'telecom', 'domain', 'amber.example')).length, 0);
  assert.equal((await th.telecom.api.get(`/api/v1/hub/alerts/${amber.id}`)).status, 404);
  const exported = await th.telecom.api.get('/api/v1/hub/export');
  assert.ok(!exported.text.includes('amber.example'));
});

test('an alert tightened to RED after it was shared is withdrawn from the other nodes', async () => {
  const alert = await publish(vn, {
    tlp: 'AMBER',
    title: 'soon red',
    description: 'details that must not stay abroad',
    indicators: [{ type: 'domain', value: 'tightened.example' }],
  });
  await matched(th, 'tightened.example', alert.id);
  const tightened = await vn.bank.api.call('PATCH', `/api/v1/hub/alerts/${alert.id}`, { tlp: 'RED' });
  assert.equal(tightened.status, 200, JSON.stringify(tightened.body));
  await hasVersion(th, alert.id, 2);
  for (const n of [sg, th]) {
    assert.equal((await matches(n, 'bank', 'domain', 'tightened.example')).length, 0);
    const copy = await n.bank.api.get(`/api/v1/hub/alerts/${alert.id}`);
    assert.equal(copy.body.state, 'revoked');
    assert.equal(copy.body.tlp, 'AMBER');
    assert.deepEqual(copy.body.indicators, []);
    assert.ok(!JSON.stringify(copy.body).includes('must not stay abroad'));
    const rows = await n.node.database.db
      .select()
      .from(hubIndicators)
      .where(eq(hubIndicators.alertId, alert.id));
    assert.equal(rows.length, 0, `no indicator left on ${n.node.state}`);
  }
  // The withdrawal carried no content: no RED message ever left VN.
  const sent = await alertMessages(vn, alert.id);
  assert.equal(sent.length, 2);
  for (const m of sent) assert.notEqual((m.body as AlertMessage).alert.tlp, 'RED');
});

/** Queues a hand-made 'alert' message on `from` for `to` and waits for the sender's verdict. */
async function sendRaw(from: HubNode, to: string, body: AlertMessage) {
  const id = await from.node.database.db.transaction((tx) =>
    enqueueMessage(
      tx,
      { recipient: to, type: 'alert', requestId: body.alert.id, body },
      from.node.ctx.clock.now(),
      3_600_000,
    ),
  );
  from.node.ctx.federation.sender.nudge();
  return eventually(async () => {
    const [row] = await from.node.database.db
      .select()
      .from(federationOutbox)
      .where(eq(federationOutbox.id, id));
    return row && row.status !== 'pending' ? row : undefined;
  }, `the verdict on message ${id}`);
}

function forged(overrides: Partial<AlertMessage['alert']>, rest: Partial<AlertMessage> = {}): AlertMessage {
  const now = new Date().toISOString();
  return {
    event: 'published',
    origin: 'TH',
    groupId: net.regional,
    publisher: { id: th.bank.orgId, name: 'Bank TH', kind: 'bank', country: 'TH' },
    alert: {
      id: crypto.randomUUID(),
      kind: 'scam_campaign',
      title: 'forged',
      description: '',
      confidence: 50,
      tlp: 'GREEN',
      validFrom: now,
      validUntil: null,
      status: 'active',
      version: 1,
      createdAt: now,
      updatedAt: now,
      revokedAt: null,
      ...overrides,
    },
    indicators: [{ id: crypto.randomUUID(), type: 'domain', value: 'forged.example' }],
    ...rest,
  };
}

test('a node refuses what the protocol does not allow: RED, passing on for another node, bad values', async () => {
  const cases: [string, AlertMessage][] = [
    ['a RED alert', forged({ tlp: 'RED' })],
    // TH is not the hub: it speaks for its own alerts only.
    [
      "an alert of VN's",
      forged({}, { origin: 'VN', publisher: { id: vn.bank.orgId, name: 'x', kind: 'bank', country: 'VN' } }),
    ],
    [
      'a value not in normal form',
      forged({}, { indicators: [{ id: crypto.randomUUID(), type: 'domain', value: 'FORGED.Example' }] }),
    ],
    ['an unknown sharing group', forged({}, { groupId: crypto.randomUUID() })],
    ["the hub's own organisation", forged({}, { publisher: { ...forged({}).publisher, id: sg.bank.orgId } })],
  ];
  for (const [name, body] of cases) {
    const verdict = await sendRaw(th, 'SG', body);
    assert.equal(verdict.status, 'dead', name);
    assert.equal(verdict.lastErrorCode, 'ERR_PEER_PROTOCOL', `${name}: ${verdict.lastError}`);
    assert.equal(await versionOn(sg, body.alert.id), undefined, `${name}: nothing stored`);
  }
  assert.equal((await matches(sg, 'bank', 'domain', 'forged.example')).length, 0);
  // The same hand-made message, well formed, is accepted: the refusals above were for their reasons.
  const fine = forged({});
  assert.equal((await sendRaw(th, 'SG', fine)).status, 'sent');
  await matched(sg, 'forged.example', fine.alert.id);
  await matched(vn, 'forged.example', fine.alert.id);
});

test('indicator ids cross nodes unchanged: derived ids are answered from memory, older random ones from the database', async () => {
  const alert = await publish(vn, {
    tlp: 'GREEN',
    indicators: [{ type: 'domain', value: 'derived.example' }],
  });
  assert.equal(alert.indicators[0]!.id, deriveIndicatorId(alert.id, 'domain', 'derived.example'));
  await matched(th, 'derived.example', alert.id);
  // A copy of a node on an older version: its indicator id is random, so that alert is not flagged.
  const old = forged(
    {},
    { indicators: [{ id: crypto.randomUUID(), type: 'domain', value: 'older-node.example' }] },
  );
  assert.equal((await sendRaw(th, 'SG', old)).status, 'sent');
  await matched(sg, 'older-node.example', old.alert.id);
  const flags = async (on: HubNode, id: string) =>
    (
      await on.node.database.db
        .select({ derived: hubAlerts.indicatorIdsDerived })
        .from(hubAlerts)
        .where(eq(hubAlerts.id, id))
    )[0]?.derived;
  assert.equal(await flags(sg, alert.id), true);
  assert.equal(await flags(th, alert.id), true);
  assert.equal(await flags(sg, old.alert.id), false);
  const ids = async (on: HubNode, value: string) =>
    (await matches(on, 'bank', 'domain', value)).map(
      (m) => (m as unknown as { indicatorId: string }).indicatorId,
    );
  assert.deepEqual(await ids(th, 'derived.example'), [alert.indicators[0]!.id]);
  assert.deepEqual(await ids(sg, 'older-node.example'), [old.indicators[0]!.id]);
  // A later version from the same older node adding a derived-looking id keeps the alert unflagged.
  const next = {
    ...old,
    event: 'updated' as const,
    alert: { ...old.alert, version: 2 },
    indicators: [
      ...old.indicators,
      {
        id: deriveIndicatorId(old.alert.id, 'domain', 'second.example'),
        type: 'domain',
        value: 'second.example',
      },
    ],
  };
  assert.equal((await sendRaw(th, 'SG', next)).status, 'sent');
  await hasVersion(sg, old.alert.id, 2);
  assert.equal(await flags(sg, old.alert.id), false);
  assert.deepEqual(await ids(sg, 'second.example'), [next.indicators[1]!.id]);
});

test('a copy received is applied once: an older or repeated version changes nothing', async () => {
  const alert = await publish(vn, { tlp: 'CLEAR', indicators: [{ type: 'domain', value: 'once.example' }] });
  await matched(th, 'once.example', alert.id);
  const [message] = await alertMessages(sg, alert.id);
  const body = message!.body as AlertMessage;
  const stale = { ...body, alert: { ...body.alert, title: 'replayed' } };
  // VN resends version 1 to the hub with another title: already held, so ignored.
  assert.equal((await sendRaw(vn, 'SG', stale)).status, 'sent');
  assert.equal((await sg.bank.api.get(`/api/v1/hub/alerts/${alert.id}`)).body.title, body.alert.title);
});

test('after a restart the node rebuilds its index with the copies, and later changes still apply', async () => {
  const alert = await publish(vn, {
    tlp: 'GREEN',
    indicators: [{ type: 'domain', value: 'restart.example' }],
  });
  await matched(th, 'restart.example', alert.id);
  await th.node.stop();
  th.node = await th.node.restart();
  await matched(th, 'restart.example', alert.id);
  assert.equal((await vn.bank.api.post(`/api/v1/hub/alerts/${alert.id}/revoke`, {})).status, 200);
  await hasVersion(th, alert.id, 2);
  assert.equal((await matches(th, 'bank', 'domain', 'restart.example')).length, 0);
});

test('a sighting on a copy goes back to the publisher through the hub, which keeps none of it', async () => {
  const heard: HubEvent[] = [];
  const stop = vn.node.ctx.hub.events.subscribe((e) => heard.push(e));
  const alert = await publish(vn, {
    tlp: 'AMBER',
    indicators: [{ type: 'domain', value: 'sighted.example' }],
  });
  await matched(th, 'sighted.example', alert.id);
  const sighting = await th.bank.api.post(`/api/v1/hub/alerts/${alert.id}/sightings`, {
    indicatorId: alert.indicators[0]!.id,
    count: 14,
    note: 'we blocked 14 transfers',
  });
  assert.equal(sighting.status, 201, JSON.stringify(sighting.body));
  const fp = await th.bank.api.post(`/api/v1/hub/alerts/${alert.id}/sightings`, { kind: 'false_positive' });
  assert.equal(fp.status, 201);
  const feedback = await eventually(async () => {
    const view = await vn.bank.api.get(`/api/v1/hub/alerts/${alert.id}`);
    return view.body.feedback.length === 2 ? view.body.feedback : undefined;
  }, 'the feedback on VN');
  const seen = feedback.find((f: { kind: string }) => f.kind === 'sighting');
  assert.equal(seen.count, 14);
  assert.equal(seen.note, 'we blocked 14 transfers');
  assert.equal(seen.orgName, 'Bank TH (TH)');
  assert.equal(seen.indicatorId, alert.indicators[0]!.id);
  assert.ok(heard.some((e) => e.event === 'alert.feedback' && e.alert.id === alert.id));
  // The hub passed it on: its members see no one else's feedback, and it stored none.
  const onHub = await sg.bank.api.get(`/api/v1/hub/alerts/${alert.id}`);
  assert.deepEqual(onHub.body.feedback, []);
  const { hubReports } = await import('../../src/store/schema/index.ts');
  const kept = await sg.node.database.db.select().from(hubReports).where(eq(hubReports.alertId, alert.id));
  assert.equal(kept.length, 0);
  // The reporter keeps its own.
  assert.equal((await th.bank.api.get(`/api/v1/hub/alerts/${alert.id}`)).body.feedback.length, 2);
  stop();
});
