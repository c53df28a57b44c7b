import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'drizzle-orm';
import type { RequestType, Role } from '../../src/domain/codes.ts';
import { REQUEST_ACTIONS } from '../../src/domain/requests/index.ts';
import { manualClock } from '../../src/shared/clock.ts';
import { rowsOf } from '../../src/store/database.ts';
import { buildRequest } from '../domain/requests/request-fixtures.ts';
import { client } from '../helpers/http-client.ts';
import { readPdf } from '../helpers/pdf-text.ts';
import { startTestNode, type TestNode } from '../helpers/test-node.ts';

// The request API on a real node, real database (PGlite, or PostgreSQL with DATABASE_URL).
const START = '2026-12-10T08:00:00Z';
const clock = manualClock(START);
let node: TestNode;
const api: Record<string, ReturnType<typeof client>> = {};
const userIds: Record<string, string> = {};
const takenActions = new Set<string>();
const tokens: Record<string, string> = {};

const ACCOUNTS: [string, Role[]][] = [
  ['duty', ['DUTY_OFFICER']],
  ['lawyer', ['CENTRAL_AUTHORITY']],
  ['investigator', ['INVESTIGATOR']],
  ['approver', ['APPROVER']],
  ['auditor', ['AUDITOR']],
  ['cert', ['CERT_ANALYST']],
  ['dual', ['DUTY_OFFICER', 'APPROVER']],
];

before(async () => {
  node = await startTestNode({ clock });
  for (const [username, roles] of ACCOUNTS) {
    const existing = (await node.ctx.users.list(100, null)).find((u) => u.username === username);
    const user =
      existing ??
      (await node.ctx.users.addUser('test', { username, password: 'request-test-password', roles })).user;
    userIds[username] = user.id;
    const { token } = await node.ctx.auth.createToken(user.id, {
      name: 'test',
      scopes: roles,
      ttlDays: 3650,
    });
    tokens[username] = token;
    api[username] = client(node.url);
    api[username]!.setToken(token);
  }
});
after(() => node.close());

async function create(who: string, type: RequestType, overrides: Record<string, unknown> = {}) {
  const reply = await api[who]!.post('/api/v1/requests', { type, ...buildRequest(type, overrides) });
  assert.equal(reply.status, 201, JSON.stringify(reply.body));
  return reply.body.request;
}

async function step(
  who: string,
  id: string,
  action: string,
  extra: Record<string, unknown> = {},
  status = 200,
) {
  const reply = await api[who]!.post(`/api/v1/requests/${id}/transitions`, { action, ...extra });
  assert.equal(reply.status, status, `${action} by ${who}: ${JSON.stringify(reply.body)}`);
  if (status === 200) takenActions.add(action);
  return reply.body;
}

async function stored(id: string) {
  const reply = await api.auditor!.get(`/api/v1/requests/${id}`);
  assert.equal(reply.status, 200);
  return reply.body;
}

async function countRequests(): Promise<number> {
  return Number(
    rowsOf<{ n: string }>(await node.ctx.database.db.execute(sql`SELECT count(*) AS n FROM requests`))[0]!.n,
  );
}

/** Asserts a refusal left the request exactly as it was. */
async function unchanged(id: string, fn: () => Promise<void>) {
  const before = await stored(id);
  await fn();
  const after = await stored(id);
  assert.deepEqual(after, before);
}

test('request types are served with their JSON schemas and articles', async () => {
  const reply = await api.cert!.get('/api/v1/request-types');
  assert.equal(reply.status, 200);
  assert.equal(reply.body.length, 13);
  const preservation = reply.body.find((t: { type: string }) => t.type === 'PRESERVATION');
  assert.equal(preservation.article, 'art. 42');
  assert.equal(preservation.schema.properties.necessity['x-article'], 'art. 42');
  assert.ok(preservation.schema.required.includes('intentToFollowUp'));
});

test('a draft of every type is created with its legal basis and scope', async () => {
  const preservation = await create('duty', 'PRESERVATION');
  for (const type of Object.keys(buildRequestTypes())) {
    const overrides = type === 'TRAFFIC_DATA_DISCLOSURE' ? { linkedPreservationId: preservation.id } : {};
    const request = await create(
      type.startsWith('MLA') ? 'lawyer' : 'investigator',
      type as RequestType,
      overrides,
    );
    assert.equal(request.status, 'draft');
    assert.equal(request.direction, 'OUTGOING');
    assert.equal(request.requestingState, 'VN');
    assert.equal(request.partnerState, 'FR');
    assert.equal(request.legalBasis.basis, 'UNCC', type);
    assert.match(request.legalBasis.reason, /in force for VN and FR/);
    assert.equal(request.scope.result, 'CONVENTION_OFFENCE');
    assert.deepEqual(
      request.timeline.map((e: { action: string }) => e.action),
      ['create'],
    );
    assert.ok(request.nextSteps.some((s: { action: string }) => s.action === 'submit'));
  }
});

