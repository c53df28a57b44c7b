import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import Fastify from 'fastify';
import { registerAccessControl } from '../../src/api/plugins/access-control.ts';
import { ROLES, type Role } from '../../src/domain/codes.ts';
import { client } from '../helpers/http-client.ts';
import { startTestNode, type TestNode } from '../helpers/test-node.ts';

// Walks every route the node registers × every role (and no credentials at all), and proves that
// exactly the declared roles get past access control: the others get 401 (anonymous) or 403.
let node: TestNode;
const tokens = new Map<Role, string>();

before(async () => {
  node = await startTestNode();
  await node.ctx.users.addUser('test', {
    username: 'matrix-target',
    password: 'matrix-password-1',
    roles: ['INVESTIGATOR'],
  });
  for (const role of ROLES) {
    const { user } = await node.ctx.users.addUser('test', {
      username: `matrix-${role.toLowerCase().replaceAll('_', '-')}`,
      password: 'matrix-password-1',
      roles: [role],
    });
    tokens.set(
      role,
      (await node.ctx.auth.createToken(user.id, { name: 'matrix', scopes: [role], ttlDays: 1 })).token,
    );
  }
});
after(() => node.close());

const PARAMS: Record<string, string> = {
  username: 'matrix-target',
  code: 'VN',
  id: '00000000-0000-7000-8000-000000000000',
};

function concretePath(url: string): string {
  return url.replace(/:(\w+)/g, (_m, name: string) => PARAMS[name] ?? 'x');
}

test('every route declares its access, and the matrix holds for every role', async () => {
  const routes = node.app.routeTable.filter((r) => !r.url.startsWith('/docs') && r.method !== 'OPTIONS');
  assert.ok(routes.length >= 15, `expected the whole API, found ${routes.length} routes`);
  const failures: string[] = [];
  for (const route of routes) {
    const path = concretePath(route.url);
    const body = route.method === 'GET' || route.method === 'DELETE' ? undefined : {};
    const anonymous = await client(node.url).call(route.method, path, body);
    if (route.access === 'public') {
      if ([401, 403].includes(anonymous.status))
        failures.push(`${route.method} ${route.url} is public but answered ${anonymous.status}`);
      continue;
    }
    if (anonymous.status !== 401)
      failures.push(`${route.method} ${route.url} anonymous: expected 401, got ${anonymous.status}`);
    for (const role of ROLES) {
      const api = client(node.url);
      api.setToken(tokens.get(role)!);
      const reply = await api.call(route.method, path, body);
      const allowed = route.access === 'authenticated' || route.access.includes(role);
      if (allowed && [401, 403].includes(reply.status)) {
        failures.push(
          `${route.method} ${route.url} ${role}: allowed but got ${reply.status} ${reply.body?.code}`,
        );
      }
      if (!allowed && reply.status !== 403)
        failures.push(`${route.method} ${route.url} ${role}: expected 403, got ${reply.status}`);
      if (reply.status >= 500)
        failures.push(`${route.method} ${route.url} ${role}: server error ${reply.status}`);
    }
  }
  assert.deepEqual(failures, []);
});

test('a route without a declared access refuses to register', async () => {
  const app = Fastify();
  registerAccessControl(app, node.ctx.auth, []);
  app.get('/declared', { config: { access: 'public' } }, async () => 'ok');
  assert.throws(() => app.get('/api/v1/forgotten', async () => 'open?'), /declares no access/);
  await app.close();
});
