// The ransomware sample played by real nodes: Viet Nam controls it, Thailand joins naming Viet Nam as
// controller, Singapore takes part in the script but its node never joined. The controller's pause,
// resume and jumps reach Thailand's clock over federation; the wallet Viet Nam's CERT shares travels
// to Thailand as exercise traffic, into the exercise's own table and never its hub; Singapore's node
// refuses both kinds of message, audited. A clock message from a node that is not the controller is
// refused.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { and, eq, sql } from 'drizzle-orm';
import { rowsOf } from '../../src/store/database.ts';
import { exerciseActions, exerciseAlerts, federationOutbox } from '../../src/store/schema/index.ts';
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

const TAXII = 'application/taxii+json;version=2.1';

let vn: NetNode;
let th: NetNode;
let sg: NetNode;
const api: Record<string, ReturnType<typeof client>> = {};
let id = '';

before(async () => {
  [vn, th, sg] = await aseanNodes();
  api.vnAdmin = await apiAs(vn, 'vn-admin', ['ADMIN']);
  api.vnCert = await apiAs(vn, 'vn-cert', ['CERT_ANALYST']);
  api.thAdmin = await apiAs(th, 'th-admin', ['ADMIN']);
  api.thCert = await apiAs(th, 'th-cert', ['CERT_ANALYST']);
});
after(async () => {
  await Promise.all([vn?.destroy(), th?.destroy(), sg?.destroy()]);
});

type View = { status: string; clock: { elapsedMinutes: number; paused: boolean; speed?: number } };

/** Thailand's view of the exercise once `check` holds. */
function thailandSees(check: (view: View) => boolean, what: string) {
  return eventually(
    async () => {
      const view = (await api.thAdmin!.get(`/api/v1/exercises/${id}`)).body as View;
      return check(view) ? view : undefined;
    },
    what,
    WAIT,
  );
}

const vnOutbox = (recipient: string, type: string) => outboxOf(vn, id, recipient, type);
const refusedBySingapore = (type: string) => refusedBy(vn, sg, id, 'SG', type);

test("the controller's pause, resume and jumps drive the clock of the node that joined, and only from the controller", async () => {
  const started = await ok(
    api.vnAdmin!.post('/api/v1/exercises', { scenario: ransomwareOnNodes(), paused: true }),
    201,
  );
  id = started.id;
  const join = {
    exerciseId: id,
    scenario: ransomwareOnNodes(),
    startedAt: started.startedAt,
    speed: started.speed,
    paused: true,
  };
  // The controller must be another State that plays on its own node.
  const self = await api.thAdmin!.post('/api/v1/exercises/join', { ...join, controller: 'TH' });
  assert.equal(self.status, 400, JSON.stringify(self.body));
  assert.equal(self.body.errors[0].field, '/controller');
  const joined = await ok(api.thAdmin!.post('/api/v1/exercises/join', { ...join, controller: 'VN' }), 201);
  assert.equal(joined.role, 'participant');
  assert.equal(joined.controller, 'VN');
  assert.equal(joined.status, 'paused');
  assert.equal(started.controller, 'VN');

  await ok(api.vnAdmin!.post(`/api/v1/exercises/${id}/resume`, {}));
  await thailandSees((v) => v.status === 'running', "Thailand's clock resumed by Viet Nam");

  // A jump of three hours: Thailand's clock jumps too, and the injects that fell due fire there.
  await ok(api.vnAdmin!.post(`/api/v1/exercises/${id}/advance`, { minutes: 180 }));
  await thailandSees((v) => v.clock.elapsedMinutes >= 180, "Thailand's clock after Viet Nam's jump");
  await eventually(
    async () => {
      const view = (await api.thAdmin!.get(`/api/v1/exercises/${id}`)).body;
      const fired = view.injects
        .filter((i: { status: string }) => i.status === 'fired')
        .map((i: { id: string }) => i.id);
      return fired.includes('wallet-alert') && fired.includes('preservation-request') ? fired : undefined;
    },
    "the injects due before T+3h fired on Thailand's node",
    WAIT,
  );

  // Paused, both clocks stand at the same exercise minute: the message carries the whole clock.
  const paused = await ok(api.vnAdmin!.post(`/api/v1/exercises/${id}/pause`, {}));
  const thPaused = await thailandSees((v) => v.status === 'paused', "Thailand's clock paused by Viet Nam");
  assert.equal(thPaused.clock.elapsedMinutes, paused.clock.elapsedMinutes);
  // A jump while paused moves the paused clock.
  const jumped = await ok(api.vnAdmin!.post(`/api/v1/exercises/${id}/advance`, { minutes: 60 }));
  assert.equal(jumped.status, 'paused');
  const thJumped = await thailandSees(
    (v) => v.clock.elapsedMinutes === jumped.clock.elapsedMinutes,
    "Thailand's paused clock after the jump",
  );
  assert.equal(thJumped.status, 'paused');

  // A clock message overtaken by a later change (a retry arriving late) is taken and ignored.
  const late = await forge(vn, id, 'TH', 'exercise_clock', {
    status: 'running',
    anchorReal: new Date(vn.ctx.clock.now().getTime() - 3_600_000).toISOString(),
    anchorElapsedMs: 0,
    speed: 48,
  });
  await settled(vn, late, 'sent');
  const afterLate = await ok(api.thAdmin!.get(`/api/v1/exercises/${id}`));
  assert.equal(afterLate.status, 'paused');
  assert.equal(afterLate.clock.elapsedMinutes, jumped.clock.elapsedMinutes);

  // Thailand's clock follows the controller's: its own administrator does not pause, resume or jump it,
  // and nothing goes out from Thailand.
  for (const [path, body] of [
    ['advance', { minutes: 1 }],
    ['resume', {}],
  ] as const) {
    const local = await api.thAdmin!.post(`/api/v1/exercises/${id}/${path}`, body);
    assert.equal(local.status, 409, JSON.stringify(local.body));
    assert.equal(local.body.code, 'ERR_EXERCISE_FOLLOWS_CONTROLLER');
  }
  const fromThailand = await th.database.db
    .select()
    .from(federationOutbox)
    .where(eq(federationOutbox.exerciseId, id));
  assert.deepEqual(fromThailand, []);

  // A clock message from Thailand to the controller is refused: Viet Nam's clock is its own.
  const forged = await forge(th, id, 'VN', 'exercise_clock', {
    status: 'running',
    anchorReal: th.ctx.clock.now().toISOString(),
    anchorElapsedMs: 10 * 24 * 3_600_000,
    speed: 1000,
  });
  const dead = await settled(th, forged, 'dead');
  assert.equal(dead.lastErrorCode, 'ERR_PEER_PROTOCOL');
  const vnView = await ok(api.vnAdmin!.get(`/api/v1/exercises/${id}`));
  assert.equal(vnView.status, 'paused');
  assert.equal(vnView.clock.elapsedMinutes, jumped.clock.elapsedMinutes);

  // Singapore's node, which never joined, refused every clock message, audited.
  await refusedBySingapore('exercise_clock');
});