function buildRequestTypes() {
  return Object.fromEntries(
    (
      [
        'PRESERVATION',
        'TRAFFIC_DATA_DISCLOSURE',
        'MLA_STORED_DATA',
        'MLA_REALTIME_TRAFFIC',
        'MLA_INTERCEPTION',
        'MLA_GENERAL',
        'EMERGENCY_DISCLOSURE',
        'ASSISTANCE_24_7',
        'SPONTANEOUS_INFORMATION',
        'LE_COOPERATION',
        'JOINT_INVESTIGATION',
        'EXTRADITION',
        'PROVISIONAL_ARREST',
      ] as const
    ).map((t) => [t, true]),
  );
}

test('bad requests are refused with field and article, and nothing is stored', async () => {
  const before = await countRequests();
  const missing = buildRequest('PRESERVATION');
  delete missing.necessity;
  delete missing.requestingAuthority;
  const r1 = await api.duty!.post('/api/v1/requests', { type: 'PRESERVATION', ...missing });
  assert.equal(r1.status, 400);
  assert.equal(r1.body.code, 'ERR_VALIDATION');
  assert.deepEqual(
    r1.body.errors.map((e: { field: string; article: string }) => `${e.field} ${e.article}`).sort(),
    ['/necessity art. 42', '/requestingAuthority art. 40'],
  );

  const emergency = await api.duty!.post('/api/v1/requests', {
    type: 'MLA_GENERAL',
    ...buildRequest('MLA_GENERAL', { urgency: 'EMERGENCY' }),
  });
  assert.equal(emergency.status, 400);
  assert.equal(emergency.body.errors[0].field, '/emergencyJustification');
  assert.equal(emergency.body.errors[0].article, 'art. 2');

  const outOfScope = await api.duty!.post('/api/v1/requests', {
    type: 'MLA_GENERAL',
    ...buildRequest('MLA_GENERAL', { offences: [{ code: 'SERIOUS_CRIME', maxPenaltyMonths: 24 }] }),
  });
  assert.equal(outOfScope.status, 400);
  assert.equal(outOfScope.body.errors[0].field, '/offences');
  assert.match(outOfScope.body.errors[0].message, /out of the Convention's scope/);

  const notTheNode = await api.duty!.post('/api/v1/requests', {
    type: 'MLA_GENERAL',
    ...buildRequest('MLA_GENERAL', { requestingState: 'DE' }),
  });
  assert.equal(notTheNode.status, 400);
  assert.equal(notTheNode.body.errors[0].field, '/requestingState');

  const unknownParty = await api.duty!.post('/api/v1/requests', {
    type: 'MLA_GENERAL',
    ...buildRequest('MLA_GENERAL', { requestedState: 'ZZ' }),
  });
  assert.equal(unknownParty.status, 400);
  assert.equal(unknownParty.body.errors[0].field, '/requestedState');

  const unknownLink = await api.duty!.post('/api/v1/requests', {
    type: 'MLA_GENERAL',
    ...buildRequest('MLA_GENERAL', { linkedRequestIds: ['01890000-0000-7000-8000-00000000dead'] }),
  });
  assert.equal(unknownLink.status, 400);
  assert.equal(unknownLink.body.errors[0].field, '/linkedRequestIds');

  const badType = await api.duty!.post('/api/v1/requests', { type: 'TELEPATHY' });
  assert.equal(badType.status, 400);
  assert.equal(badType.body.errors[0].field, '/type');

  const chosenNotApplying = await api.duty!.post('/api/v1/requests', {
    type: 'MLA_GENERAL',
    ...buildRequest('MLA_GENERAL', { legalBasis: 'BUDAPEST' }),
  });
  assert.equal(chosenNotApplying.status, 400);
  assert.equal(chosenNotApplying.body.errors[0].field, '/legalBasis');

  // Wrong roles: a CERT analyst and an auditor cannot draft; an approver cannot either.
  for (const who of ['cert', 'auditor', 'approver']) {
    const r = await api[who]!.post('/api/v1/requests', {
      type: 'MLA_GENERAL',
      ...buildRequest('MLA_GENERAL'),
    });
    assert.equal(r.status, 403, who);
  }
  // An investigator cannot register an incoming request (handlers only).
  const incomingByInvestigator = await api.investigator!.post('/api/v1/requests', {
    type: 'MLA_GENERAL',
    direction: 'INCOMING',
    ...buildRequest('MLA_GENERAL', { requestingState: 'FR', requestedState: 'VN' }),
  });
  assert.equal(incomingByInvestigator.status, 403);
  assert.equal(await countRequests(), before);
});

test('no legal basis on the date: refused; with an undertaking of reciprocity: accepted', async () => {
  const before = await countRequests();
  clock.set('2009-01-01T08:00:00Z'); // before VN was bound by UNTOC, UNCAC or the Convention
  try {
    const refused = await api.lawyer!.post('/api/v1/requests', {
      type: 'MLA_GENERAL',
      ...buildRequest('MLA_GENERAL'),
    });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.errors[0].field, '/legalBasis');
    assert.match(refused.body.errors[0].message, /no legal basis applies/);
    assert.equal(await countRequests(), before);
    const reciprocity = await create('lawyer', 'MLA_GENERAL', { reciprocityUndertaking: true });
    assert.equal(reciprocity.legalBasis.basis, 'RECIPROCITY');
  } finally {
    clock.set(START);
  }
});

