import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { SESSION_COOKIE } from '../../src/auth/session-cookie.ts';
import { auditEntries } from '../../src/store/schema/index.ts';
import { client } from '../helpers/http-client.ts';
import { DEMO_PASSWORD, startTestNode, type TestNode } from '../helpers/test-node.ts';
import { endsSignedOut, openSse } from '../hub/sse-client.ts';

// Issue 19, accounts: one's own password, sessions and tokens; an administrator's resets, role
// changes and revocations; each audited by user id, and a revoked session's live stream ends.
let node: TestNode;
const PASSWORD = 'account-password-1';

before(async () => {
  node = await startTestNode();
});
after(() => node.close());

async function newUser(
  username: string,
  roles: ('DUTY_OFFICER' | 'ADMIN' | 'INVESTIGATOR')[] = ['DUTY_OFFICER'],
) {
  return (await node.ctx.users.addUser('test', { username, password: PASSWORD, roles })).user;
}

async function signedIn(username: string, password = PASSWORD) {
  const api = client(node.url);
  const reply = await api.login(username, password);
  assert.equal(reply.status, 200, reply.text);
  return api;
}

async function admin() {
  return signedIn('admin', DEMO_PASSWORD);
}

async function auditActions(userId: string): Promise<string[]> {
  const rows = await node.ctx.database.db
    .select({ action: auditEntries.action })
    .from(auditEntries)
    .where(and(eq(auditEntries.objectType, 'user'), eq(auditEntries.objectId, userId)));
  return rows.map((r) => r.action);
}

test('changing one own password needs the current one, ends the other sessions and is audited', async () => {
  const user = await newUser('passwd-user');
  const here = await signedIn('passwd-user');
  const elsewhere = await signedIn('passwd-user');

  const wrong = await here.post('/api/v1/auth/password', {
    currentPassword: 'not-the-password',
    newPassword: 'a-brand-new-password',
  });
  assert.equal(wrong.status, 403);
  assert.equal(wrong.body.code, 'ERR_CURRENT_PASSWORD');
  const short = await here.post('/api/v1/auth/password', { currentPassword: PASSWORD, newPassword: 'short' });
  assert.equal(short.status, 400);
  assert.ok(short.body.errors.some((e: { field: string }) => e.field.includes('newPassword')));
  const same = await here.post('/api/v1/auth/password', { currentPassword: PASSWORD, newPassword: PASSWORD });
  assert.equal(same.status, 400);

  const done = await here.post('/api/v1/auth/password', {
    currentPassword: PASSWORD,
    newPassword: 'a-brand-new-password',
  });
  assert.equal(done.status, 200, done.text);
  assert.equal((await here.get('/api/v1/auth/me')).status, 200, 'this session stays');
  assert.equal((await elsewhere.get('/api/v1/auth/me')).status, 401, 'the other session ended');
  assert.equal((await client(node.url).login('passwd-user', PASSWORD)).status, 401);
  assert.equal((await client(node.url).login('passwd-user', 'a-brand-new-password')).status, 200);
  assert.ok((await auditActions(user.id)).includes('user.password_change'));
});

test('a one-time password from an administrator allows nothing but choosing a new one', async () => {
  const user = await newUser('reset-pw-user');
  const before = await signedIn('reset-pw-user');
  const reset = await (await admin()).post('/api/v1/users/reset-pw-user/password-reset', {
    mode: 'password',
  });
  assert.equal(reset.status, 200, reset.text);
  assert.ok(reset.body.password.length >= 12);
  assert.equal((await before.get('/api/v1/auth/me')).status, 401, 'a reset ends the sessions');

  const api = client(node.url);
  const login = await api.login('reset-pw-user', reset.body.password);
  assert.equal(login.status, 200);
  assert.equal(login.body.user.mustChangePassword, true);
  const blocked = await api.get('/api/v1/requests');
  assert.equal(blocked.status, 403);
  assert.equal(blocked.body.code, 'ERR_PASSWORD_CHANGE_REQUIRED');
  const changed = await api.post('/api/v1/auth/password', {
    currentPassword: reset.body.password,
    newPassword: 'my-own-password-now',
  });
  assert.equal(changed.status, 200, changed.text);
  assert.equal(changed.body.user.mustChangePassword, false);
  assert.equal((await api.get('/api/v1/requests')).status, 200);
  assert.ok((await auditActions(user.id)).includes('user.password_reset'));
});

test('a one-time reset link sets a new password once; a second use is refused', async () => {
  const user = await newUser('reset-link-user');
  const reset = await (await admin()).post('/api/v1/users/reset-link-user/password-reset', { mode: 'link' });
  assert.equal(reset.status, 200, reset.text);
  const body = { token: reset.body.token, newPassword: 'chosen-by-the-user-1' };
  const weak = await client(node.url).post('/api/v1/auth/password-reset', { ...body, newPassword: 'x' });
  assert.equal(weak.status, 400);
  const used = await client(node.url).post('/api/v1/auth/password-reset', body);
  assert.equal(used.status, 200, used.text);
  assert.equal(used.body.username, 'reset-link-user');
  const again = await client(node.url).post('/api/v1/auth/password-reset', body);
  assert.equal(again.status, 403);
  assert.equal(again.body.code, 'ERR_RESET_LINK');
  const login = await client(node.url).login('reset-link-user', 'chosen-by-the-user-1');
  assert.equal(login.status, 200);
  assert.equal(login.body.user.mustChangePassword, false);
  const actions = await auditActions(user.id);
  assert.ok(actions.includes('user.password_reset_link') && actions.includes('user.password_reset_done'));
});

