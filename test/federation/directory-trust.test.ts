import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import { and, eq, inArray } from 'drizzle-orm';
import { parseConfig } from '../../src/config.ts';
import type { Jwk } from '../../src/crypto/node-keys.ts';
import { createDirectoryService } from '../../src/directory/directory-service.ts';
import type { PublisherKey } from '../../src/directory/publisher-keys.ts';
import { generatePublisherKey, signDirectory } from '../../src/directory/signed-directory.ts';
import { type RunningNode, startNode } from '../../src/main.ts';
import { createLogger } from '../../src/observability/logger.ts';
import type { Database } from '../../src/store/database.ts';
import { auditEntries, federationInbox, federationOutbox } from '../../src/store/schema/index.ts';
import { client } from '../helpers/http-client.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import { TEST_KEY_SECRET } from '../helpers/test-node.ts';
import {
  directoryFor,
  eventually,
  FAST_FEDERATION,
  type NetNode,
  shiftedClock,
} from './federation-network.ts';

// The trust anchors change under a stored signed directory: a publisher key is removed from the
// configuration, revoked, or expires. The node verifies the directory in force again, refuses to use
// it when it no longer verifies (a clear error, an audit entry, a log line; federation stops too),
// and a newer directory signed by a valid key makes it usable again.
const clock = shiftedClock();
const HOUR = 3_600_000;
type Publisher = { privateJwk: Jwk; anchor: PublisherKey };
let keys: Publisher[];
let vnDatabase: Database & { url: string | null };
let frDatabase: Database & { url: string | null };
let vn: RunningNode;
let fr: RunningNode;
let vnPort = 0;
let admin: ReturnType<typeof client>;
const logLines: { level: number; msg: string; code?: string; directoryVersion?: number }[] = [];
// The node entries of both nodes: every signed directory here lists them, only its issuedAt changes.
let document: ReturnType<typeof directoryFor>;

async function start(
  state: 'VN' | 'FR',
  database: Database,
  anchors: PublisherKey[],
  port = 0,
): Promise<RunningNode> {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line.trim()) logLines.push(JSON.parse(line));
      done();
    },
  });
  return startNode(
    parseConfig({
      PORT: String(port),
      HOST: '127.0.0.1',
      HANOI247_KEY_SECRET: TEST_KEY_SECRET,
      HANOI247_LOG_LEVEL: 'info',
      HANOI247_NODE_STATE: state,
      HANOI247_DIRECTORY_PUBLISHER_KEYS: JSON.stringify({ keys: anchors }),
    }),
    {
      database,
      clock,
      logger: createLogger('warn', state === 'VN' ? sink : undefined),
      createKeysIfMissing: true,
      // France keeps retrying while Viet Nam refuses: a refused message is not lost.
      federation: { ...FAST_FEDERATION, retry: { baseMs: 50, maxMs: 200, maxAttempts: 10_000 } },
    },
  );
}

/** Viet Nam again, on its database and port, with other trust anchors (they are read at start). */
async function restartVn(anchors: PublisherKey[]): Promise<void> {
  await vn.close();
  vn = await start('VN', vnDatabase, anchors, vnPort);
}

const sign = (issuedAt: string, by: Publisher) => signDirectory({ ...document, issuedAt }, by.privateJwk);

before(async () => {
  keys = await Promise.all([1, 2, 3, 4].map(() => generatePublisherKey(new Date('2026-01-01T00:00:00Z'))));
  [vnDatabase, frDatabase] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  const all = keys.map((k) => k.anchor);
  [vn, fr] = await Promise.all([start('VN', vnDatabase, all), start('FR', frDatabase, all)]);
  vnPort = Number(new URL(vn.url).port);
  document = directoryFor([
    { ...vn, state: 'VN' },
    { ...fr, state: 'FR' },
  ] as unknown as NetNode[]);
  const first = await sign('2026-12-01T00:00:00Z', keys[0]!);
  for (const node of [vn, fr]) await node.ctx.directory.importDocument('test', first, 'test');
  const { user } = await vn.ctx.users.addUser('test', {
    username: 'trust-admin',
    password: 'trust-admin-pw-1',
    roles: ['ADMIN'],
  });
  const { token } = await vn.ctx.auth.createToken(user.id, { name: 't', scopes: ['ADMIN'], ttlDays: 90 });
  admin = client(vn.url);
  admin.setToken(token);
});
after(async () => {
  await Promise.all([vn?.close(), fr?.close()]);
  await Promise.all([vnDatabase?.close(), frDatabase?.close()]);
});