test('outgoing life cycle through every requesting-side step, with four eyes', async () => {
  const r = await create('investigator', 'MLA_GENERAL');
  await step('duty', r.id, 'assign', { assignee: 'lawyer' });
  assert.equal((await stored(r.id)).assignedTo, userIds.lawyer);
  await step('investigator', r.id, 'submit');
  await step('approver', r.id, 'return_to_draft', { reason: 'add the statute' });
  const patched = await api.investigator!.call('PATCH', `/api/v1/requests/${r.id}`, {
    factsSummary: 'Updated facts.',
  });
  assert.equal(patched.status, 200, JSON.stringify(patched.body));
  assert.equal(patched.body.request.body.factsSummary, 'Updated facts.');
  await unchanged(r.id, async () => {
    const invalid = await api.investigator!.call('PATCH', `/api/v1/requests/${r.id}`, {
      urgency: 'EMERGENCY',
    });
    assert.equal(invalid.status, 400);
    assert.equal(invalid.body.errors[0].field, '/emergencyJustification');
    const retype = await api.investigator!.call('PATCH', `/api/v1/requests/${r.id}`, { type: 'EXTRADITION' });
    assert.equal(retype.status, 400);
    const outOfScope = await api.investigator!.call('PATCH', `/api/v1/requests/${r.id}`, {
      offences: [{ code: 'OTHER_ICT_OFFENCE' }],
    });
    assert.equal(outOfScope.status, 400);
    assert.equal(outOfScope.body.errors[0].field, '/offences');
    const byApprover = await api.approver!.call('PATCH', `/api/v1/requests/${r.id}`, { factsSummary: 'x' });
    assert.equal(byApprover.status, 403);
    const stale = await step('investigator', r.id, 'submit', { expectedVersion: 1 }, 409);
    assert.equal(stale.code, 'ERR_STALE');
  });
  await step('investigator', r.id, 'submit');
  // Drafts are frozen once submitted.
  await unchanged(r.id, async () => {
    const late = await api.investigator!.call('PATCH', `/api/v1/requests/${r.id}`, { factsSummary: 'x' });
    assert.equal(late.status, 409);
  });
  // Wrong role, illegal step: refused, unchanged.
  await unchanged(r.id, async () => {
    const wrongRole = await step('investigator', r.id, 'approve', {}, 403);
    assert.match(wrongRole.detail, /APPROVER/);
    const illegal = await step('duty', r.id, 'send', {}, 409);
    assert.equal(illegal.code, 'ERR_ILLEGAL_TRANSITION');
    assert.deepEqual(illegal.allowed.map((a: { action: string }) => a.action).sort(), [
      'approve',
      'assign',
      'return_to_draft',
      'withdraw',
    ]);
  });
  const approved = await step('approver', r.id, 'approve');
  assert.equal(approved.status, 'approved');
  assert.equal(approved.approvedBy, userIds.approver);
  const sent = await step('duty', r.id, 'send');
  assert.equal(sent.status, 'sent');
  assert.equal(sent.nextDue.kind, 'ACKNOWLEDGE');
  assert.equal(sent.nextDue.dueAt, '2026-12-11T08:00:00.000Z'); // urgent: 24 hours
  await step('duty', r.id, 'record_acknowledgement');
  await step('lawyer', r.id, 'record_info_request', { message: 'FR asks for the statute text' });
  await step('lawyer', r.id, 'answer_info_request', { message: 'Statute text sent' });
  await step('lawyer', r.id, 'record_consultation', { message: 'FR proposes use only for this case' });
  await step('lawyer', r.id, 'accept_conditions', {
    message: 'accepted',
    conditions: ['use limited to this case'],
  });
  await step('lawyer', r.id, 'record_execution');
  await step('lawyer', r.id, 'record_partial_result');
  const done = await step('lawyer', r.id, 'record_result');
  assert.equal(done.status, 'executed');
  assert.equal(done.nextDue, null);
  const closed = await step('lawyer', r.id, 'close');
  assert.equal(closed.status, 'closed');
  assert.equal(closed.timeline.length, 17);
  assert.deepEqual(closed.nextSteps, []);
  const audit = rowsOf<{ action: string }>(
    await node.ctx.database.db.execute(
      sql`SELECT action FROM audit_entries WHERE object_type = 'request' AND object_id = ${r.id} AND action <> 'request.timer' ORDER BY seq`,
    ),
  ).map((a) => a.action);
  assert.equal(audit.length, 17);
  assert.equal(audit[0], 'request.create');
  assert.equal(audit.at(-1), 'request.close');
});

test('four eyes: a drafter who also holds the approver role cannot approve their own request', async () => {
  const r = await create('dual', 'MLA_GENERAL');
  await step('dual', r.id, 'submit');
  await unchanged(r.id, async () => {
    const own = await step('dual', r.id, 'approve', {}, 403);
    assert.equal(own.code, 'ERR_FOUR_EYES');
  });
  await step('approver', r.id, 'approve');
});