test('role changes are audited, take effect at once, and the last administrator keeps ADMIN', async () => {
  const user = await newUser('roles-user', ['INVESTIGATOR']);
  const api = await signedIn('roles-user');
  const boss = await admin();
  assert.equal((await api.get('/api/v1/users')).status, 403);
  const grant = await boss.put('/api/v1/users/roles-user/roles', { roles: ['INVESTIGATOR', 'ADMIN'] });
  assert.equal(grant.status, 200, grant.text);
  assert.deepEqual(grant.body.roles, ['INVESTIGATOR', 'ADMIN']);
  assert.equal((await api.get('/api/v1/users')).status, 200, 'the open session has the new role');
  const withdraw = await api.put('/api/v1/users/roles-user/roles', { roles: ['INVESTIGATOR'] });
  assert.equal(withdraw.status, 200, withdraw.text);
  assert.equal((await api.get('/api/v1/users')).status, 403);
  assert.ok((await auditActions(user.id)).filter((a) => a === 'user.roles_change').length === 2);

  const unknown = await boss.put('/api/v1/users/roles-user/roles', { roles: ['KING'] });
  assert.equal(unknown.status, 400);
  const last = await boss.put('/api/v1/users/admin/roles', { roles: ['AUDITOR'] });
  assert.equal(last.status, 409);
  assert.equal(last.body.code, 'ERR_LAST_ADMIN');
  assert.equal((await boss.get('/api/v1/users')).status, 200, 'the administrator kept ADMIN');
});

test('one lists and ends one own sessions; the ended session loses its live stream', async () => {
  await newUser('sessions-user');
  const login = await fetch(`${node.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'sessions-user', password: PASSWORD }),
  });
  assert.equal(login.status, 200);
  const cookie = `${SESSION_COOKIE}=${new RegExp(`${SESSION_COOKIE}=([^;]*)`).exec(login.headers.get('set-cookie') ?? '')![1]}`;
  const stream = await openSse(`${node.url}/api/v1/requests/events`, null, { cookie });
  assert.equal(stream.status, 200);

  const here = await signedIn('sessions-user');
  const list = await here.get('/api/v1/auth/sessions');
  assert.equal(list.status, 200);
  assert.equal(list.body.items.length, 2);
  assert.equal(list.body.items.filter((s: { current: boolean }) => s.current).length, 1);
  const other = list.body.items.find((s: { current: boolean }) => !s.current);
  assert.equal((await here.delete('/api/v1/auth/sessions/0123456789abcdef0123456789abcdef')).status, 404);
  assert.equal((await here.delete(`/api/v1/auth/sessions/${other.id}`)).status, 204);
  await endsSignedOut(stream);
  const after = await here.get('/api/v1/auth/sessions');
  assert.equal(after.body.items.length, 1);
  assert.equal((await fetch(`${node.url}/api/v1/auth/me`, { headers: { cookie } })).status, 401);
});

test("an administrator lists and revokes another account's sessions and tokens; others may not", async () => {
  const user = await newUser('victim-user');
  const session = await signedIn('victim-user');
  const { id, token } = await node.ctx.auth.createToken(user.id, {
    name: 'script',
    scopes: ['DUTY_OFFICER'],
    ttlDays: 1,
  });
  const machine = client(node.url);
  machine.setToken(token);
  assert.equal((await machine.get('/api/v1/auth/me')).status, 200);
  const own = await session.get('/api/v1/auth/tokens');
  assert.deepEqual(
    own.body.items.map((t: { id: string; name: string }) => [t.id, t.name]),
    [[id, 'script']],
  );
  assert.equal(JSON.stringify(own.body).includes(token), false, 'the token itself is never shown');

  const boss = await admin();
  const sessions = await boss.get('/api/v1/users/victim-user/sessions');
  assert.equal(sessions.status, 200);
  assert.equal(sessions.body.items.length, 1);
  assert.equal(
    (await boss.delete(`/api/v1/users/victim-user/sessions/${sessions.body.items[0].id}`)).status,
    204,
  );
  assert.equal((await session.get('/api/v1/auth/me')).status, 401);
  assert.equal((await boss.delete(`/api/v1/users/victim-user/tokens/${id}`)).status, 204);
  assert.equal((await machine.get('/api/v1/auth/me')).status, 401);
  const tokens = await boss.get('/api/v1/users/victim-user/tokens');
  assert.ok(tokens.body.items[0].revokedAt);
  assert.equal((await boss.get('/api/v1/users/nobody-at-all/sessions')).status, 404);

  const outsider = await signedIn('duty', DEMO_PASSWORD);
  assert.equal((await outsider.get('/api/v1/users/victim-user/sessions')).status, 403);
  assert.ok((await auditActions(user.id)).includes('session.revoke'));
});
