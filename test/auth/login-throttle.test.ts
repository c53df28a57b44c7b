import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createLoginThrottle, FREE_FAILURES, MAX_DELAY_MS } from '../../src/auth/login-throttle.ts';
import type { AppError } from '../../src/shared/errors.ts';
import { client } from '../helpers/http-client.ts';
import { DEMO_PASSWORD, startTestNode, type TestNode } from '../helpers/test-node.ts';

// Issue 16, part 3: a locked account answered 429 "This account is locked" at once while an unknown
// name answered 401 after an Argon2 check, and anyone could lock `admin` with five tries.
let node: TestNode;
before(async () => {
  node = await startTestNode();
});
after(() => node.close());

const STRANGER = '203.0.113.9';

/** A sign-in from another address, through the same service the route calls. */
async function attemptFrom(address: string, username: string, password: string) {
  try {
    await node.ctx.auth.login({ username, password, address });
    return { status: 200, code: 'OK', detail: '' };
  } catch (error) {
    const e = error as AppError;
    return { status: e.status, code: e.code, detail: e.message };
  }
}

describe('sign-in throttling', () => {
  test('a stranger failing many times on admin does not lock the administrator out', async () => {
    for (let i = 0; i < 8; i++) {
      const reply = await attemptFrom(STRANGER, 'admin', `wrong-password-${i}`);
      assert.ok([401, 429].includes(reply.status), JSON.stringify(reply));
    }
    assert.equal(
      (await attemptFrom(STRANGER, 'admin', DEMO_PASSWORD)).status,
      429,
      'the stranger is locked out',
    );
    const own = await client(node.url).login('admin', DEMO_PASSWORD);
    assert.equal(own.status, 200, 'the administrator signs in from their own address');
  });

  test('an existing name, an unknown name and a disabled account answer alike, throttled or not', async () => {
    const address = '198.51.100.20';
    await node.ctx.users.addUser('test', {
      username: 'gone',
      password: 'gone-password-1',
      roles: ['AUDITOR'],
    });
    await node.ctx.users.setDisabled('test', 'gone', true);
    const first = [
      await attemptFrom(address, 'lawyer', 'not-the-password'),
      await attemptFrom(address, 'no-such-user-7', 'not-the-password'),
      await attemptFrom(address, 'gone', 'gone-password-1'),
    ];
    for (const reply of first) assert.deepEqual(reply, first[0], 'the first refusal is the same for each');
    assert.equal(first[0]!.status, 401);
    for (let i = 0; i < 6; i++) {
      await attemptFrom(address, 'lawyer', 'not-the-password');
      await attemptFrom(address, 'no-such-user-7', 'not-the-password');
    }
    const lawyer = await attemptFrom(address, 'lawyer', DEMO_PASSWORD);
    const unknown = await attemptFrom(address, 'no-such-user-7', DEMO_PASSWORD);
    assert.equal(lawyer.status, 429);
    assert.equal(lawyer.code, unknown.code);
    assert.equal(lawyer.status, unknown.status);
    assert.doesNotMatch(lawyer.detail, /account/i, 'a throttled answer does not speak of an account');
    assert.equal(lawyer.detail.replace(/\d+/g, 'N'), unknown.detail.replace(/\d+/g, 'N'));
  });

  test('the account row is never locked by failed sign-ins', async () => {
    const admin = (await node.ctx.users.list(500)).find((u) => u.username === 'admin');
    assert.ok(admin);
    assert.equal(admin.lockedUntil, null);
  });
});

describe('the throttle itself', () => {
  // On the node's database, under names of their own and a clock of their own (times near zero).
  test('failures on a name slow every address down, doubling up to a cap, and a success clears them', async () => {
    const t = createLoginThrottle({ maxFailures: 5, lockMs: 900_000 }, node.ctx.database.db);
    const delays: number[] = [];
    for (let i = 0; i < 12; i++) {
      delays.push(await t.delayMs('Unit-Admin', 1000));
      await t.failed(`192.0.2.${i}`, 'unit-admin', 1000);
    }
    assert.deepEqual(delays.slice(0, FREE_FAILURES + 1), [0, 0, 0, 0]);
    assert.equal(delays[FREE_FAILURES + 1], 250);
    assert.equal(delays[FREE_FAILURES + 2], 500);
    assert.equal(Math.max(...delays), MAX_DELAY_MS);
    assert.equal(
      await t.admit('192.0.2.200', 'unit-admin', 1000),
      0,
      'no address is locked by failures elsewhere',
    );
    await t.succeeded('192.0.2.200', 'unit-admin');
    assert.equal(await t.delayMs('unit-admin', 1000), 0);
  });

  test('an address is locked out of one name after the failures, not out of others, and not for ever', async () => {
    const t = createLoginThrottle({ maxFailures: 3, lockMs: 60_000 }, node.ctx.database.db);
    for (let i = 0; i < 3; i++) await t.failed('192.0.2.1', 'unit-duty', 0);
    assert.ok((await t.admit('192.0.2.1', 'unit-duty', 1)) > 0);
    assert.equal(await t.admit('192.0.2.1', 'unit-lawyer', 1), 0);
    assert.equal(await t.admit('192.0.2.2', 'unit-duty', 1), 0);
    assert.equal(await t.admit('192.0.2.1', 'unit-duty', 61_000), 0);
  });

  test('two throttles on one database (two replicas) count the same attempts', async () => {
    const settings = { maxFailures: 3, lockMs: 60_000 };
    const [a, b] = [
      createLoginThrottle(settings, node.ctx.database.db),
      createLoginThrottle(settings, node.ctx.database.db),
    ];
    await a!.failed('192.0.2.50', 'unit-shared', 0);
    await b!.failed('192.0.2.50', 'unit-shared', 0);
    assert.equal(await a!.admit('192.0.2.50', 'unit-shared', 1), 0);
    assert.equal(
      await b!.failed('192.0.2.50', 'unit-shared', 2),
      true,
      'the third failure, on the other one, locks',
    );
    assert.ok((await a!.admit('192.0.2.50', 'unit-shared', 3)) > 0);
  });
});