test('partner refusal, postponement and withdrawal recorded on the requesting side', async () => {
  const a = await create('lawyer', 'MLA_GENERAL');
  await step('lawyer', a.id, 'submit');
  await step('approver', a.id, 'approve');
  await step('lawyer', a.id, 'send');
  await step('lawyer', a.id, 'record_acknowledgement');
  await step('lawyer', a.id, 'record_postponement', {
    reason: 'domestic case',
    until: '2027-01-15T00:00:00Z',
  });
  assert.equal((await stored(a.id)).nextDue.kind, 'RESUME');
  await step('lawyer', a.id, 'record_execution');
  await unchanged(a.id, async () => {
    await step('lawyer', a.id, 'record_refusal', { reason: 'no reason given' }, 400);
  });
  await step('lawyer', a.id, 'record_refusal', { ground: 'ESSENTIAL_INTERESTS', reason: 'ordre public' });
  await step('lawyer', a.id, 'close');
  const b = await create('lawyer', 'MLA_GENERAL');
  await step('lawyer', b.id, 'submit');
  await step('approver', b.id, 'approve');
  await step('lawyer', b.id, 'send');
  await unchanged(b.id, async () => {
    await step('lawyer', b.id, 'withdraw', {}, 400);
  });
  await step('lawyer', b.id, 'withdraw', { reason: 'suspect arrested at home' });
  assert.equal((await stored(b.id)).status, 'withdrawn');
});

test('spontaneous information: draft, approved, sent, acknowledged, closed', async () => {
  const r = await create('duty', 'SPONTANEOUS_INFORMATION');
  await step('duty', r.id, 'submit');
  await step('approver', r.id, 'approve');
  await step('duty', r.id, 'send');
  await step('duty', r.id, 'record_acknowledgement');
  assert.equal((await step('duty', r.id, 'close')).status, 'closed');
});

test('incoming life cycle: consultation before refusal, refusal needs a ground, postponement a date', async () => {
  const incoming = () =>
    create('lawyer', 'MLA_STORED_DATA', {
      requestingState: 'FR',
      requestedState: 'VN',
      direction: 'INCOMING',
    });
  const a = await incoming();
  assert.equal(a.status, 'received');
  assert.equal(a.direction, 'INCOMING');
  assert.equal(a.partnerState, 'FR');
  assert.equal(a.nextDue.kind, 'ACKNOWLEDGE');
  await step('duty', a.id, 'assign', { assignee: userIds.lawyer });
  await step('duty', a.id, 'acknowledge');
  await step('lawyer', a.id, 'request_info', { message: 'which mailbox period?' });
  await step('lawyer', a.id, 'info_received', { message: 'June to October' });
  await unchanged(a.id, async () => {
    const early = await step('lawyer', a.id, 'refuse', { ground: 'ESSENTIAL_INTERESTS', reason: 'x' }, 409);
    assert.ok(early.allowed.some((s: { action: string }) => s.action === 'open_consultation'));
  });
  await step('lawyer', a.id, 'open_consultation', { message: 'we can execute if use is limited' });
  await unchanged(a.id, async () => {
    const noGround = await step('lawyer', a.id, 'refuse', { reason: 'we will not' }, 400);
    assert.equal(noGround.errors[0].field, '/ground');
    const bank = await step('lawyer', a.id, 'refuse', { ground: 'BANK_SECRECY', reason: 'bank' }, 400);
    assert.match(bank.errors[0].message, /bank secrecy/);
    const noDate = await step('lawyer', a.id, 'postpone', { reason: 'domestic case' }, 400);
    assert.equal(noDate.errors[0].field, '/until');
    await step('investigator', a.id, 'refuse', { ground: 'ESSENTIAL_INTERESTS', reason: 'x' }, 403);
  });
  await step('lawyer', a.id, 'postpone', { reason: 'domestic case', until: '2027-01-15T00:00:00Z' });
  await step('lawyer', a.id, 'start_execution');
  await step('lawyer', a.id, 'open_consultation', { message: 'the data turn out to be protected' });
  const refused = await step('lawyer', a.id, 'refuse', {
    ground: 'DATA_PROTECTION',
    reason: 'art. 36 transfer impossible',
  });
  assert.equal(refused.status, 'refused');
  assert.deepEqual(refused.timeline.at(-1).details, {
    ground: 'DATA_PROTECTION',
    reason: 'art. 36 transfer impossible',
  });
  await step('lawyer', a.id, 'close');

  const b = await incoming();
  await step('duty', b.id, 'acknowledge');
  await step('duty', b.id, 'start_execution');
  await step('duty', b.id, 'report_partial');
  assert.equal((await step('duty', b.id, 'complete')).status, 'executed');

  const c = await incoming();
  await step('duty', c.id, 'record_withdrawal', { reason: 'FR withdrew it' });
});

