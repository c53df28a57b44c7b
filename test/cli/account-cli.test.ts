import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { cliWorkspace } from '../helpers/cli-workspace.ts';

// Issue 19: the account commands as an operator runs them, on the node's own storage.
const workspace = cliWorkspace('account-cli');
const { cli } = workspace;
before(async () => {
  await workspace.open();
  const init = await cli(['init'], { HANOI247_NEW_PASSWORD: 'first-admin-password' });
  assert.equal(init.status, 0, init.stderr);
  assert.match(init.stdout, /hanoi247 user passwd admin/, 'init says how to change the password');
  const added = await cli(['user', 'add', 'tran', '--roles', 'DUTY_OFFICER'], {
    HANOI247_NEW_PASSWORD: 'tran-password-01',
  });
  assert.equal(added.status, 0, added.stderr);
});
after(() => workspace.close());

test('user passwd needs the current password and refuses a weak new one', async () => {
  const wrong = await cli(['user', 'passwd', 'tran'], {
    HANOI247_CURRENT_PASSWORD: 'not-the-password',
    HANOI247_NEW_PASSWORD: 'tran-password-02',
  });
  assert.equal(wrong.status, 1);
  assert.match(wrong.stderr, /current password is wrong/);
  const weak = await cli(['user', 'passwd', 'tran'], {
    HANOI247_CURRENT_PASSWORD: 'tran-password-01',
    HANOI247_NEW_PASSWORD: 'short',
  });
  assert.equal(weak.status, 1);
  assert.match(weak.stderr, /at least 12 characters/);
  const done = await cli(['user', 'passwd', 'tran'], {
    HANOI247_CURRENT_PASSWORD: 'tran-password-01',
    HANOI247_NEW_PASSWORD: 'tran-password-02',
  });
  assert.equal(done.status, 0, done.stderr);
  const noTerminal = await cli(['user', 'passwd', 'tran'], { HANOI247_NEW_PASSWORD: 'tran-password-03' });
  assert.equal(noTerminal.status, 1);
  assert.match(noTerminal.stderr, /HANOI247_CURRENT_PASSWORD/);
});

test('user reset prints a one-time password or a one-time link', async () => {
  const password = JSON.parse((await cli(['user', 'reset', 'tran', '--json'])).stdout);
  assert.equal(password.mode, 'password');
  assert.ok(password.password.length >= 12);
  const after = JSON.parse((await cli(['user', 'list', '--json'])).stdout).find(
    (u: { username: string }) => u.username === 'tran',
  );
  assert.equal(after.mustChangePassword, true);
  const link = await cli(['user', 'reset', 'tran', '--link']);
  assert.equal(link.status, 0, link.stderr);
  assert.match(link.stdout, /\/reset-password\?token=h247r_[\w-]{20,}/);
  assert.equal((await cli(['user', 'reset', 'nobody'])).status, 1);
});

test('user roles replaces the roles and keeps the last administrator', async () => {
  const changed = await cli(['user', 'roles', 'tran', 'duty_officer,approver', '--json']);
  assert.equal(changed.status, 0, changed.stderr);
  assert.deepEqual(JSON.parse(changed.stdout).roles, ['DUTY_OFFICER', 'APPROVER']);
  const last = await cli(['user', 'roles', 'admin', 'AUDITOR']);
  assert.equal(last.status, 1);
  assert.match(last.stderr, /last active administrator/);
  assert.match((await cli(['user', 'roles', 'tran', 'KING'])).stderr, /unknown role KING/);
});

test('user sessions lists tokens, and user revoke revokes one', async () => {
  const empty = JSON.parse((await cli(['user', 'sessions', 'tran', '--json'])).stdout);
  assert.deepEqual(empty, { sessions: [], tokens: [] });
  assert.equal((await cli(['user', 'revoke', 'tran', '0123456789abcdef0123456789abcdef'])).status, 1);
  assert.equal((await cli(['user', 'revoke', 'tran', '00000000-0000-7000-8000-000000000000'])).status, 1);
  assert.match((await cli(['user', 'sessions', '--help'])).stdout, /sessions and the API tokens/);
});
