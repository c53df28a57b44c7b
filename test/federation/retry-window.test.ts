import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { DEFAULT_RETRY, nextAttemptAt } from '../../src/domain/federation/index.ts';
import { federationOptionsFromEnv } from '../../src/federation/federation-config.ts';
import { resolveFederationOptions } from '../../src/federation/federation-service.ts';
import { manualClock } from '../../src/shared/clock.ts';
import { auditEntries, federationOutbox } from '../../src/store/schema/index.ts';
import { linkNodes, type NetNode, startNetNode } from './federation-network.ts';

// A partner down for a weekend must not turn the messages to it into dead letters: with the
// defaults the sender retries, backing off, for 72 hours, and only then gives up. The clock is a
// manual one, so three days pass in a few hundred rounds.
const HOUR = 3_600_000;
const clock = manualClock('2027-01-05T10:00:00Z');
let vn: NetNode;
let fr: NetNode;

before(async () => {
  [vn, fr] = await Promise.all([
    startNetNode({ state: 'VN', clock, federation: { retry: DEFAULT_RETRY, lifetimeMs: 72 * HOUR } }),
    startNetNode({ state: 'FR', clock }),
  ]);
  await linkNodes([vn, fr]);
  // The rounds are run by the test, each at the moment the message is due.
  await vn.ctx.federation.sender.stop();
  await fr.stop();
});
after(async () => {
  await vn?.destroy();
  await fr?.database.close();
});

test('a partner down for 71 hours still gets its message; the dead letter comes at 72 hours, not before', async () => {
  const created = clock.now().getTime();
  const [id] = (await vn.ctx.federation.ping('test', 'FR', 1)).queued as [string];
  const row = async () => {
    const [r] = await vn.database.db.select().from(federationOutbox).where(eq(federationOutbox.id, id));
    return r!;
  };
  let pendingAt71h = false;
  let rounds = 0;
  for (;;) {
    const current = await row();
    if (current.status !== 'pending') break;
    assert.ok(rounds++ < 2_000, 'the retries end');
    if (clock.now().getTime() - created >= 71 * HOUR) pendingAt71h = true;
    clock.set(current.nextAttemptAt);
    await vn.ctx.federation.sender.runOnce();
  }
  const dead = await row();
  assert.equal(dead.status, 'dead');
  assert.equal(dead.lastErrorCode, 'ERR_PEER_UNREACHABLE');
  assert.ok(pendingAt71h, 'still retried after 71 hours');
  const hours = (clock.now().getTime() - created) / HOUR;
  assert.ok(hours >= 72 && hours < 72.2, `dead-lettered at ${hours.toFixed(2)} h`);
  // Backoff, not hammering: the delay grows to its cap of 10 minutes, so a few hundred attempts.
  assert.ok(dead.attempts > 300 && dead.attempts < 1_000, `${dead.attempts} attempts`);
  const audit = await vn.database.db
    .select()
    .from(auditEntries)
    .where(eq(auditEntries.action, 'federation.dead_letter'));
  assert.equal(audit.length, 1);
});

test('the window comes from HANOI247_FEDERATION_RETRY_HOURS and the message lives as long', () => {
  const options = resolveFederationOptions(
    federationOptionsFromEnv({ HANOI247_FEDERATION_RETRY_HOURS: '120' }),
  );
  assert.equal(options.retry.windowMs, 120 * HOUR);
  assert.equal(options.retry.maxAttempts, undefined);
  assert.equal(options.lifetimeMs, 120 * HOUR, 'a message is not refused as expired while it is retried');
  assert.equal(resolveFederationOptions().retry.windowMs, 72 * HOUR);
  assert.throws(
    () => federationOptionsFromEnv({ HANOI247_FEDERATION_RETRY_HOURS: '200' }),
    /HANOI247_FEDERATION_RETRY_HOURS: '200' must be a whole number from 1 to 168/,
  );
});

test('the last attempt falls on the end of the window; an expiry earlier than the window ends it', () => {
  const createdAt = new Date('2027-01-01T00:00:00Z');
  const message = { createdAt, expiresAt: new Date(createdAt.getTime() + 100 * HOUR) };
  const nearEnd = new Date(createdAt.getTime() + 72 * HOUR - 60_000);
  assert.equal(
    nextAttemptAt(400, DEFAULT_RETRY, 0.5, nearEnd, message)?.getTime(),
    createdAt.getTime() + 72 * HOUR,
  );
  assert.equal(
    nextAttemptAt(401, DEFAULT_RETRY, 0.5, new Date(createdAt.getTime() + 72 * HOUR), message),
    null,
  );
  const short = { createdAt, expiresAt: new Date(createdAt.getTime() + HOUR) };
  assert.equal(nextAttemptAt(3, DEFAULT_RETRY, 0.5, new Date(createdAt.getTime() + HOUR), short), null);
  assert.equal(nextAttemptAt(5, { ...DEFAULT_RETRY, maxAttempts: 5 }, 0.5, createdAt, message), null);
});