test('emergency: sent before approval, flagged and overdue until approved', async () => {
  const r = await create('duty', 'EMERGENCY_DISCLOSURE');
  await unchanged(r.id, async () => {
    const routine = await create('duty', 'MLA_GENERAL');
    const refused = await step('duty', routine.id, 'send', {}, 409);
    assert.match(refused.detail, /only an emergency request may be sent before approval/);
  });
  const sent = await step('duty', r.id, 'send');
  assert.equal(sent.status, 'sent');
  assert.equal(sent.emergencyApprovalPending, true);
  assert.equal(sent.emergencyApprovalDueAt, '2026-12-10T12:00:00.000Z');
  assert.equal(sent.nextDue.dueAt, '2026-12-10T09:00:00.000Z'); // acknowledge an emergency within 1 hour
  clock.set('2026-12-10T08:30:00Z');
  const early = await api.duty!.get('/api/v1/requests?overdue=true&type=EMERGENCY_DISCLOSURE');
  assert.ok(!early.body.items.some((i: { id: string }) => i.id === r.id));
  await step('duty', r.id, 'record_acknowledgement');
  clock.set('2026-12-10T12:30:00Z');
  try {
    const late = await api.duty!.get('/api/v1/requests?overdue=true&type=EMERGENCY_DISCLOSURE');
    const item = late.body.items.find((i: { id: string }) => i.id === r.id);
    assert.ok(item, 'unapproved emergency past its approval time is overdue');
    assert.equal(item.overdue, true);
    await unchanged(r.id, async () => {
      await step('duty', r.id, 'approve', {}, 403);
    });
    const approved = await step('approver', r.id, 'approve');
    assert.equal(approved.emergencyApprovalPending, false);
    assert.equal(approved.status, 'acknowledged');
    await step('approver', r.id, 'approve', {}, 409);
  } finally {
    clock.set(START);
  }
});

test('duplicate warning compares keyed hashes, never clear values', async () => {
  const first = await create('duty', 'PRESERVATION', {
    identifiers: [{ kind: 'EMAIL', value: 'Dup.Target@Mail.example' }],
  });
  const second = await api.duty!.post('/api/v1/requests', {
    type: 'PRESERVATION',
    ...buildRequest('PRESERVATION', { identifiers: [{ kind: 'EMAIL', value: ' dup.target@mail.example' }] }),
  });
  assert.equal(second.status, 201);
  assert.equal(second.body.duplicates.length, 1);
  assert.deepEqual(second.body.duplicates[0].requestIds, [first.id]);
  assert.match(second.body.duplicates[0].message, /already named in 1 open request to FR/);
  const elsewhere = await api.duty!.post('/api/v1/requests', {
    type: 'PRESERVATION',
    ...buildRequest('PRESERVATION', {
      requestedState: 'DE',
      identifiers: [{ kind: 'EMAIL', value: 'dup.target@mail.example' }],
    }),
  });
  assert.equal(elsewhere.body.duplicates.length, 0);
  const rows = rowsOf<Record<string, string>>(
    await node.ctx.database.db.execute(sql`SELECT * FROM request_identifiers`),
  );
  assert.ok(rows.length > 0);
  for (const row of rows) {
    assert.match(row.keyed_hash!, /^[0-9a-f]{64}$/);
    assert.ok(!JSON.stringify(row).toLowerCase().includes('dup.target'));
  }
  // A withdrawn request no longer counts.
  await step('duty', first.id, 'withdraw', { reason: 'duplicate' });
  const third = await api.duty!.post('/api/v1/requests', {
    type: 'PRESERVATION',
    ...buildRequest('PRESERVATION', { identifiers: [{ kind: 'EMAIL', value: 'dup.target@mail.example' }] }),
  });
  assert.deepEqual(third.body.duplicates[0].requestIds, [second.body.request.id]);
});

test('preservation lasts 60 days from execution and is held while the linked MLA is undecided', async () => {
  const p = await create('duty', 'PRESERVATION', {
    direction: 'INCOMING',
    requestingState: 'FR',
    requestedState: 'VN',
  });
  await step('duty', p.id, 'acknowledge');
  await step('duty', p.id, 'start_execution');
  const executed = await step('duty', p.id, 'complete');
  assert.equal(executed.preservation.expiresAt, '2027-02-08T08:00:00.000Z');
  assert.equal(executed.preservation.status, 'PRESERVED');
  const mla = await create('lawyer', 'MLA_STORED_DATA', {
    direction: 'INCOMING',
    requestingState: 'FR',
    requestedState: 'VN',
    linkedPreservationId: p.id,
  });
  clock.set('2027-02-01T08:00:00Z');
  try {
    const extended = await step('duty', p.id, 'extend_preservation');
    assert.equal(extended.preservation.expiresAt, '2027-04-09T08:00:00.000Z');
    assert.equal(extended.preservation.extensions, 1);
    assert.equal(extended.status, 'executed');
    await unchanged(mla.id, async () => {
      await step('duty', mla.id, 'extend_preservation', {}, 409);
    });
    clock.set('2027-05-20T08:00:00Z');
    assert.equal((await stored(p.id)).preservation.status, 'HELD_FOR_MLA');
    await unchanged(p.id, async () => {
      const late = await step('duty', p.id, 'extend_preservation', {}, 400);
      assert.match(late.errors[0].message, /already expired/);
    });
    await step('lawyer', mla.id, 'record_withdrawal', { reason: 'no longer needed' });
    assert.equal((await stored(p.id)).preservation.status, 'EXPIRED');
  } finally {
    clock.set(START);
  }
});

