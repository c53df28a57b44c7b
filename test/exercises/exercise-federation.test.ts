// A joint exercise across real nodes: Viet Nam starts it, France joins with the same scenario; the
// French officer sends the scripted request over the ordinary signed, encrypted channel, marked with
// the exercise id; the Vietnamese officer acknowledges it; both nodes score it. A third node (Singapore)
// that has not joined refuses the exercise's traffic (ERR_EXERCISE_NOT_JOINED), audited, and stores nothing.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { enqueueMessage } from '../../src/federation/outbox-store.ts';
import { auditEntries, exerciseActions, federationOutbox, requests } from '../../src/store/schema/index.ts';
import { buildRequest } from '../domain/requests/request-fixtures.ts';
import {
  apiAs,
  eventually,
  linkNodes,
  type NetNode,
  startNetNode,
} from '../federation/federation-network.ts';
import { type client, okBody as ok } from '../helpers/http-client.ts';

let vn: NetNode;
let fr: NetNode;
let sg: NetNode;
const api: Record<string, ReturnType<typeof client>> = {};

const SCENARIO = {
  id: 'joint-preservation-vn-fr',
  title: 'Joint preservation, Viet Nam and France',
  duration: 'PT24H',
  speed: 72,
  participants: [
    { state: 'VN', organisation: 'Viet Nam 24/7 point', language: 'vi' },
    { state: 'FR', organisation: 'OFAC', language: 'fr' },
  ],
  injects: [
    {
      id: 'fr-asks',
      at: 'PT0M',
      kind: 'incoming_request',
      from: 'FR',
      to: 'VN',
      title: 'France asks Viet Nam to preserve an account',
      request: {
        type: 'PRESERVATION',
        ...buildRequest('PRESERVATION', {
          requestingState: 'FR',
          requestedState: 'VN',
          caseReference: 'FR-EX-7',
        }),
      },
    },
  ],
  expectedActions: [
    {
      id: 'fr-sends',
      kind: 'send_request',
      by: 'FR',
      to: 'VN',
      requestType: 'PRESERVATION',
      inject: 'fr-asks',
      within: 'PT1H',
    },
    { id: 'vn-acks', kind: 'acknowledge', by: 'VN', inject: 'fr-asks', within: 'PT2H' },
  ],
};

before(async () => {
  [vn, fr, sg] = await Promise.all([
    startNetNode({ state: 'VN' }),
    startNetNode({ state: 'FR' }),
    startNetNode({ state: 'SG' }),
  ]);
  await linkNodes([vn, fr, sg]);
  api.vnAdmin = await apiAs(vn, 'vn-admin', ['ADMIN']);
  api.vnDuty = await apiAs(vn, 'vn-duty', ['DUTY_OFFICER']);
  api.frAdmin = await apiAs(fr, 'fr-admin', ['ADMIN']);
  api.frDuty = await apiAs(fr, 'fr-duty', ['DUTY_OFFICER']);
  api.frApprover = await apiAs(fr, 'fr-approver', ['APPROVER']);
});
after(async () => {
  await Promise.all([vn?.destroy(), fr?.destroy(), sg?.destroy()]);
});

const advanceBoth = (id: string, minutes: number) =>
  Promise.all([
    ok(api.vnAdmin!.post(`/api/v1/exercises/${id}/advance`, { minutes })),
    ok(api.frAdmin!.post(`/api/v1/exercises/${id}/advance`, { minutes })),
  ]);

