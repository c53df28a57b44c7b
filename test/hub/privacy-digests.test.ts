// Privacy mode from the first check (issue 20): each indicator row keeps its group's digest, so a node
// that has not built a group's in-memory table (its first privacy-mode check, or any check after a
// restart) answers from the database at once, with the same answer the table would give.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { and, count, eq, isNull } from 'drizzle-orm';
import { keyedHash } from '../../src/crypto/hash.ts';
import { createHubService, type HubService } from '../../src/hub/hub-service.ts';
import { createPackedLookupIndex, type PackedLookupIndex } from '../../src/hub-index/index.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { auditEntries, hubAlerts, hubIndicators } from '../../src/store/schema/index.ts';
import { startTestNode, type TestNode } from '../helpers/test-node.ts';
import { type Cast, castHub } from './hub-fixture.ts';

let node: TestNode;
let cast: Cast;
let revokedId: string;
const services: HubService[] = [];
const gates: (() => void)[] = [];

before(async () => {
  node = await startTestNode();
  cast = await castHub(node);
  const publish = (title: string, tlp: string, value: string, recipients?: string[]) =>
    node.ctx.hub.alerts.publish(cast.viewer('cert'), {
      kind: 'scam_campaign',
      title,
      confidence: 60,
      tlp: tlp as 'AMBER',
      groupId: cast.national,
      recipientOrgIds: recipients,
      indicators: [{ type: 'domain', value }],
    });
  await publish('amber', 'AMBER', 'digest-amber.example');
  await publish('red for the telecom', 'RED', 'digest-red.example', [cast.orgs.telecom]);
  revokedId = (await publish('revoked', 'AMBER', 'digest-revoked.example')).alert.id;
  await node.ctx.hub.alerts.revoke(cast.viewer('cert'), revokedId, 'test: revoked');
});
after(async () => {
  for (const open of gates) open();
  for (const s of services) await s.stop();
  await node.close();
});

/** A packed index whose group tables are never built until the gate opens: every page waits. */
function heldIndex() {
  const inner = createPackedLookupIndex();
  const index: PackedLookupIndex = Object.create(inner);
  let open = () => {};
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  gates.push(open);
  index.prepareGroup = (groupId, source) =>
    inner.prepareGroup(groupId, {
      digest: source.digest,
      async *pages() {
        for await (const page of source.pages()) {
          await gate;
          yield page;
        }
      },
    });
  return { index, open };
}

/** Another hub over the same database, as a restarted node builds it. */
async function restarted(index: PackedLookupIndex): Promise<HubService> {
  const hub = await createHubService(node.ctx.database, systemClock, { index });
  services.push(hub);
  return hub;
}

async function keyed(hub: HubService, who: 'bank' | 'telecom', values: string[]) {
  const viewer = hub.membership.viewerFor({ userId: cast.users[who].id, roles: ['PRIVATE_LIAISON'] });
  const key = hub.membership.groupKey(cast.national);
  const answer = await hub.check.checkKeyed(
    viewer,
    cast.national,
    values.map((v) => ({ type: 'domain', hash: keyedHash(key, v) })),
  );
  return answer.matches.map((m) => [values[m.i], m.matches.map((x) => x.title)]);
}

const VALUES = ['digest-amber.example', 'digest-red.example', 'digest-revoked.example', 'never.example'];

test('a restarted node answers privacy-mode checks from the kept digests, without a rebuild', async () => {
  // The answers of a node whose table is built.
  const built = await keyed(node.ctx.hub, 'telecom', VALUES);
  assert.deepEqual(built, [
    ['digest-amber.example', ['amber']],
    ['digest-red.example', ['red for the telecom']],
  ]);
  const { index, open } = heldIndex();
  const hub = await restarted(index);
  void hub.privacyWarmup.start();
  // The table cannot be built (its pages are held): the answers come from the database.
  assert.deepEqual(await keyed(hub, 'telecom', VALUES), built);
  assert.deepEqual(await keyed(hub, 'bank', VALUES), [['digest-amber.example', ['amber']]], 'TLP applies');
  assert.equal(index.groupReady(cast.national), false, 'answered before the table was built');
  // Published after the restart: found at once as well, and gone once revoked.
  const fresh = await hub.alerts.publish(cast.viewer('cert'), {
    kind: 'scam_campaign',
    title: 'after the restart',
    confidence: 60,
    tlp: 'GREEN',
    groupId: cast.national,
    indicators: [{ type: 'domain', value: 'digest-fresh.example' }],
  });
  assert.deepEqual(await keyed(hub, 'bank', ['digest-fresh.example']), [
    ['digest-fresh.example', ['after the restart']],
  ]);
  await hub.alerts.revoke(cast.viewer('cert'), fresh.alert.id, 'test: revoked');
  assert.deepEqual(await keyed(hub, 'bank', ['digest-fresh.example']), []);
  // Once built, the table gives the same answers.
  open();
  await hub.privacyWarmup.done;
  const deadline = Date.now() + 60_000;
  while (!index.groupReady(cast.national)) {
    assert.ok(Date.now() < deadline, 'the table is built once its pages flow');
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  assert.deepEqual(await keyed(hub, 'telecom', VALUES), built);
});

test('digests missing from rows (written before them, or copied from another node) are filled', async () => {
  const { db } = node.ctx.database;
  const ofNational = (
    await db.select({ id: hubAlerts.id }).from(hubAlerts).where(eq(hubAlerts.groupId, cast.national))
  ).map((a) => a.id);
  for (const id of ofNational)
    await db.update(hubIndicators).set({ keyedDigest: null }).where(eq(hubIndicators.alertId, id));
  const missing = async () =>
    (await db.select({ n: count() }).from(hubIndicators).where(isNull(hubIndicators.keyedDigest)))[0]!.n;
  assert.ok((await missing()) > 0);
  const { index, open } = heldIndex();
  const hub = await restarted(index);
  assert.deepEqual(await keyed(hub, 'telecom', VALUES), [
    ['digest-amber.example', ['amber']],
    ['digest-red.example', ['red for the telecom']],
  ]);
  assert.equal(index.groupReady(cast.national), false);
  // The national group's rows were filled for the check; the start fills every other group's.
  open();
  await hub.privacyWarmup.start();
  assert.equal(await missing(), 0);
  const [audited] = await db
    .select({ n: count() })
    .from(auditEntries)
    .where(and(eq(auditEntries.action, 'hub.privacy.digests')));
  assert.ok(audited!.n >= 1, 'the fill is audited');
});
