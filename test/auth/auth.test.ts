import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { totpCode } from '../../src/auth/totp.ts';
import { manualClock } from '../../src/shared/clock.ts';
import { rowsOf } from '../../src/store/database.ts';
import { client } from '../helpers/http-client.ts';
import { DEMO_PASSWORD, startTestNode, type TestNode } from '../helpers/test-node.ts';

const clock = manualClock('2026-11-25T03:00:00Z');
let node: TestNode;
before(async () => {
  node = await startTestNode({ clock });
});
after(() => node.close());

describe('sign-in', () => {
  test('a good password gives an HttpOnly, SameSite=Strict session cookie and a CSRF token', async () => {
    const api = client(node.url);
    const reply = await api.login('duty', DEMO_PASSWORD);
    assert.equal(reply.status, 200);
    const cookie = reply.headers.get('set-cookie') ?? '';
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
    assert.ok(reply.body.csrfToken.length >= 20);
    assert.deepEqual(reply.body.user.roles, ['DUTY_OFFICER']);
    assert.equal(reply.body.user.passwordHash, undefined);
  });

  test('a wrong password and an unknown user get the same answer', async () => {
    const wrong = await client(node.url).login('lawyer', 'not-the-password');
    const unknown = await client(node.url).login('nobody-here', 'not-the-password');
    assert.equal(wrong.status, 401);
    assert.equal(unknown.status, 401);
    assert.equal(wrong.body.code, 'ERR_LOGIN');
    assert.equal(wrong.body.detail, unknown.body.detail);
  });

  test('too many failures lock the account, and the lock ends after its time', async () => {
    await node.ctx.users.addUser('test', {
      username: 'locky',
      password: 'locky-password-1',
      roles: ['INVESTIGATOR'],
    });
    for (let i = 0; i < 5; i++)
      assert.equal((await client(node.url).login('locky', 'wrong-password')).status, 401);
    const locked = await client(node.url).login('locky', 'locky-password-1');
    assert.equal(locked.status, 429);
    assert.ok(Number(locked.headers.get('retry-after')) > 0);
    clock.advance(16 * 60_000);
    assert.equal((await client(node.url).login('locky', 'locky-password-1')).status, 200);
  });

  test('an account with TOTP needs the current code', async () => {
    const created = await node.ctx.users.addUser('test', {
      username: 'approver2',
      password: 'approver-password-2',
      roles: ['APPROVER'],
      withTotp: true,
    });
    const secret = created.totpSecret!;
    const without = await client(node.url).login('approver2', 'approver-password-2');
    assert.equal(without.status, 401);
    assert.equal(without.body.code, 'ERR_TOTP_REQUIRED');
    const wrongCode = (await totpCode(secret, clock.now())) === '000000' ? '111111' : '000000';
    assert.equal(
      (await client(node.url).login('approver2', 'approver-password-2', wrongCode)).body.code,
      'ERR_TOTP',
    );
    const ok = await client(node.url).login(
      'approver2',
      'approver-password-2',
      await totpCode(secret, clock.now()),
    );
    assert.equal(ok.status, 200);
    assert.equal(ok.body.user.totpEnabled, true);
  });
});

describe('sessions', () => {
  test('a change made with a cookie but without the CSRF header is refused', async () => {
    const api = client(node.url);
    await api.login('admin', DEMO_PASSWORD);
    api.forgetCsrf();
    const reply = await api.post('/api/v1/users/duty/disable');
    assert.equal(reply.status, 403);
    assert.equal(reply.body.code, 'ERR_CSRF');
  });

  test('logout ends the session', async () => {
    const api = client(node.url);
    await api.login('cert', DEMO_PASSWORD);
    assert.equal((await api.post('/api/v1/auth/logout')).status, 204);
    assert.equal((await api.get('/api/v1/auth/me')).status, 401);
  });

  test('disabling an account ends its sessions', async () => {
    await node.ctx.users.addUser('test', {
      username: 'leaver',
      password: 'leaver-password-1',
      roles: ['CERT_ANALYST'],
    });
    const user = client(node.url);
    await user.login('leaver', 'leaver-password-1');
    const admin = client(node.url);
    await admin.login('admin', DEMO_PASSWORD);
    assert.equal((await admin.post('/api/v1/users/leaver/disable')).status, 200);
    assert.equal((await user.get('/api/v1/auth/me')).status, 401);
    assert.equal((await client(node.url).login('leaver', 'leaver-password-1')).status, 401);
  });
});