test('the requesting side records an extension of its preservation', async () => {
  const p = await create('duty', 'PRESERVATION');
  await step('duty', p.id, 'submit');
  await step('approver', p.id, 'approve');
  await step('duty', p.id, 'send');
  await step('duty', p.id, 'record_acknowledgement');
  const done = await step('duty', p.id, 'record_result');
  assert.equal(done.preservation.expiresAt, '2027-02-08T08:00:00.000Z');
  const extended = await step('duty', p.id, 'record_extension');
  assert.equal(extended.preservation.expiresAt, '2027-04-09T08:00:00.000Z');
  // The persisted expiry timer and its reminders moved with the extension.
  const timers = rowsOf<{ kind: string; due_at: string | Date }>(
    await node.ctx.database.db.execute(
      sql`SELECT kind, due_at FROM request_timers WHERE request_id = ${p.id} AND done_at IS NULL ORDER BY due_at`,
    ),
  );
  assert.deepEqual(
    timers.map((t) => [t.kind, new Date(t.due_at).toISOString()]),
    [
      ['PRESERVATION_REMINDER', '2027-03-25T08:00:00.000Z'],
      ['PRESERVATION_REMINDER', '2027-04-02T08:00:00.000Z'],
      ['PRESERVATION_REMINDER', '2027-04-07T08:00:00.000Z'],
      ['PRESERVATION_EXPIRY', '2027-04-09T08:00:00.000Z'],
    ],
  );
});

test('list: filters and cursor pagination', async () => {
  const all: string[] = [];
  let after: string | null = null;
  do {
    const page: { status: number; body: { items: { id: string }[]; next: string | null } } =
      await api.auditor!.get(`/api/v1/requests?limit=7${after ? `&after=${after}` : ''}`);
    assert.equal(page.status, 200);
    all.push(...page.body.items.map((i) => i.id));
    after = page.body.next;
  } while (after);
  assert.equal(all.length, await countRequests());
  assert.equal(new Set(all).size, all.length);
  assert.deepEqual([...all].sort().reverse(), all);

  const check = async (query: string, predicate: (i: Record<string, unknown>) => boolean) => {
    const reply = await api.auditor!.get(`/api/v1/requests?limit=500&${query}`);
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    assert.ok(reply.body.items.length > 0, query);
    for (const item of reply.body.items) assert.ok(predicate(item), `${query}: ${JSON.stringify(item)}`);
    return reply.body.items;
  };
  await check('type=PRESERVATION', (i) => i.type === 'PRESERVATION');
  await check('status=closed', (i) => i.status === 'closed');
  await check('partnerState=DE', (i) => i.partnerState === 'DE');
  await check('urgency=EMERGENCY', (i) => i.urgency === 'EMERGENCY');
  await check('direction=INCOMING', (i) => i.direction === 'INCOMING');
  await check('assignedTo=lawyer', (i) => i.assignedTo === userIds.lawyer);
  await check('caseReference=VN-2026-0042', (i) => i.caseReference === 'VN-2026-0042');
  const noCase = await api.auditor!.get('/api/v1/requests?caseReference=NO-SUCH-CASE');
  assert.deepEqual(noCase.body, { items: [], next: null });
  const mine = await api.investigator!.get('/api/v1/requests?limit=500&assignedTo=me');
  assert.ok(mine.body.items.every((i: { assignedTo: string }) => i.assignedTo === userIds.investigator));
  clock.set('2027-06-01T00:00:00Z');
  try {
    await check('overdue=true', (i) => i.overdue === true);
  } finally {
    clock.set(START);
  }
  const bad = await api.auditor!.get('/api/v1/requests?after=not-an-id');
  assert.equal(bad.status, 400);
  const badFilter = await api.auditor!.get('/api/v1/requests?status=lost');
  assert.equal(badFilter.status, 400);
  assert.equal((await api.cert!.get('/api/v1/requests')).status, 403);
  assert.equal((await api.auditor!.get('/api/v1/requests/01890000-0000-7000-8000-00000000dead')).status, 404);
});