test("France joins Viet Nam's exercise; the scripted request travels marked as exercise traffic and both nodes score it", async () => {
  const started = await ok(api.vnAdmin!.post('/api/v1/exercises', { scenario: SCENARIO, paused: true }), 201);
  const id = started.id as string;
  const joined = await ok(
    api.frAdmin!.post('/api/v1/exercises/join', {
      exerciseId: id,
      scenario: SCENARIO,
      startedAt: started.startedAt,
      speed: 72,
      paused: true,
    }),
    201,
  );
  assert.equal(joined.role, 'participant');
  const [, frView] = await advanceBoth(id, 1);
  // On France's node the inject prompts its officer with the request to send.
  const prompt = frView.injects.find((i: { id: string }) => i.id === 'fr-asks');
  assert.equal(prompt.status, 'fired');
  assert.equal(prompt.request.type, 'PRESERVATION');

  const { type, ...fields } = prompt.request;
  // Exercise traffic stays inside the exercise: Singapore does not take part.
  const outside = await api.frDuty!.post('/api/v1/requests', {
    type,
    ...fields,
    requestedState: 'SG',
    exerciseId: id,
  });
  assert.equal(outside.status, 400);
  assert.equal(outside.body.errors[0].field, '/requestedState');
  const draft = await ok(api.frDuty!.post('/api/v1/requests', { type, ...fields, exerciseId: id }), 201);
  const requestId = draft.request.id as string;
  await ok(api.frDuty!.post(`/api/v1/requests/${requestId}/transitions`, { action: 'submit' }));
  await ok(api.frApprover!.post(`/api/v1/requests/${requestId}/transitions`, { action: 'approve' }));
  await advanceBoth(id, 10);
  await ok(api.frDuty!.post(`/api/v1/requests/${requestId}/transitions`, { action: 'send' }));
  const [message] = await fr.database.db
    .select()
    .from(federationOutbox)
    .where(eq(federationOutbox.requestId, requestId));
  assert.equal(message?.exerciseId, id);

  // Viet Nam receives it as an exercise request: in the exercise's list, never in the real one.
  const received = await eventually(async () => {
    const list = await api.vnDuty!.get(`/api/v1/requests?exercise=${id}`);
    return list.body.items.find((r: { id: string }) => r.id === requestId);
  }, 'the exercise request on the Vietnamese node');
  assert.equal(received.exerciseId, id);
  assert.equal(received.status, 'received');
  const real = await api.vnDuty!.get('/api/v1/requests?limit=500');
  assert.ok(!real.body.items.some((r: { id: string }) => r.id === requestId));

  await advanceBoth(id, 20);
  await ok(api.vnDuty!.post(`/api/v1/requests/${requestId}/transitions`, { action: 'acknowledge' }));
  // The acknowledgement goes back to France, which records it as Viet Nam's step.
  await eventually(async () => {
    const rows = await fr.database.db
      .select()
      .from(exerciseActions)
      .where(and(eq(exerciseActions.exerciseId, id), eq(exerciseActions.step, 'acknowledge')));
    return rows.find((r) => r.state === 'VN');
  }, "France's record of Viet Nam's acknowledgement");

  const vnEnd = await ok(api.vnAdmin!.post(`/api/v1/exercises/${id}/end`, {}));
  const frEnd = await ok(api.frAdmin!.post(`/api/v1/exercises/${id}/end`, {}));
  const outcomes = (view: { actions: { id: string; outcome: string; takenMinutes: number | null }[] }) =>
    Object.fromEntries(view.actions.map((a) => [a.id, [a.outcome, a.takenMinutes]]));
  // The T+0 inject fired at T+0 (the engine) or T+1 (the jump), whichever came first on each node.
  const firedAt = (view: { injects: { id: string; firedMinutes: number }[] }) =>
    view.injects.find((i) => i.id === 'fr-asks')!.firedMinutes;
  assert.deepEqual(outcomes(frEnd), {
    'fr-sends': ['met', 11 - firedAt(frEnd)],
    'vn-acks': ['met', 31 - firedAt(frEnd)],
  });
  assert.deepEqual(outcomes(vnEnd)['vn-acks'], ['met', 31 - firedAt(vnEnd)]);
  const report = await ok(api.frDuty!.get(`/api/v1/exercises/${id}/report?state=FR`));
  assert.equal(report.language, 'fr');
  assert.deepEqual(
    report.actions.map((a: { id: string }) => a.id),
    ['fr-sends'],
  );
});

test('a node outside the exercise refuses its traffic, audited, and stores nothing', async () => {
  const exerciseId = '01900000-0000-7000-8000-00000000e5e5';
  const requestId = '01900000-0000-7000-8000-00000000a11a';
  const messageId = await fr.database.db.transaction((tx) =>
    enqueueMessage(
      tx,
      {
        recipient: 'SG',
        type: 'request',
        requestId,
        body: {
          request: {
            type: 'PRESERVATION',
            body: buildRequest('PRESERVATION', { requestingState: 'FR', requestedState: 'SG' }),
          },
        },
        exerciseId,
      },
      fr.ctx.clock.now(),
      3_600_000,
    ),
  );
  fr.ctx.federation.sender.nudge();
  const dead = await eventually(async () => {
    const [row] = await fr.database.db
      .select()
      .from(federationOutbox)
      .where(eq(federationOutbox.id, messageId));
    return row?.status === 'dead' ? row : undefined;
  }, 'the refused message dead-lettered');
  assert.equal(dead.lastErrorCode, 'ERR_EXERCISE_NOT_JOINED');
  const refusals = await sg.database.db
    .select()
    .from(auditEntries)
    .where(and(eq(auditEntries.action, 'federation.refuse'), eq(auditEntries.objectId, messageId)));
  assert.equal(refusals.length, 1);
  assert.deepEqual(await sg.database.db.select().from(requests).where(eq(requests.id, requestId)), []);
});