describe('API tokens', () => {
  test('a token acts with its scopes only, expires, and can be revoked', async () => {
    await node.ctx.users.addUser('test', {
      username: 'machine',
      password: 'machine-password-1',
      roles: ['AUDITOR', 'ADMIN'],
    });
    const owner = client(node.url);
    await owner.login('machine', 'machine-password-1');
    const created = await owner.post('/api/v1/auth/tokens', {
      name: 'scraper',
      scopes: ['AUDITOR'],
      ttlDays: 1,
    });
    assert.equal(created.status, 201);
    assert.match(created.body.token, /^h247_/);

    const bot = client(node.url);
    bot.setToken(created.body.token);
    assert.equal((await bot.get('/api/v1/audit/entries')).status, 200);
    const me = await bot.get('/api/v1/auth/me');
    assert.deepEqual(me.body.effectiveRoles, ['AUDITOR']);
    assert.equal((await bot.get('/api/v1/users')).status, 403, 'ADMIN is not in the token scopes');

    const notHeld = await owner.post('/api/v1/auth/tokens', { name: 'x', scopes: ['APPROVER'], ttlDays: 1 });
    assert.equal(notHeld.status, 400);
    assert.equal(notHeld.body.errors[0].field, 'body/scopes');

    const revoked = await owner.post('/api/v1/auth/tokens', {
      name: 'short',
      scopes: ['AUDITOR'],
      ttlDays: 1,
    });
    assert.equal((await owner.delete(`/api/v1/auth/tokens/${revoked.body.id}`)).status, 204);
    const useRevoked = client(node.url);
    useRevoked.setToken(revoked.body.token);
    assert.equal((await useRevoked.get('/api/v1/auth/me')).body.code, 'ERR_TOKEN');

    clock.advance(2 * 86_400_000);
    const expired = await bot.get('/api/v1/auth/me');
    assert.equal(expired.status, 401);
    assert.equal(expired.body.code, 'ERR_TOKEN');
  });

  test('a token the node remembers as checked is refused at once when revoked or its owner disabled', async () => {
    await node.ctx.users.addUser('test', {
      username: 'feeder',
      password: 'feeder-password-1',
      roles: ['AUDITOR'],
    });
    const owner = client(node.url);
    await owner.login('feeder', 'feeder-password-1');
    const make = async () =>
      (await owner.post('/api/v1/auth/tokens', { name: 'feed', scopes: ['AUDITOR'], ttlDays: 1 })).body;
    const first = await make();
    const second = await make();
    const bot = client(node.url);
    bot.setToken(first.token);
    assert.equal((await bot.get('/api/v1/auth/me')).status, 200);
    assert.equal((await bot.get('/api/v1/auth/me')).status, 200, 'served from memory the second time');
    assert.equal((await owner.delete(`/api/v1/auth/tokens/${first.id}`)).status, 204);
    assert.equal((await bot.get('/api/v1/auth/me')).status, 401);

    const other = client(node.url);
    other.setToken(second.token);
    assert.equal((await other.get('/api/v1/auth/me')).status, 200);
    const admin = client(node.url);
    await admin.login('admin', DEMO_PASSWORD);
    assert.equal((await admin.post('/api/v1/users/feeder/disable')).status, 200);
    assert.equal((await other.get('/api/v1/auth/me')).status, 401);
  });

  test('a malformed or unknown token is refused', async () => {
    const api = client(node.url);
    api.setToken('h247_not-a-real-token');
    assert.equal((await api.get('/api/v1/auth/me')).status, 401);
  });
});

describe('second factor required by configuration', () => {
  test('an approver without TOTP cannot sign in on a node that requires it', async () => {
    await using strict = await startTestNode({ config: { requireTotp: true } });
    const reply = await client(strict.url).login('approver', DEMO_PASSWORD);
    assert.equal(reply.status, 403);
    assert.equal(reply.body.code, 'ERR_TOTP_ENROLMENT_REQUIRED');
    const admin = await client(strict.url).login('admin', DEMO_PASSWORD);
    assert.equal(admin.status, 403, 'an administrator needs TOTP too');
    assert.equal(admin.body.code, 'ERR_TOTP_ENROLMENT_REQUIRED');
    assert.equal(
      (await client(strict.url).login('duty', DEMO_PASSWORD)).status,
      200,
      'other roles are not affected',
    );
  });
});

describe('stored secrets and the per-address limit', () => {
  test('passwords are Argon2id hashes and API tokens are stored only as hashes', async () => {
    const owner = client(node.url);
    assert.equal((await owner.login('auditor', DEMO_PASSWORD)).status, 200);
    const created = await owner.post('/api/v1/auth/tokens', {
      name: 'stored',
      scopes: ['AUDITOR'],
      ttlDays: 1,
    });
    assert.equal(created.status, 201);
    const users = rowsOf<{ password_hash: string }>(
      await node.ctx.database.db.execute(sql`SELECT password_hash FROM users`),
    );
    assert.ok(users.length > 0);
    for (const u of users) assert.match(u.password_hash, /^\$argon2id\$/);
    const tokens = JSON.stringify(rowsOf(await node.ctx.database.db.execute(sql`SELECT * FROM api_tokens`)));
    assert.ok(!tokens.includes(created.body.token));
    assert.ok(!tokens.includes(created.body.token.slice(5)));
  });

  test('one address is slowed down after too many sign-ins in a minute, whatever the accounts', async () => {
    clock.advance(61_000); // a fresh window
    let attempts = 0;
    let reply = await client(node.url).login('nobody-0', 'wrong-password');
    while (reply.status !== 429 && attempts < 50) {
      attempts++;
      reply = await client(node.url).login(`nobody-${attempts}`, 'wrong-password');
    }
    assert.equal(reply.status, 429);
    assert.equal(attempts, 20, 'the 21st attempt in the window is refused');
    assert.ok(Number(reply.headers.get('retry-after')) > 0);
    assert.match(reply.headers.get('content-type') ?? '', /application\/problem\+json/);
    // Even the right password waits until the window ends.
    assert.equal((await client(node.url).login('duty', DEMO_PASSWORD)).status, 429);
    clock.advance(61_000);
    assert.equal((await client(node.url).login('duty', DEMO_PASSWORD)).status, 200);
  });
});
