import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { webRoutes } from '../../src/api/routes/web/web-routes.ts';
import type { NodeContext } from '../../src/context.ts';

// The static route on its own, over a built-looking folder; the served node uses dist/web.
let root: string;
let app: FastifyInstance;

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'h247-web-'));
  await mkdir(join(root, 'assets'));
  await writeFile(join(root, 'index.html'), '<!doctype html><title>desk</title>');
  await writeFile(join(root, 'assets', 'index-abc123.js'), 'console.log(1)');
  await writeFile(join(tmpdir(), 'h247-outside.txt'), 'secret');
  app = Fastify();
  app.setNotFoundHandler((_request, reply) => reply.status(404).send({ code: 'ERR_NO_ROUTE' }));
  webRoutes(app, {} as NodeContext, root);
  await app.ready();
});
after(async () => {
  await app.close();
  await rm(root, { recursive: true, force: true });
});

test('the desk is served at / and at every page path, with a strict content policy', async () => {
  for (const url of ['/', '/desk', '/requests/01890000-0000-7000-8000-000000000001?created=1']) {
    const reply = await app.inject({ method: 'GET', url });
    assert.equal(reply.statusCode, 200, url);
    assert.match(reply.headers['content-type'] as string, /^text\/html/);
    assert.match(reply.body, /<title>desk<\/title>/);
    assert.match(reply.headers['content-security-policy'] as string, /script-src 'self'/);
  }
});

test('hashed assets are served with their type and kept for good', async () => {
  const reply = await app.inject({ method: 'GET', url: '/assets/index-abc123.js' });
  assert.equal(reply.statusCode, 200);
  assert.match(reply.headers['content-type'] as string, /^text\/javascript/);
  assert.match(reply.headers['cache-control'] as string, /immutable/);
  assert.equal(reply.headers['x-web-cache'], undefined);
});

test('API paths, missing files and paths outside the folder are not the desk', async () => {
  for (const url of [
    '/api/v1/nothing-here',
    '/taxii2/unknown',
    '/assets/missing.js',
    '/..%2fh247-outside.txt',
    '/assets/..%2f..%2fh247-outside.txt',
    '/%E0%A4%A',
  ]) {
    const reply = await app.inject({ method: 'GET', url });
    assert.ok([400, 404].includes(reply.statusCode), `${url}: ${reply.statusCode}`);
    assert.doesNotMatch(reply.body, /<title>desk/);
    assert.doesNotMatch(reply.body, /secret/);
  }
});

test('a node whose desk is not built says how to build it', async () => {
  const bare = Fastify();
  webRoutes(bare, {} as NodeContext, join(root, 'not-built'));
  const reply = await bare.inject({ method: 'GET', url: '/desk' });
  assert.equal(reply.statusCode, 404);
  assert.equal(reply.json().code, 'ERR_WEB_NOT_BUILT');
  assert.match(reply.json().detail, /npm run build:web/);
  await bare.close();
});