/** What Thailand's real hub shows: a check of the wallet, its TAXII collections, its hub rows. */
async function thailandHub() {
  const check = await api.thCert!.get(`/api/v1/hub/check?type=btc_wallet&value=${WALLET}`);
  assert.equal(check.status, 200, JSON.stringify(check.body));
  const collections = await api.thCert!.call('GET', '/taxii2/hub/collections/', undefined, { accept: TAXII });
  const taxii: Record<string, string[]> = {};
  for (const c of collections.body.collections ?? []) {
    const objects = await api.thCert!.call(
      'GET',
      `/taxii2/hub/collections/${c.id}/objects/?limit=1000`,
      undefined,
      {
        accept: TAXII,
      },
    );
    taxii[c.id] = (objects.body.objects ?? []).map((o: { id: string }) => o.id).sort();
  }
  const [rows] = rowsOf<Record<string, number>>(
    await th.database.db.execute(
      sql`SELECT (SELECT count(*)::int FROM hub_alerts) AS alerts, (SELECT count(*)::int FROM hub_indicators) AS indicators,
        (SELECT count(*)::int FROM hub_stix_objects) AS stix`,
    ),
  );
  return { check: check.body, taxii, rows };
}

test("the wallet Viet Nam's CERT shares reaches Thailand's exercise, never its hub; Singapore's node refuses it", async () => {
  assert.ok(id, 'the first test started the exercise');
  const hubBefore = await thailandHub();
  await ok(api.vnAdmin!.post(`/api/v1/exercises/${id}/resume`, {}));
  await thailandSees((v) => v.status === 'running', "Thailand's clock resumed");

  const shared = await ok(
    api.vnCert!.post(`/api/v1/exercises/${id}/alerts`, {
      title: 'HospitalLock wallet, for the region',
      tlp: 'AMBER',
      indicators: [{ type: 'btc_wallet', value: WALLET.toUpperCase() }],
    }),
    201,
  );
  const [message] = await vnOutbox('TH', 'exercise_alert');
  assert.equal(message?.exerciseId, id);

  const received = await eventually(
    async () => {
      const list = await api.thCert!.get(`/api/v1/exercises/${id}/alerts`);
      return list.body.items.find((a: { id: string }) => a.id === shared.id);
    },
    "the shared wallet in Thailand's exercise",
    WAIT,
  );
  assert.equal(received.exerciseId, id);
  assert.equal(received.tlp, 'AMBER');
  assert.equal(received.createdBy, 'node:VN');
  assert.deepEqual(received.indicators, [{ type: 'btc_wallet', value: WALLET }]);
  // Thailand records it as Viet Nam's share, for the score of the sample's share-wallet action.
  const shares = await th.database.db
    .select()
    .from(exerciseActions)
    .where(and(eq(exerciseActions.exerciseId, id), eq(exerciseActions.step, 'share')));
  assert.deepEqual(
    shares.map((s) => [s.state, s.tlp]),
    [['VN', 'AMBER']],
  );
  const thView = await ok(api.thCert!.get(`/api/v1/exercises/${id}`));
  const shareWallet = thView.actions.find((a: { id: string }) => a.id === 'share-wallet');
  assert.ok(['met', 'late'].includes(shareWallet.outcome), JSON.stringify(shareWallet));

  // Nothing of it in Thailand's real hub: check, TAXII and the hub's tables as before.
  assert.deepEqual(await thailandHub(), hubBefore);

  // TLP:RED stays on its node, as for real alerts: nothing more is queued.
  const queued = (await vnOutbox('TH', 'exercise_alert')).length;
  await ok(
    api.vnCert!.post(`/api/v1/exercises/${id}/alerts`, {
      title: 'Wallet, for our own bank only',
      tlp: 'RED',
      indicators: [{ type: 'btc_wallet', value: WALLET }],
    }),
    201,
  );
  assert.equal((await vnOutbox('TH', 'exercise_alert')).length, queued);

  // Singapore's node never joined: it refused the alert, audited, and keeps nothing of it.
  await refusedBySingapore('exercise_alert');
  assert.deepEqual(await sg.database.db.select().from(exerciseAlerts), []);

  await ok(api.vnAdmin!.post(`/api/v1/exercises/${id}/end`, {}));
  await ok(api.thAdmin!.post(`/api/v1/exercises/${id}/end`, {}));
});
