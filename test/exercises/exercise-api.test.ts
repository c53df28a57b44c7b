// A joint exercise on one real node, against a simulated partner (France): the scenario is checked
// with every problem listed, the controller drives the exercise clock, injects fire, the duty officer
// acts through the ordinary request API, the simulated partner answers per the script, the score and
// the after-action report come out — and the real lists, indicators and hub are unchanged.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import type { Role } from '../../src/domain/codes.ts';
import { rowsOf } from '../../src/store/database.ts';
import { federationOutbox } from '../../src/store/schema/index.ts';
import { shiftedClock } from '../federation/federation-network.ts';
import { client } from '../helpers/http-client.ts';
import { startTestNode, type TestNode } from '../helpers/test-node.ts';

const SAMPLE = readFileSync(
  resolve(import.meta.dirname, '../../exercises/bilateral-emergency-vn-fr.yaml'),
  'utf8',
);
let node: TestNode;
const as: Record<string, ReturnType<typeof client>> = {};
const tokens: Record<string, string> = {};
let exerciseId = '';

before(async () => {
  // A one-hour heartbeat: every event the stream carries below comes from a change, not a refresh.
  node = await startTestNode({ clock: shiftedClock(), config: { eventsHeartbeatSeconds: 3600 } });
  for (const u of await node.ctx.users.list(100, null)) {
    const role = (u.roles as Role[])[0]!;
    const api = client(node.url);
    const { token } = await node.ctx.auth.createToken(u.id, { name: 'exercise', scopes: [role], ttlDays: 1 });
    tokens[u.username] = token;
    api.setToken(token);
    as[u.username] = api;
  }
});
after(() => node.close());

async function realFigures() {
  const indicators = await as.auditor!.get('/api/v1/indicators?period=2027-01');
  assert.equal(indicators.status, 200, JSON.stringify(indicators.body));
  const list = await as.duty!.get('/api/v1/requests?limit=500');
  const [hub] = rowsOf<{ alerts: number; indicators: number }>(
    await node.ctx.database.db.execute(
      sql`SELECT (SELECT count(*)::int FROM hub_alerts) AS alerts, (SELECT count(*)::int FROM hub_indicators) AS indicators`,
    ),
  );
  const cases = await as.duty!.get('/api/v1/cases?limit=500');
  assert.equal(cases.status, 200, JSON.stringify(cases.body));
  return {
    figures: indicators.body.figures ?? indicators.body,
    requests: list.body.items.map((r: { id: string }) => r.id),
    cases: cases.body.items.map((c: { reference: string }) => c.reference),
    hub,
  };
}

async function advance(minutes: number) {
  const r = await as.admin!.post(`/api/v1/exercises/${exerciseId}/advance`, { minutes });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
}

async function step(who: string, id: string, action: string, extra: Record<string, unknown> = {}) {
  const r = await as[who]!.post(`/api/v1/requests/${id}/transitions`, { action, ...extra });
  assert.equal(r.status, 200, `${action}: ${JSON.stringify(r.body)}`);
  return r.body;
}

test('a scenario that does not validate is refused with every problem, and nothing is written', async () => {
  const bad = SAMPLE.replace('state: FR', 'state: XX')
    .replace('at: PT12H', 'at: PT100H')
    .replace('    within: PT30M\n', '');
  const checked = await as.duty!.post('/api/v1/exercises/validate', { scenario: bad });
  assert.equal(checked.status, 200);
  assert.equal(checked.body.valid, false);
  const codes = checked.body.problems.map((p: { path: string; code: string }) => `${p.path} ${p.code}`);
  for (const c of [
    '/participants/1/state unknown_state',
    '/injects/2/at inject_after_end',
    '/expectedActions/0/within action_without_target',
  ])
    assert.ok(codes.includes(c), `${c} in ${codes.join(', ')}`);
  const refused = await as.admin!.post('/api/v1/exercises', { scenario: bad });
  assert.equal(refused.status, 400);
  assert.equal(refused.body.code, 'ERR_EXERCISE_SCENARIO');
  assert.ok(refused.body.errors.length >= 3);
  assert.equal((await as.admin!.get('/api/v1/exercises')).body.items.length, 0);
  assert.equal((await as.duty!.post('/api/v1/exercises', { scenario: SAMPLE })).status, 403);
});