async function refusalsAudited(version: number): Promise<number> {
  const rows = await vnDatabase.db
    .select({ seq: auditEntries.seq })
    .from(auditEntries)
    .where(and(eq(auditEntries.action, 'directory.refuse'), eq(auditEntries.objectId, String(version))));
  return rows.length;
}

/** The node refuses the version in force: the API says why, the refusal is audited once and logged. */
async function assertRefused(code: string, detail: RegExp): Promise<number> {
  const reply = await admin.get('/api/v1/directory');
  assert.equal(reply.status, 503, reply.text);
  assert.equal(reply.body.code, 'ERR_DIRECTORY_UNTRUSTED');
  assert.equal(reply.body.reason, code);
  assert.match(reply.body.detail, detail);
  assert.match(reply.body.detail, /Import or fetch a newer signed directory/);
  const version = reply.body.version as number;
  await eventually(
    async () => ((await refusalsAudited(version)) === 1 ? true : undefined),
    'the audit entry',
  );
  const logged = logLines.filter((l) => l.directoryVersion === version && l.code === code);
  assert.equal(logged.length, 1, 'one log line');
  assert.match(logged[0]!.msg, /no longer verifies against the trust anchors/);
  // The auditor's view keeps the document and says when and why it was refused.
  const signed = await admin.get(`/api/v1/directory/signed?version=${version}`);
  assert.equal(signed.body.refused.code, code);
  return version;
}

async function assertUsable(issuedAt: string): Promise<void> {
  const reply = await admin.get('/api/v1/directory');
  assert.equal(reply.status, 200, reply.text);
  assert.equal(reply.body.document.issuedAt, issuedAt);
}

test('a publisher key removed from the anchors: the directory it signed is refused at the next start', async () => {
  await assertUsable('2026-12-01T00:00:00Z');
  await restartVn(keys.slice(1).map((k) => k.anchor));
  // The check at start finds it before anyone asks: the refusal is already audited and logged.
  await eventually(async () => ((await refusalsAudited(1)) === 1 ? true : undefined), 'the refusal at start');
  await assertRefused('ERR_DIRECTORY_PUBLISHER_UNKNOWN', /signed by .* not a publisher key this node trusts/);
  // Asking again does not audit it again.
  assert.equal((await admin.get('/api/v1/directory')).status, 503);
  assert.equal(await refusalsAudited(1), 1);
  // The publisher signs the same document with a key the node trusts: that makes it usable again.
  const resigned = await sign('2026-12-01T00:00:00Z', keys[1]!);
  const imported = await admin.call('PUT', '/api/v1/directory', { jws: resigned });
  assert.equal(imported.status, 200, imported.text);
  assert.equal(imported.body.unchanged, false);
  await assertUsable('2026-12-01T00:00:00Z');
});