test("printable form: labels in the requested State's language, EN/FR/VI on demand, values escaped", async () => {
  const r = await create('duty', 'PRESERVATION', { factsSummary: 'Phishing <script>alert(1)</script> & co' });
  const fr = await api.auditor!.get(`/api/v1/requests/${r.id}/form`);
  assert.equal(fr.status, 200);
  assert.match(fr.headers.get('content-type') ?? '', /text\/html/);
  assert.equal(fr.headers.get('content-language'), 'fr');
  assert.match(fr.text, /<html lang="fr" dir="ltr">/);
  assert.match(fr.text, /Demande de conservation rapide de données stockées/);
  assert.match(fr.text, /Résumé des faits <span class="art">\(Article 40\)<\/span>/);
  assert.match(fr.text, /Détenteur ou localisation des données <span class="art">\(Article 42\)/);
  assert.match(fr.text, /DONNÉES DE DÉMONSTRATION/);
  assert.match(fr.text, /CONFIDENTIEL/);
  assert.ok(!fr.text.includes('<script>'));
  assert.match(fr.text, /&lt;script&gt;alert\(1\)&lt;\/script&gt; &amp; co/);
  const vi = await api.auditor!.get(`/api/v1/requests/${r.id}/form?lang=vi`);
  assert.match(vi.text, /Yêu cầu bảo quản nhanh dữ liệu được lưu trữ/);
  assert.match(vi.text, /Tóm tắt sự việc/);
  const en = await api.auditor!.get(`/api/v1/requests/${r.id}/form?lang=en`);
  assert.match(en.text, /Request for expedited preservation of stored data/);
  const toGermany = await create('duty', 'MLA_GENERAL', { requestedState: 'DE' });
  const de = await api.auditor!.get(`/api/v1/requests/${toGermany.id}/form`);
  assert.equal(de.headers.get('content-language'), 'en');
  assert.equal((await api.auditor!.get(`/api/v1/requests/${r.id}/form?lang=de`)).status, 400);
  assert.equal((await api.cert!.get(`/api/v1/requests/${r.id}/form`)).status, 403);
});

test('printable form: words, not codes, in all seven languages; Arabic right to left', async () => {
  const r = await create('duty', 'PRESERVATION');
  const expected: Record<string, string[]> = {
    en: [
      'Computer-related theft or fraud (art. 13)',
      'up to 20 years',
      'E-mail address',
      'Subscriber data',
      'Urgent',
    ],
    fr: ['Vol ou fraude', '20 ans', 'Adresse électronique', 'Données relatives aux abonnés', 'Urgente'],
    vi: ['20 năm'],
    ar: ['20 سنة', 'بيانات المشتركين', 'عاجل'],
    zh: ['与信息和通信技术系统有关的盗窃或欺诈（第 13 条）', '最高 20 年', '订户数据', '紧急'],
    ru: [
      'Хищение или мошенничество с использованием ИКТ (ст. 13)',
      'до 20 лет',
      'Данные об абонентах',
      'Срочный',
    ],
    es: ['Robo o fraude informático (art. 13)', 'hasta 20 años', 'Datos relativos a los abonados', 'Urgente'],
  };
  for (const [lang, words] of Object.entries(expected)) {
    const form = await api.auditor!.get(`/api/v1/requests/${r.id}/form.html?lang=${lang}`);
    assert.equal(form.status, 200, lang);
    assert.match(form.text, new RegExp(`<html lang="${lang}" dir="${lang === 'ar' ? 'rtl' : 'ltr'}">`));
    for (const code of ['ICT_THEFT_FRAUD', 'maxPenaltyMonths', 'SUBSCRIBER', 'URGENT', '>EMAIL', r.id])
      assert.ok(!form.text.includes(code), `${lang}: no ${code}`);
    assert.ok(form.text.includes('VN-2026-0042'), `${lang}: the case reference is the request number`);
    const france = new Intl.DisplayNames([lang], { type: 'region' }).of('FR')!;
    assert.ok(form.text.includes(france), `${lang}: ${france}`);
    for (const w of words) assert.ok(form.text.includes(w), `${lang}: ${w}`);
  }
});

test('request view: who took each step, and the reasons as codes beside their English text', async () => {
  const r = await create('duty', 'PRESERVATION');
  const view = await api.auditor!.get(`/api/v1/requests/${r.id}`);
  assert.equal(view.status, 200);
  const first = view.body.timeline[0];
  assert.equal(first.actorInfo.kind, 'user');
  assert.equal(typeof first.actorInfo.displayName, 'string');
  assert.ok(first.actorInfo.roles.includes('DUTY_OFFICER'));
  assert.equal(view.body.draftedByInfo.kind, 'user');
  assert.match(view.body.legalBasis.reason, /./);
  assert.ok(view.body.legalBasis.reasons.length > 0);
  assert.deepEqual(view.body.scope.reasons, [
    { code: 'SCOPE_CONVENTION_OFFENCE', params: { offences: ['ICT_THEFT_FRAUD'], count: 1 } },
  ]);
});

async function pdfOf(who: string, path: string) {
  const response = await fetch(node.url + path, { headers: { authorization: `Bearer ${tokens[who]}` } });
  return { response, bytes: new Uint8Array(await response.arrayBuffer()) };
}