test('the bilateral sample runs accelerated against a simulated France, is scored and reported, and leaves real work unchanged', async () => {
  const before = await realFigures();
  const started = await as.admin!.post('/api/v1/exercises', { scenario: SAMPLE, speed: 72, paused: true });
  assert.equal(started.status, 201, JSON.stringify(started.body));
  exerciseId = started.body.id;
  assert.equal(started.body.speed, 72);
  assert.equal(started.body.status, 'paused');
  const again = await as.admin!.post('/api/v1/exercises', { scenario: SAMPLE });
  assert.equal(again.body.code, 'ERR_EXERCISE_RUNNING');

  // The control room's live stream: the exercise at once, then after every change.
  const stream = await fetch(`${node.url}/api/v1/exercises/${exerciseId}/events`, {
    headers: { accept: 'text/event-stream', authorization: `Bearer ${tokens.auditor}` },
  });
  assert.equal(stream.status, 200);
  const reader = stream.body!.getReader();
  // Events are kept in arrival order: one read may bring several, none is dropped.
  const decoder = new TextDecoder();
  let buffered = '';
  const nextEvent = async () => {
    for (;;) {
      const end = buffered.indexOf('\n\n');
      if (end >= 0) {
        const block = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        if (block.includes('event: exercise')) return JSON.parse(block.slice(block.indexOf('data: ') + 6));
        continue;
      }
      const { value, done } = await reader.read();
      if (done) throw new Error('the stream ended');
      buffered += decoder.decode(value, { stream: true });
    }
  };
  assert.equal((await nextEvent()).status, 'paused');

  // T+1: France's emergency request arrives, as an exercise request.
  let view = await advance(1);
  const emergency = view.injects.find((i: { id: string }) => i.id === 'emergency-request');
  // The stream tells of the change (the jump, the inject) without a reload.
  const fired = (v: { injects: { id: string; status: string }[] }) =>
    v.injects.find((i) => i.id === 'emergency-request')?.status === 'fired';
  let live = await nextEvent();
  while (!fired(live)) live = await nextEvent();
  assert.equal(
    live.injects.find((i: { id: string }) => i.id === 'emergency-request').requestId,
    emergency.requestId,
  );
  assert.equal(emergency.status, 'fired');
  const requestId = emergency.requestId as string;
  const mine = await as.duty!.get(`/api/v1/requests?exercise=${exerciseId}`);
  assert.deepEqual(
    mine.body.items.map((r: { id: string }) => r.id),
    [requestId],
  );
  assert.equal(mine.body.items[0].exerciseId, exerciseId);
  assert.ok(
    !(await as.duty!.get('/api/v1/requests?limit=500')).body.items.some(
      (r: { id: string }) => r.id === requestId,
    ),
  );

  // T+11: the duty officer acknowledges (10 or 11 exercise minutes: within the 30 of the script).
  await advance(10);
  await step('duty', requestId, 'acknowledge');
  // The stream carries the new score once the step commits, with no refresh to wait for.
  const scoredMet = (v: { actions: { id: string; outcome: string }[] }) =>
    v.actions.some((a) => a.id === 'ack-emergency' && a.outcome === 'met');
  live = await nextEvent();
  while (!scoredMet(live)) live = await nextEvent();
  await reader.cancel();
  // T+11h: executed within the 24 hours.
  await advance(650);
  await step('duty', requestId, 'start_execution');
  await step('duty', requestId, 'complete');
  // T+36h: the controller asks for the MLA to France; the officer sends it after 2 hours.
  view = await advance(36 * 60 - 661);
  assert.equal(view.injects.find((i: { id: string }) => i.id === 'preservation-request').status, 'fired');
  assert.equal(view.injects.find((i: { id: string }) => i.id === 'ask-france').status, 'fired');
  await advance(120);
  const draft = await as.lawyer!.post('/api/v1/requests', {
    type: 'MLA_STORED_DATA',
    exerciseId,
    caseReference: 'VN-EX-1',
    requestingState: 'VN',
    requestedState: 'FR',
    requestingAuthority: 'Ministry of Public Security',
    offences: [{ code: 'SERIOUS_CRIME', statute: 'Penal Code art. 169', maxPenaltyMonths: 240 }],
    factsSummary: 'The ransom was paid to an e-mail account hosted in France.',
    urgency: 'URGENT',
    proceeding: {
      subject: 'Kidnapping',
      nature: 'criminal investigation',
      conductingAuthority: 'Ha Noi Procuracy',
    },
    purpose: 'Identify the kidnappers.',
    necessityJustification: 'Only the mailbox identifies the payee.',
    proportionalityJustification: 'One mailbox, one month.',
    identifiers: [{ kind: 'EMAIL', value: 'ransom@mail.example' }],
    dataCategories: ['CONTENT'],
    dataSought: 'Content and subscriber data of the mailbox',
    confidentialityRequired: true,
  });
  assert.equal(draft.status, 201, JSON.stringify(draft.body));
  const mla = draft.body.request.id as string;
  assert.equal(draft.body.request.exerciseId, exerciseId);
  await step('lawyer', mla, 'submit');
  await step('approver', mla, 'approve');
  await step('lawyer', mla, 'send');
  // France is simulated: nothing leaves the node; it acknowledges 20 exercise minutes later.
  const sent = await node.ctx.database.db
    .select()
    .from(federationOutbox)
    .where(eq(federationOutbox.requestId, mla));
  assert.deepEqual(sent, []);
  await advance(25);
  const acknowledged = await as.lawyer!.get(`/api/v1/requests/${mla}`);
  assert.equal(acknowledged.body.status ?? acknowledged.body.request?.status, 'acknowledged');

  // T+60h: the preservation request's acknowledgement deadline (24 h after its T+36h arrival) passes
  // on the exercise clock — days before the node's own clock gets there — and its reminder says EXERCISE.
  const preservationId = view.injects.find((i: { id: string }) => i.id === 'preservation-request').requestId;
  await advance(60 * 60 - (36 * 60 + 145));
  const reminders = rowsOf<{ message: string; exercise_id: string; created_at: string }>(
    await node.ctx.database.db.execute(
      sql`SELECT message, exercise_id, created_at FROM notifications WHERE request_id = ${preservationId}::uuid`,
    ),
  );
  assert.ok(reminders.length > 0, 'a reminder on the exercise clock');
  assert.ok(reminders.every((r) => r.exercise_id === exerciseId && r.message.startsWith('EXERCISE — ')));
  assert.ok(new Date(reminders[0]!.created_at).getTime() > node.ctx.clock.now().getTime() + 24 * 3_600_000);
  const ended = await as.admin!.post(`/api/v1/exercises/${exerciseId}/end`, {});
  assert.equal(ended.status, 200, JSON.stringify(ended.body));
  const outcome = Object.fromEntries(
    ended.body.actions.map((a: { id: string; outcome: string }) => [a.id, a.outcome]),
  );
  assert.deepEqual(outcome, {
    'ack-emergency': 'met',
    'execute-emergency': 'met',
    preserve: 'missed',
    'send-mla': 'met',
    'legal-basis-mla': 'met',
  });
  const ack = ended.body.actions.find((a: { id: string }) => a.id === 'ack-emergency');
  // Fired at T+0 by the engine or at T+1 by the jump, whichever came first.
  assert.equal(ack.takenMinutes, 11 - emergency.firedMinutes);
  assert.equal(ended.body.status, 'ended');

  // Each inject fired once, though the engine's loop and the jumps raced for them.
  const fires = rowsOf<{ n: number }>(
    await node.ctx.database.db.execute(
      sql`SELECT count(*)::int AS n FROM audit_entries WHERE action = 'exercise.inject' AND object_id = ${exerciseId}`,
    ),
  );
  assert.equal(
    fires[0]!.n,
    ended.body.injects.filter((i: { status: string }) => i.status === 'fired').length,
  );

  // Archived: read-only.
  const late = await as.duty!.post(`/api/v1/requests/${requestId}/transitions`, { action: 'close' });
  assert.equal(late.body.code, 'ERR_EXERCISE_NOT_RUNNING');
  assert.equal(
    (await as.admin!.post(`/api/v1/exercises/${exerciseId}/advance`, { minutes: 5 })).body.code,
    'ERR_EXERCISE_NOT_RUNNING',
  );

  // The report, in French (JSON), as PDF in Vietnamese, and as printable HTML in Chinese.
  const fr = await as.duty!.get(`/api/v1/exercises/${exerciseId}/report?lang=fr`);
  assert.equal(fr.status, 200);
  assert.equal(fr.body.labels.title, 'Rapport après action');
  assert.equal(
    fr.body.score.met,
    fr.body.actions.filter((a: { outcome: string }) => a.outcome === 'met').length,
  );
  assert.ok(
    fr.body.timeline.some(
      (t: { kind: string; ref: string }) => t.kind === 'inject' && t.ref === 'emergency-request',
    ),
  );
  const pdf = await as.auditor!.get(`/api/v1/exercises/${exerciseId}/report?format=pdf&lang=vi`);
  assert.equal(pdf.headers.get('content-type'), 'application/pdf');
  assert.ok(pdf.text.startsWith('%PDF'));
  const zh = await as.auditor!.get(`/api/v1/exercises/${exerciseId}/report?format=pdf&lang=zh`);
  assert.match(String(zh.headers.get('content-type')), /text\/html/);
  assert.match(zh.text, /演练后评估报告/);

  // Nothing of the exercise in real work.
  assert.deepEqual(await realFigures(), before);
});