test('a revoked publisher key: the node refuses its directory, for federation too, until a newer one', async () => {
  const revokedAt = new Date(clock.now().getTime() - HOUR).toISOString();
  await restartVn([{ ...keys[1]!.anchor, revokedAt }, keys[2]!.anchor, keys[3]!.anchor]);
  const version = await assertRefused('ERR_DIRECTORY_PUBLISHER_REVOKED', /was revoked on/);
  // France's message is refused by Viet Nam's inbox (audited there), and stays queued at France.
  const { queued } = await fr.ctx.federation.ping('test', 'VN', 1);
  const queuedAtFrance = async () =>
    (await frDatabase.db.select().from(federationOutbox).where(inArray(federationOutbox.id, queued)))[0];
  const waiting = await eventually(async () => {
    const row = await queuedAtFrance();
    return row?.lastErrorCode === 'ERR_DIRECTORY_UNTRUSTED' ? row : undefined;
  }, 'the refusal seen by France');
  assert.equal(waiting.status, 'pending');
  const refused = await vnDatabase.db
    .select({ id: auditEntries.objectId })
    .from(auditEntries)
    .where(and(eq(auditEntries.action, 'federation.refuse'), inArray(auditEntries.objectId, queued)));
  assert.ok(refused.length >= 1, 'the refused message is audited');
  // Viet Nam sends nothing either: its officers' steps and pings need the directory.
  const ping = await admin.call('POST', '/api/v1/federation/ping', { to: 'FR', count: 1 });
  assert.equal(ping.status, 503);
  assert.equal(ping.body.code, 'ERR_DIRECTORY_UNTRUSTED');

  // A newer directory signed by a valid key: used again, and France's message arrives, once.
  const newer = await sign('2026-12-10T00:00:00Z', keys[2]!);
  assert.equal((await admin.call('PUT', '/api/v1/directory', { jws: newer })).status, 200);
  await assertUsable('2026-12-10T00:00:00Z');
  await eventually(
    async () => ((await queuedAtFrance())?.status === 'sent' ? true : undefined),
    'the message delivered',
  );
  const inbox = await vnDatabase.db
    .select()
    .from(federationInbox)
    .where(inArray(federationInbox.messageId, queued));
  assert.equal(inbox.length, 1);
  assert.equal(await refusalsAudited(version), 1);
});

test('a publisher key that expires while the node runs: refused from that moment, until a newer one', async () => {
  const validUntil = new Date(clock.now().getTime() + HOUR).toISOString();
  await restartVn([{ ...keys[2]!.anchor, validUntil }, keys[3]!.anchor]);
  await assertUsable('2026-12-10T00:00:00Z');
  clock.offsetMs += 2 * HOUR;
  try {
    await assertRefused('ERR_DIRECTORY_PUBLISHER_EXPIRED', new RegExp(`expired on ${validUntil}`));
    const newer = await sign('2026-12-11T00:00:00Z', keys[3]!);
    assert.equal((await admin.call('PUT', '/api/v1/directory', { jws: newer })).status, 200);
    await assertUsable('2026-12-11T00:00:00Z');
    // The background check (run here at once rather than waited for) agrees.
    assert.equal((await vn.ctx.directory.recheckTrust())?.ok, true);
  } finally {
    clock.offsetMs -= 2 * HOUR;
  }
});

test('an operator who puts the key back makes the refused directory usable again, audited', async () => {
  // The anchors of two configurations, on Viet Nam's database: a revocation, then none.
  const version = (await vn.ctx.directory.current()).version;
  const revoked = createDirectoryService(vnDatabase, clock, {
    publisherKeys: [{ ...keys[3]!.anchor, revokedAt: new Date(clock.now().getTime() - HOUR).toISOString() }],
  });
  assert.equal((await revoked.recheckTrust())?.ok, false);
  assert.equal((await admin.get('/api/v1/directory')).status, 503, 'the running node sees the refusal');
  const trusting = createDirectoryService(vnDatabase, clock, { publisherKeys: [keys[3]!.anchor] });
  assert.equal((await trusting.recheckTrust())?.ok, true);
  const restored = await vnDatabase.db
    .select({ seq: auditEntries.seq })
    .from(auditEntries)
    .where(
      and(eq(auditEntries.action, 'directory.trust_restored'), eq(auditEntries.objectId, String(version))),
    );
  assert.equal(restored.length, 1);
  await assertUsable('2026-12-11T00:00:00Z');
  assert.equal((await admin.get(`/api/v1/directory/signed?version=${version}`)).body.refused, null);
});
