// Ending a joint exercise travels over federation: Viet Nam controls the ransomware sample, Thailand
// joins naming Viet Nam as controller, Singapore plays in the script but its node never joined. The
// controller's end archives Thailand's copy at the controller's last minute (read-only afterwards),
// the final scores go both ways (Viet Nam's with its end, Thailand's back to Viet Nam), and
// Singapore's node refuses the end, audited. An end from a node that is not the named controller is
// refused and changes nothing; a final score that does not match the scenario is refused. A
// participant that named no controller keeps its own clock (the controller's clock is refused) but
// takes the end of a State that plays on its own node, never of one outside the exercise.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { auditEntries } from '../../src/store/schema/index.ts';
import { apiAs, eventually, type NetNode } from '../federation/federation-network.ts';
import { type client, okBody as ok } from '../helpers/http-client.ts';
import {
  aseanNodes,
  forge,
  outboxOf,
  ransomwareOnNodes,
  refusedBy,
  settled,
  WAIT,
  WALLET,
} from './exercise-traffic.ts';

let vn: NetNode;
let th: NetNode;
let sg: NetNode;
const api: Record<string, ReturnType<typeof client>> = {};

/**
 * The sample, with one expected action of Thailand's: share the wallet on, at AMBER. With
 * `singaporeSimulated`, Singapore's hub is played by the script: its node is outside the exercise.
 */
function scenario(singaporeSimulated = false) {
  const sample = ransomwareOnNodes();
  if (singaporeSimulated) for (const p of sample.participants) if (p.state === 'SG') p.simulated = true;
  sample.expectedActions.push({
    id: 'th-share-wallet',
    kind: 'share_indicator',
    inject: 'wallet-alert',
    by: 'TH',
    tlp: 'AMBER',
    within: 'PT2H',
  });
  return sample;
}

before(async () => {
  [vn, th, sg] = await aseanNodes();
  api.vnAdmin = await apiAs(vn, 'vn-admin', ['ADMIN']);
  api.thAdmin = await apiAs(th, 'th-admin', ['ADMIN']);
  api.thCert = await apiAs(th, 'th-cert', ['CERT_ANALYST']);
});
after(async () => {
  await Promise.all([vn?.destroy(), th?.destroy(), sg?.destroy()]);
});

type Score = { pending: number; met: number; late: number; missed: number; wrong: number; total: number };
type View = {
  status: string;
  clock: { elapsedMinutes: number };
  injects: { status: string }[];
  actions: { id: string; by: string; outcome: string }[];
  finalScores: { state: string; score: Score; receivedAt: string | null }[];
};

async function start(controller: string | undefined, singaporeSimulated = false): Promise<string> {
  const started = await ok(
    api.vnAdmin!.post('/api/v1/exercises', { scenario: scenario(singaporeSimulated) }),
    201,
  );
  await ok(
    api.thAdmin!.post('/api/v1/exercises/join', {
      exerciseId: started.id,
      scenario: scenario(singaporeSimulated),
      startedAt: started.startedAt,
      speed: started.speed,
      ...(controller ? { controller } : {}),
    }),
    201,
  );
  return started.id;
}

function sees(api: ReturnType<typeof client>, id: string, check: (v: View) => boolean, what: string) {
  return eventually(
    async () => {
      const view = (await api.get(`/api/v1/exercises/${id}`)).body as View;
      return check(view) ? view : undefined;
    },
    what,
    WAIT,
  );
}

/** An exercise_end (at T+0, no outcomes) forged into a node's outbox, as a node that may not end it sends. */
function forgeEnd(from: NetNode, id: string, to: string) {
  const now = from.ctx.clock.now().toISOString();
  return forge(from, id, to, 'exercise_end', {
    status: 'paused',
    anchorReal: now,
    anchorElapsedMs: 0,
    speed: 48,
    endedAt: now,
    outcomes: [],
  });
}

/** Viet Nam's view once Thailand's final score has reached it. */
const withThailandsScore = (id: string) =>
  sees(
    api.vnAdmin!,
    id,
    (v) => v.finalScores.some((f) => f.state === 'TH'),
    "Thailand's final score on Viet Nam's node",
  );

const audited = async (node: NetNode, action: string, id: string) =>
  node.database.db
    .select()
    .from(auditEntries)
    .where(and(eq(auditEntries.action, action), eq(auditEntries.objectId, id)));