test('a simulated partner that goes offline answers once it is back', async () => {
  const scenario = {
    id: 'offline-partner',
    title: 'France goes offline',
    duration: 'PT6H',
    participants: [
      { state: 'VN', organisation: 'Viet Nam 24/7 point' },
      { state: 'FR', organisation: 'OFAC', simulated: true, behaviour: { acknowledgeAfter: 'PT20M' } },
    ],
    injects: [
      {
        id: 'fr-offline',
        at: 'PT10M',
        kind: 'partner_offline',
        from: 'FR',
        title: 'The French node is down',
        offlineFor: 'PT2H',
      },
    ],
    expectedActions: [
      { id: 'send', kind: 'send_request', by: 'VN', to: 'FR', requestType: 'PRESERVATION', within: 'PT1H' },
    ],
  };
  const started = await as.admin!.post('/api/v1/exercises', { scenario, paused: true });
  assert.equal(started.status, 201, JSON.stringify(started.body));
  exerciseId = started.body.id;
  await advance(15);
  const draft = await as.duty!.post('/api/v1/requests', {
    type: 'PRESERVATION',
    exerciseId,
    caseReference: 'VN-EX-2',
    requestingState: 'VN',
    requestedState: 'FR',
    requestingAuthority: 'Ministry of Public Security',
    offences: [{ code: 'ICT_THEFT_FRAUD', statute: 'Penal Code art. 290', maxPenaltyMonths: 240 }],
    factsSummary: 'A scam platform is hosted in France.',
    urgency: 'URGENT',
    identifiers: [{ kind: 'EMAIL', value: 'operator@scam.example' }],
    dataCategories: ['SUBSCRIBER'],
    relationToOffence: 'The platform operator.',
    custodianOrLocation: 'Mail provider in France',
    necessity: 'Logs are deleted after 30 days.',
    intentToFollowUp: true,
    confidentialityRequired: true,
  });
  assert.equal(draft.status, 201, JSON.stringify(draft.body));
  const id = draft.body.request.id as string;
  await step('duty', id, 'submit');
  await step('approver', id, 'approve');
  await step('duty', id, 'send');
  // Due at T+35, but France went offline for two hours when the jump to T+15 fired its inject.
  const later = await advance(25);
  const scheduled = later.injects.find((i: { source: string }) => i.source === 'simulated');
  const offline = later.injects.find((i: { id: string }) => i.id === 'fr-offline');
  assert.equal(offline.firedMinutes, 15);
  assert.equal(scheduled.status, 'pending');
  assert.equal(scheduled.atMinutes, 135);
  assert.equal((await as.duty!.get(`/api/v1/requests/${id}`)).body.status, 'sent');
  await advance(95);
  assert.equal((await as.duty!.get(`/api/v1/requests/${id}`)).body.status, 'acknowledged');
  assert.equal((await as.admin!.post(`/api/v1/exercises/${exerciseId}/end`, {})).status, 200);
});