test("printable form as PDF: the requested State's language, Vietnamese diacritics, every page read back", async () => {
  const facts = 'Lừa đảo đầu tư tiền mã hoá qua mạng xã hội; nạn nhân ở Hà Nội. '.repeat(120);
  const r = await create('duty', 'PRESERVATION', { factsSummary: facts });
  const fr = await pdfOf('auditor', `/api/v1/requests/${r.id}/form.pdf`);
  assert.equal(fr.response.status, 200);
  assert.equal(fr.response.headers.get('content-type'), 'application/pdf');
  assert.equal(fr.response.headers.get('content-language'), 'fr');
  assert.equal(Buffer.from(fr.bytes.subarray(0, 5)).toString('latin1'), '%PDF-');
  const frText = await readPdf(fr.bytes);
  assert.ok(frText.pageCount >= 2, `a long summary continues on another page (${frText.pageCount})`);
  const frLines = frText.pages.flat();
  for (const expected of [
    'DONNÉES DE DÉMONSTRATION',
    'CONFIDENTIEL',
    'Demande de conservation rapide de données stockées',
    'Résumé des faits (Article 40)',
    'Signature et sceau',
  ]) {
    assert.ok(frLines.includes(expected), `${expected} in ${JSON.stringify(frLines.slice(0, 12))}`);
  }
  assert.match(frText.title ?? '', /Demande de conservation rapide/);
  // The wrapped summary reads back word for word, diacritics included.
  const summaryStart = frLines.findIndex((l) => l.startsWith('Lừa đảo'));
  assert.ok(summaryStart > 0);
  assert.ok(frLines.slice(summaryStart).join(' ').startsWith(facts.trim().slice(0, 300)));
  assert.match(
    frText.pages.at(-1)!.at(-1)!,
    new RegExp(`${r.caseReference} — ${frText.pageCount} / ${frText.pageCount}$`),
  );

  const vi = await readPdf((await pdfOf('auditor', `/api/v1/requests/${r.id}/form.pdf?lang=vi`)).bytes);
  const viLines = vi.pages.flat();
  for (const expected of [
    'Yêu cầu bảo quản nhanh dữ liệu được lưu trữ',
    'Tóm tắt sự việc (Điều 40)',
    'MẬT',
  ]) {
    assert.ok(viLines.includes(expected), expected);
  }
  const en = await readPdf((await pdfOf('auditor', `/api/v1/requests/${r.id}/form.pdf?lang=en`)).bytes);
  assert.ok(en.pages.flat().includes('Request for expedited preservation of stored data'));

  const html = await api.auditor!.get(`/api/v1/requests/${r.id}/form.html?lang=vi`);
  assert.equal(html.status, 200);
  assert.match(html.text, /<html lang="vi" dir="ltr">/);
  // Chinese and Arabic cannot be printed by the PDF's font: the node answers with the HTML form.
  for (const lang of ['zh', 'ar']) {
    const redirect = await fetch(`${node.url}/api/v1/requests/${r.id}/form.pdf?lang=${lang}`, {
      headers: { authorization: `Bearer ${tokens.auditor}` },
      redirect: 'manual',
    });
    assert.equal(redirect.status, 303);
    assert.equal(redirect.headers.get('location'), `/api/v1/requests/${r.id}/form.html?lang=${lang}`);
  }
  const ru = await readPdf((await pdfOf('auditor', `/api/v1/requests/${r.id}/form.pdf?lang=ru`)).bytes);
  assert.ok(
    ru.pages.flat().join(' ').includes('Запрос об оперативном обеспечении сохранности хранимых данных'),
  );
  assert.equal((await pdfOf('auditor', `/api/v1/requests/${r.id}/form.pdf?lang=de`)).response.status, 400);
  assert.equal((await pdfOf('cert', `/api/v1/requests/${r.id}/form.pdf`)).response.status, 403);
  assert.equal(
    (await pdfOf('auditor', '/api/v1/requests/01890000-0000-7000-8000-00000000dead/form.pdf')).response
      .status,
    404,
  );
});

test('a partner without a node: the printed request is recorded as sent by hand, and its answer as received', async () => {
  const r = await create('investigator', 'MLA_GENERAL', { requestedState: 'DE' });
  await step('investigator', r.id, 'submit');
  await step('approver', r.id, 'approve');
  await unchanged(r.id, async () => {
    const bad = await step('duty', r.id, 'send', { means: 'PIGEON' }, 400);
    assert.equal(bad.errors[0].field, '/means');
    const orphan = await step('duty', r.id, 'send', { reference: 'RR123' }, 400);
    assert.equal(orphan.errors[0].field, '/means');
  });
  const sent = await step('duty', r.id, 'send', { means: 'POST', reference: 'RR123456789VN' });
  assert.equal(sent.status, 'sent');
  assert.deepEqual(sent.timeline.at(-1).details, { means: 'POST', reference: 'RR123456789VN' });
  const acknowledged = await step('lawyer', r.id, 'record_acknowledgement', {
    means: 'EMAIL',
    reference: 'BMJ-2026-0042',
    message: 'Acknowledged by the Federal Office of Justice',
  });
  assert.equal(acknowledged.status, 'acknowledged');
  assert.equal(acknowledged.timeline.at(-1).details.means, 'EMAIL');
  const audit = rowsOf<{ payload_hash: string }>(
    await node.ctx.database.db.execute(
      sql`SELECT payload_hash FROM audit_entries WHERE object_id = ${r.id} AND action = 'request.send'`,
    ),
  );
  assert.equal(audit.length, 1);
});

test('every action of the life cycle was taken through the API', () => {
  assert.deepEqual(
    REQUEST_ACTIONS.filter((a) => !takenActions.has(a)),
    [],
  );
});
