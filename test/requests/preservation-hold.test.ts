// Issue 21, corrections 4 and 5, through the request service on a real database: what keeps a
// preservation past its expiry, and the officer told at once when its follow-up is decided.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'drizzle-orm';
import type { Role } from '../../src/domain/codes.ts';
import { messageText } from '../../src/requests/notification-text.ts';
import type { RequestActor } from '../../src/requests/request-service.ts';
import { manualClock } from '../../src/shared/clock.ts';
import { rowsOf } from '../../src/store/database.ts';
import { buildRequest } from '../domain/requests/request-fixtures.ts';
import { startTestNode, type TestNode } from '../helpers/test-node.ts';

const START = '2026-12-10T08:00:00Z';
const clock = manualClock(START);
let node: TestNode;
const actors: Record<string, RequestActor> = {};

before(async () => {
  node = await startTestNode({ clock });
  for (const u of await node.ctx.users.list(100, null))
    actors[u.username] = { id: u.id, roles: u.roles as Role[] };
});
after(() => node.close());

const fromFrance = { requestingState: 'FR', requestedState: 'VN' };

async function executedPreservation() {
  const { request } = await node.ctx.requests.create(actors.duty!, {
    type: 'PRESERVATION',
    direction: 'INCOMING',
    ...buildRequest('PRESERVATION', fromFrance),
  });
  for (const action of ['acknowledge', 'start_execution', 'complete'])
    await node.ctx.requests.transition(actors.duty!, request.id, { action });
  return request.id;
}

const followUp = async (type: 'MLA_STORED_DATA' | 'TRAFFIC_DATA_DISCLOSURE', preservationId: string) =>
  (
    await node.ctx.requests.create(actors.lawyer!, {
      type,
      direction: 'INCOMING',
      ...buildRequest(type, { ...fromFrance, linkedPreservationId: preservationId }),
    })
  ).request.id;

async function pendingKinds(requestId: string) {
  return rowsOf<{ kind: string }>(
    await node.ctx.database.db.execute(
      sql`SELECT kind FROM request_timers WHERE request_id = ${requestId} AND done_at IS NULL ORDER BY due_at, kind`,
    ),
  ).map((r) => r.kind);
}

async function messagesAbout(requestId: string) {
  return rowsOf<{ kind: string; message: string }>(
    await node.ctx.database.db.execute(
      sql`SELECT kind, message FROM notifications WHERE request_id = ${requestId} ORDER BY id`,
    ),
  );
}

test('art. 42: only the follow-up for search, seizure or disclosure made before expiry holds the data', async () => {
  // A traffic-data disclosure linked to the preservation is not its follow-up.
  const withDisclosure = await executedPreservation();
  await followUp('TRAFFIC_DATA_DISCLOSURE', withDisclosure);
  // A stored-data request that arrives after expiry comes too late to hold it.
  const late = await executedPreservation();
  try {
    clock.set('2027-02-10T09:00:00Z'); // expiry was 2027-02-08T08:00Z
    await followUp('MLA_STORED_DATA', late);
    for (const id of [withDisclosure, late]) {
      const shown = await node.ctx.requests.get(id);
      assert.equal(shown.preservation?.status, 'EXPIRED', id);
    }
  } finally {
    clock.set(START);
  }
  const held = await executedPreservation();
  await followUp('MLA_STORED_DATA', held);
  clock.set('2027-02-10T09:00:00Z');
  try {
    assert.equal((await node.ctx.requests.get(held)).preservation?.status, 'HELD_FOR_MLA');
  } finally {
    clock.set(START);
  }
});

test('art. 42: a held preservation re-plans its timers when its follow-up changes, and its release is notified at once', async () => {
  const preservation = await executedPreservation();
  assert.deepEqual(await pendingKinds(preservation), [
    'PRESERVATION_REMINDER',
    'PRESERVATION_REMINDER',
    'PRESERVATION_REMINDER',
    'PRESERVATION_EXPIRY',
  ]);
  const mla = await followUp('MLA_STORED_DATA', preservation);
  // While the follow-up is pending: no reminder to ask for an extension.
  assert.deepEqual(await pendingKinds(preservation), ['PRESERVATION_EXPIRY']);
  try {
    clock.set('2027-02-20T09:00:00Z'); // past the 60 days: held for the follow-up
    await node.ctx.requests.processDueTimers();
    assert.equal((await messagesAbout(preservation)).length, 0);
    assert.equal((await node.ctx.requests.get(preservation)).preservation?.status, 'HELD_FOR_MLA');
    for (const action of ['acknowledge', 'open_consultation'])
      await node.ctx.requests.transition(actors.lawyer!, mla, { action, message: 'conditions proposed' });
    await node.ctx.requests.transition(actors.lawyer!, mla, {
      action: 'refuse',
      ground: 'ESSENTIAL_INTERESTS',
      reason: 'execution would prejudice essential interests',
    });
    assert.equal((await node.ctx.requests.get(preservation)).preservation?.status, 'EXPIRED');
    assert.ok((await pendingKinds(preservation)).includes('PRESERVATION_RELEASED'));
    await node.ctx.requests.processDueTimers();
    const told = (await messagesAbout(preservation)).filter((n) => n.kind === 'PRESERVATION_RELEASED');
    assert.equal(told.length, 1, JSON.stringify(told));
    assert.match(
      messageText(told[0]!.message, 'en'),
      /^Preservation may end now: .+\. Its follow-up request \(Stored data \(art\. 44\)\) has the status “Refused”/,
    );
    // Told once: a later step of the refused request does not repeat it.
    await node.ctx.requests.transition(actors.lawyer!, mla, { action: 'close' }).catch(() => undefined);
    await node.ctx.requests.processDueTimers();
    assert.equal(
      (await messagesAbout(preservation)).filter((n) => n.kind === 'PRESERVATION_RELEASED').length,
      1,
    );
  } finally {
    clock.set(START);
  }
});