test("the controller's end archives the joined node's copy, and the final scores go both ways", async () => {
  const id = await start('VN');
  // Thailand's CERT shares the wallet on: Thailand's own expected action, met on its node.
  await sees(
    api.thAdmin!,
    id,
    (v) => v.injects.some((i) => i.status === 'fired'),
    'the wallet fired in Thailand',
  );
  await ok(
    api.thCert!.post(`/api/v1/exercises/${id}/alerts`, {
      title: 'HospitalLock wallet',
      tlp: 'AMBER',
      indicators: [{ type: 'btc_wallet', value: WALLET }],
    }),
    201,
  );

  // Singapore plays in the script, but Thailand follows Viet Nam: an end from Singapore is refused, audited.
  const notTheController = await forgeEnd(sg, id, 'TH');
  assert.equal((await settled(sg, notTheController, 'dead')).lastErrorCode, 'ERR_PEER_PROTOCOL');
  assert.ok((await audited(th, 'federation.refuse', notTheController)).length >= 1);
  assert.equal(((await ok(api.thAdmin!.get(`/api/v1/exercises/${id}`))) as View).status, 'running');

  const ended = (await ok(api.vnAdmin!.post(`/api/v1/exercises/${id}/end`, {}))) as View;
  assert.equal(ended.status, 'ended');
  assert.deepEqual(
    ended.finalScores.map((f) => [f.state, f.receivedAt]),
    [['VN', null]],
  );
  const vnOwn = ended.finalScores[0]!.score;
  assert.equal(vnOwn.total, 3, "Viet Nam's three expected actions");
  assert.equal((await outboxOf(vn, id, 'TH', 'exercise_end')).length, 1);

  // Thailand archives at the controller's last minute and holds Viet Nam's final score.
  const thEnded = await sees(
    api.thAdmin!,
    id,
    (v) => v.status === 'ended',
    "Thailand's copy ended by Viet Nam",
  );
  assert.equal(thEnded.clock.elapsedMinutes, ended.clock.elapsedMinutes);
  assert.ok(
    thEnded.injects.every((i) => i.status !== 'pending'),
    'no inject left to fire',
  );
  const byState = new Map(thEnded.finalScores.map((f) => [f.state, f]));
  assert.deepEqual(byState.get('VN')?.score, vnOwn);
  assert.ok(byState.get('VN')?.receivedAt);
  assert.equal(byState.get('TH')?.receivedAt, null);
  assert.deepEqual(byState.get('TH')?.score, { pending: 0, met: 1, late: 0, missed: 0, wrong: 0, total: 1 });
  assert.equal((await audited(th, 'exercise.end.follow', id)).length, 1);

  // Read-only on Thailand: nothing is shared, ended or paused there any more.
  const share = await api.thCert!.post(`/api/v1/exercises/${id}/alerts`, {
    title: 'Too late',
    tlp: 'AMBER',
    indicators: [{ type: 'btc_wallet', value: WALLET }],
  });
  assert.equal(share.status, 409, JSON.stringify(share.body));
  const again = await api.thAdmin!.post(`/api/v1/exercises/${id}/end`, {});
  assert.equal(again.status, 409, JSON.stringify(again.body));
  assert.equal(again.body.code, 'ERR_EXERCISE_NOT_RUNNING');

  // Viet Nam collects Thailand's final score.
  const collected = await withThailandsScore(id);
  const th1 = collected.finalScores.find((f) => f.state === 'TH')!;
  assert.deepEqual(th1.score, { pending: 0, met: 1, late: 0, missed: 0, wrong: 0, total: 1 });
  assert.ok(th1.receivedAt);
  assert.equal((await audited(vn, 'exercise.score.receive', id)).length, 1);
  // Archived: the controller's own score did not change with Thailand's.
  assert.deepEqual(collected.finalScores.find((f) => f.state === 'VN')?.score, vnOwn);

  // Singapore's node never joined: it refused the end, audited.
  await refusedBy(vn, sg, id, 'SG', 'exercise_end');

  // Ended on Thailand: the controller's traffic for it is refused there now.
  const late = await forge(vn, id, 'TH', 'exercise_clock', {
    status: 'running',
    anchorReal: vn.ctx.clock.now().toISOString(),
    anchorElapsedMs: 0,
    speed: 48,
  });
  assert.equal((await settled(vn, late, 'dead')).lastErrorCode, 'ERR_EXERCISE_NOT_JOINED');
});

