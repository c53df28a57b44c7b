import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEMO_PASSWORD, DEMO_USERS } from '../../src/domain/demo-accounts.ts';
import { startTestNode } from '../helpers/test-node.ts';

// The desk's sign-in page shows the demo logins only when the node says it is a demo node.
test('a demo node lists its demo logins in /api/v1/node; a production node lists none', async () => {
  const demo = await startTestNode({ config: { demo: true } });
  try {
    const body = (await (await fetch(`${demo.url}/api/v1/node`)).json()) as Record<string, unknown>;
    assert.equal(body.demo, true);
    assert.deepEqual(body.demoLogins, {
      password: DEMO_PASSWORD,
      accounts: DEMO_USERS.map((u) => ({ username: u.username, roles: u.roles })),
    });
  } finally {
    await demo.close();
  }
  const production = await startTestNode();
  try {
    const body = (await (await fetch(`${production.url}/api/v1/node`)).json()) as Record<string, unknown>;
    assert.equal(body.demo, false);
    assert.equal('demoLogins' in body, false);
    assert.doesNotMatch(JSON.stringify(body), new RegExp(DEMO_PASSWORD));
  } finally {
    await production.close();
  }
});
