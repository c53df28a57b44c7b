// The regional ransomware sample on one node: the inject engine fires by itself on the exercise clock,
// the hub's alert about the ransom wallet arrives inside the exercise, the CERT analyst shares it with
// the right TLP (scored), Thailand's simulated preservation request is answered — and nothing of it
// reaches the real hub: the check API, the TAXII collections and the hub's tables are unchanged.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { sql } from 'drizzle-orm';
import type { Role } from '../../src/domain/codes.ts';
import { rowsOf } from '../../src/store/database.ts';
import { eventually, shiftedClock } from '../federation/federation-network.ts';
import { client } from '../helpers/http-client.ts';
import { startTestNode, type TestNode } from '../helpers/test-node.ts';

const SAMPLE = readFileSync(resolve(import.meta.dirname, '../../exercises/asean-ransomware.yaml'), 'utf8');
const WALLET = 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq';
const TAXII = 'application/taxii+json;version=2.1';
let node: TestNode;
const as: Record<string, ReturnType<typeof client>> = {};

before(async () => {
  node = await startTestNode({ clock: shiftedClock() });
  for (const u of await node.ctx.users.list(100, null)) {
    const role = (u.roles as Role[])[0]!;
    const api = client(node.url);
    api.setToken(
      (await node.ctx.auth.createToken(u.id, { name: 'exercise', scopes: [role], ttlDays: 1 })).token,
    );
    as[u.username] = api;
  }
});
after(() => node.close());

/** What the real hub shows: a check of the wallet, every TAXII collection's objects, the hub's rows. */
async function realHub() {
  const check = await as.liaison!.get(`/api/v1/hub/check?type=btc_wallet&value=${WALLET}`);
  assert.equal(check.status, 200, JSON.stringify(check.body));
  const taxii: Record<string, string[]> = {};
  for (const who of ['cert', 'liaison']) {
    const collections = await as[who]!.call('GET', '/taxii2/hub/collections/', undefined, { accept: TAXII });
    for (const c of collections.body.collections ?? []) {
      const objects = await as[who]!.call(
        'GET',
        `/taxii2/hub/collections/${c.id}/objects/?limit=1000`,
        undefined,
        { accept: TAXII },
      );
      taxii[`${who}:${c.id}`] = (objects.body.objects ?? []).map((o: { id: string }) => o.id).sort();
    }
  }
  const [rows] = rowsOf<Record<string, number>>(
    await node.ctx.database.db.execute(
      sql`SELECT (SELECT count(*)::int FROM hub_alerts) AS alerts, (SELECT count(*)::int FROM hub_indicators) AS indicators,
        (SELECT count(*)::int FROM hub_stix_objects) AS stix, (SELECT count(*)::int FROM federation_outbox WHERE exercise_id IS NULL) AS outbox`,
    ),
  );
  return { check: check.body, taxii, rows };
}

test('the ransomware sample: injects fire on their own, the wallet is shared with the right TLP, and the real hub is unchanged', async () => {
  const before = await realHub();
  assert.ok(Object.keys(before.taxii).length > 0, 'the demo hub has collections to compare');
  const started = await as.admin!.post('/api/v1/exercises', { scenario: SAMPLE, speed: 1 });
  assert.equal(started.status, 201, JSON.stringify(started.body));
  const id = started.body.id as string;

  // Running in real time: the engine fires the T+0 alert by itself.
  const alerts = await eventually(async () => {
    const r = await as.cert!.get(`/api/v1/exercises/${id}/alerts`);
    return r.body.items.length > 0 ? r.body.items : undefined;
  }, 'the injected hub alert');
  assert.deepEqual(alerts[0].indicators, [{ type: 'btc_wallet', value: WALLET }]);
  assert.equal(alerts[0].tlp, 'AMBER');

  const wrongField = await as.cert!.post(`/api/v1/exercises/${id}/alerts`, {
    title: 'HospitalLock wallet',
    tlp: 'AMBER',
    indicators: [{ type: 'btc_wallet', value: 'not-a-wallet' }],
  });
  assert.equal(wrongField.status, 400);
  assert.equal(wrongField.body.errors[0].field, '/indicators/0/value');
  assert.equal(
    (await as.auditor!.post(`/api/v1/exercises/${id}/alerts`, { title: 'x', tlp: 'AMBER', indicators: [] }))
      .status,
    403,
  );
  const shared = await as.cert!.post(`/api/v1/exercises/${id}/alerts`, {
    title: 'HospitalLock wallet, for our bank and telecom',
    tlp: 'AMBER',
    indicators: [{ type: 'btc_wallet', value: WALLET }],
  });
  assert.equal(shared.status, 201, JSON.stringify(shared.body));
  assert.equal(shared.body.exerciseId, id);

  // Pause, then step the script by hand: Thailand's preservation request arrives at T+1h.
  assert.equal((await as.admin!.post(`/api/v1/exercises/${id}/pause`, {})).status, 200);
  const view = (await as.admin!.post(`/api/v1/exercises/${id}/advance`, { minutes: 61 })).body;
  const preservation = view.injects.find((i: { id: string }) => i.id === 'preservation-request');
  assert.equal(preservation.status, 'fired');
  const requestId = preservation.requestId as string;
  const step = async (action: string) => {
    const r = await as.duty!.post(`/api/v1/requests/${requestId}/transitions`, { action });
    assert.equal(r.status, 200, JSON.stringify(r.body));
  };
  await step('acknowledge');
  await step('start_execution');
  await step('complete');
  // A message from the controller to the players.
  const manual = await as.admin!.post(`/api/v1/exercises/${id}/injects`, {
    title: 'The bank asks whether it may freeze the wallet',
  });
  assert.equal(manual.status, 201);
  assert.equal((await as.duty!.post(`/api/v1/exercises/${id}/injects`, { title: 'no' })).status, 403);
  const fire = await as.admin!.post(`/api/v1/exercises/${id}/injects/bank-question/fire`, {});
  assert.equal(fire.status, 200);
  assert.equal(
    (await as.admin!.post(`/api/v1/exercises/${id}/injects/bank-question/fire`, {})).body.code,
    'ERR_EXERCISE_INJECT_FIRED',
  );

  const ended = await as.admin!.post(`/api/v1/exercises/${id}/end`, {});
  const outcome = Object.fromEntries(
    ended.body.actions.map((a: { id: string; outcome: string }) => [a.id, a.outcome]),
  );
  assert.deepEqual(outcome, { 'share-wallet': 'met', 'ack-preservation': 'met', 'preserve-logs': 'met' });
  const timeline = (await as.auditor!.get(`/api/v1/exercises/${id}/timeline`)).body.items;
  assert.ok(
    timeline.some(
      (t: { kind: string; summary: string }) => t.kind === 'action' && t.summary.startsWith('share'),
    ),
  );
  const ar = await as.auditor!.get(`/api/v1/exercises/${id}/report?format=pdf&lang=ar`);
  assert.match(ar.text, /<html lang="ar" dir="rtl">/);

  assert.deepEqual(await realHub(), before);
  const real = await as.duty!.get('/api/v1/requests?limit=500');
  assert.ok(!real.body.items.some((r: { exerciseId?: string | null }) => r.exerciseId));
});
