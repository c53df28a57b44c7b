// Privacy-mode tables after a restart: a group's first privacy-mode check is stored, and a later
// start builds that group's table in the background. A check that arrives first shares the build.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { keyedHash } from '../../src/crypto/hash.ts';
import { createHubService, type HubService } from '../../src/hub/hub-service.ts';
import type { LookupIndex } from '../../src/hub/lookup-index.ts';
import { createPackedLookupIndex, type PackedLookupIndex } from '../../src/hub-index/index.ts';
import { manualClock } from '../../src/shared/clock.ts';
import { hubGroups } from '../../src/store/schema/index.ts';
import { startTestNode, type TestNode } from '../helpers/test-node.ts';
import { type Cast, castHub } from './hub-fixture.ts';

const clock = manualClock('2026-12-02T08:00:00.000Z');
const DOMAIN = 'privacy-warm-up.example';
let node: TestNode;
let cast: Cast;
let alertId: string;
const services: HubService[] = [];

before(async () => {
  node = await startTestNode({ clock, config: { nodeState: 'VN' } });
  cast = await castHub(node);
  alertId = (
    await node.ctx.hub.alerts.publish(cast.viewer('cert'), {
      kind: 'crypto_fraud',
      title: 'private domain',
      confidence: 60,
      tlp: 'AMBER',
      groupId: cast.national,
      indicators: [{ type: 'domain', value: DOMAIN }],
    })
  ).alert.id;
});
after(async () => {
  for (const s of services) await s.stop();
  await node.close();
});

async function usedAt(groupId: string): Promise<Date | null> {
  const [row] = await node.ctx.database.db
    .select({ at: hubGroups.privacyUsedAt })
    .from(hubGroups)
    .where(eq(hubGroups.id, groupId));
  return row!.at;
}

/**
 * A packed index that counts how often a group's rows are read to build its table. With `gate`, each
 * page waits for gate.open() before the index takes it, so a test can act in the middle of a build.
 */
function countingIndex(gate?: { waiting: number; failed: boolean; open: () => void; next: Promise<void> }) {
  const inner = createPackedLookupIndex();
  const builds = new Map<string, number>();
  const index: PackedLookupIndex = Object.create(inner);
  index.prepareGroup = (groupId, source) =>
    inner.prepareGroup(groupId, {
      digest: source.digest,
      async *pages() {
        builds.set(groupId, (builds.get(groupId) ?? 0) + 1);
        try {
          for await (const page of source.pages()) {
            if (gate) {
              gate.waiting++;
              await gate.next;
              gate.waiting--;
            }
            yield page;
          }
        } catch (error) {
          if (gate) gate.failed = true;
          throw error;
        }
      },
    });
  return { index, builds };
}

/** A gate that holds every page until it is opened. */
function pageGate() {
  let open = () => {};
  const next = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { waiting: 0, failed: false, open, next };
}

/** Another hub over the same database, as a restarted node builds it. */
async function restarted(index: LookupIndex, startPage?: number): Promise<HubService> {
  const hub = await createHubService(node.ctx.database, clock, { index, startPage });
  services.push(hub);
  return hub;
}

const bank = (hub: HubService) =>
  hub.membership.viewerFor({ userId: cast.users.bank.id, roles: ['PRIVATE_LIAISON'] });

const keyedCheck = (hub: HubService, type = 'domain', value = DOMAIN) =>
  hub.check.checkKeyed(bank(hub), cast.national, [
    { type, hash: keyedHash(hub.membership.groupKey(cast.national), value) },
  ]);

/** Polls until the condition holds; fails at the deadline. */
async function until(what: string, condition: () => boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** Rejects when the promise has not settled by the deadline. */
function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not done within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

test("a group's first privacy-mode check is stored, once", async () => {
  assert.equal(await usedAt(cast.national), null);
  const first = await keyedCheck(node.ctx.hub);
  assert.equal(first.matches.length, 1);
  assert.deepEqual(await usedAt(cast.national), clock.now());
  // Later checks keep the first time; a group that never used privacy mode stays unmarked.
  clock.advance(60_000);
  await keyedCheck(node.ctx.hub);
  assert.deepEqual(await usedAt(cast.national), new Date('2026-12-02T08:00:00.000Z'));
  assert.equal(await usedAt(cast.asean), null);
});

test('after a restart the tables of groups that used privacy mode are built in the background', async () => {
  const { index, builds } = countingIndex();
  const hub = await restarted(index);
  assert.equal(index.stats().groups.length, 0, 'nothing is built before start');
  await within(30_000, hub.privacyWarmup.start());
  assert.deepEqual(
    index.stats().groups.map((g) => [g.group, g.entries > 0]),
    [[cast.national, true]],
  );
  assert.deepEqual([...builds], [[cast.national, 1]]);
  assert.equal((await keyedCheck(hub)).matches.length, 1);
  assert.equal(builds.get(cast.national), 1, 'the check found the table ready');
  // The background-built table follows changes like one built by a check.
  await hub.alerts.revoke(cast.viewer('cert'), alertId, 'test: revoked after the warm-up');
  assert.equal((await keyedCheck(hub)).matches.length, 0);
});

test('a check that arrives before the background build waits for that same build', async () => {
  await node.ctx.hub.alerts.publish(cast.viewer('cert'), {
    kind: 'scam_campaign',
    title: 'still active',
    confidence: 60,
    tlp: 'AMBER',
    groupId: cast.national,
    indicators: [{ type: 'domain', value: 'warm-up-check.example' }],
  });
  const { index, builds } = countingIndex();
  // Pages of two rows: the build takes several turns of the event loop.
  const hub = await restarted(index, 2);
  const warm = hub.privacyWarmup.start();
  await until('the background build starts', () => builds.get(cast.national) === 1);
  assert.equal(index.stats().groups.length <= 1, true);
  const checked = await within(30_000, keyedCheck(hub, 'domain', 'warm-up-check.example'));
  assert.equal(checked.matches.length, 1);
  await within(30_000, warm);
  assert.equal(builds.get(cast.national), 1, 'one build, shared by the warm-up and the check');
  // The revoked alert of the test before stays out.
  assert.equal((await keyedCheck(hub)).matches.length, 0);
});

test('stop ends a background build before its next page; a later check builds the table again', async () => {
  const gate = pageGate();
  const { index, builds } = countingIndex(gate);
  const hub = await restarted(index, 2);
  const warm = hub.privacyWarmup.start();
  await until('the first page is read', () => gate.waiting === 1);
  await within(30_000, hub.stop());
  await within(30_000, warm);
  gate.open();
  // Stopped part-way, the half-built table is dropped and the next check builds it in full.
  await until('the stopped build fails', () => gate.failed);
  // One more turn: the index forgets the failed build in its handler.
  await new Promise<void>((resolve) => setImmediate(resolve));
  const again = await within(30_000, keyedCheck(hub, 'domain', 'warm-up-check.example'));
  assert.equal(again.matches.length, 1);
  assert.equal(builds.get(cast.national), 2);
});