test('a participant that named no controller keeps its own clock but takes the end of a State that plays', async () => {
  const id = await start(undefined, true);
  const thStarted = (await ok(api.thAdmin!.get(`/api/v1/exercises/${id}`))) as View & {
    controller: string | null;
  };
  assert.equal(thStarted.controller, null);

  // Its clock is its own: the controller's pause is refused there, and Thailand's copy runs on.
  await ok(api.vnAdmin!.post(`/api/v1/exercises/${id}/pause`, {}));
  const [pause] = await outboxOf(vn, id, 'TH', 'exercise_clock');
  assert.equal((await settled(vn, pause!.id, 'dead')).lastErrorCode, 'ERR_PEER_PROTOCOL');
  assert.equal(((await ok(api.thAdmin!.get(`/api/v1/exercises/${id}`))) as View).status, 'running');
  // Thailand's administrator jumps its own clock 1000 minutes on (a follower would answer 409).
  await ok(api.thAdmin!.post(`/api/v1/exercises/${id}/advance`, { minutes: 1000 }));

  // Singapore's hub is simulated here: its node is outside the exercise, its end is refused, audited.
  const outsider = await forgeEnd(sg, id, 'TH');
  assert.equal((await settled(sg, outsider, 'dead')).lastErrorCode, 'ERR_PEER_PROTOCOL');
  assert.ok((await audited(th, 'federation.refuse', outsider)).length >= 1);
  assert.equal(((await ok(api.thAdmin!.get(`/api/v1/exercises/${id}`))) as View).status, 'running');

  // Viet Nam plays on its own node: its end archives Thailand's copy, on Thailand's own clock.
  const ended = (await ok(api.vnAdmin!.post(`/api/v1/exercises/${id}/end`, {}))) as View;
  const [end] = await outboxOf(vn, id, 'TH', 'exercise_end');
  await settled(vn, end!.id, 'sent');
  const thEnded = await sees(
    api.thAdmin!,
    id,
    (v) => v.status === 'ended',
    "Thailand's copy ended by Viet Nam",
  );
  // Stopped on its own clock (past its jump), not at the minute Viet Nam paused at.
  assert.ok(ended.clock.elapsedMinutes < 1000, `Viet Nam paused at T+${ended.clock.elapsedMinutes}`);
  assert.ok(thEnded.clock.elapsedMinutes >= 1000, `Thailand ended at T+${thEnded.clock.elapsedMinutes}`);
  assert.ok(thEnded.injects.every((i) => i.status !== 'pending'));
  const byState = new Map(thEnded.finalScores.map((f) => [f.state, f]));
  assert.deepEqual(byState.get('VN')?.score, ended.finalScores[0]!.score);
  assert.ok(byState.get('VN')?.receivedAt);
  assert.equal(byState.get('TH')?.receivedAt, null);
  const [follow] = await audited(th, 'exercise.end.follow', id);
  assert.equal(follow?.actor, 'node:VN');
  const again = await api.thAdmin!.post(`/api/v1/exercises/${id}/end`, {});
  assert.equal(again.status, 409);
  assert.equal(again.body.code, 'ERR_EXERCISE_NOT_RUNNING');

  // Thailand's final score goes back to the State whose end it took.
  const collected = await withThailandsScore(id);
  assert.deepEqual(collected.finalScores.find((f) => f.state === 'TH')?.score, byState.get('TH')?.score);

  // A final score naming Viet Nam's actions as Thailand's is refused; nothing more is kept.
  const forged = await forge(th, id, 'VN', 'exercise_score', {
    outcomes: [{ actionId: 'share-wallet', outcome: 'met', takenMinutes: 1, detail: null }],
  });
  assert.equal((await settled(th, forged, 'dead')).lastErrorCode, 'ERR_PEER_PROTOCOL');
  // An end sent by Thailand to the controller is refused too (Viet Nam has ended: not joined any more).
  const fromThailand = await forgeEnd(th, id, 'VN');
  assert.equal((await settled(th, fromThailand, 'dead')).lastErrorCode, 'ERR_EXERCISE_NOT_JOINED');
  const vnView = (await ok(api.vnAdmin!.get(`/api/v1/exercises/${id}`))) as View;
  assert.deepEqual(
    vnView.finalScores.map((f) => f.state),
    ['VN', 'TH'],
  );
  assert.deepEqual(vnView.finalScores[1]?.score, byState.get('TH')?.score);
});
