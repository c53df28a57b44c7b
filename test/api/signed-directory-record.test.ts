import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { compactVerify, importJWK } from 'jose';
import { parseConfig } from '../../src/config.ts';
import type { Jwk } from '../../src/crypto/node-keys.ts';
import type { PublisherKey } from '../../src/directory/publisher-keys.ts';
import { generatePublisherKey, signDirectory } from '../../src/directory/signed-directory.ts';
import type { Role } from '../../src/domain/codes.ts';
import { buildDemoDirectory } from '../../src/domain/directory/index.ts';
import { type RunningNode, startNode } from '../../src/main.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { client } from '../helpers/http-client.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import { TEST_KEY_SECRET } from '../helpers/test-node.ts';

// The signed directory is kept as received, with its publisher key, whether it came from the
// configured URL or was imported: an auditor reads back exactly which signed document the node used,
// and can verify it with the publisher's key alone.
let node: RunningNode;
let closeDatabase: () => Promise<void>;
let publisher: { privateJwk: Jwk; anchor: PublisherKey };
let published: string;
let publishedServer: Server;

const signed = (issuedAt: string) =>
  signDirectory(
    { ...buildDemoDirectory(), issuedAt, validUntil: '2099-01-01T00:00:00Z' },
    publisher.privateJwk,
  );

before(async () => {
  publisher = await generatePublisherKey(new Date('2026-01-01T00:00:00Z'));
  published = await signed('2026-11-20T00:00:00Z');
  publishedServer = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/jose' });
    res.end(`${published}\n`);
  });
  await new Promise<void>((resolve) => publishedServer.listen(0, '127.0.0.1', resolve));
  const database = await createTestDatabase();
  closeDatabase = () => database.close();
  const config = parseConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    HANOI247_KEY_SECRET: TEST_KEY_SECRET,
    HANOI247_LOG_LEVEL: 'silent',
    HANOI247_DIRECTORY_PUBLISHER_KEYS: JSON.stringify({ keys: [publisher.anchor] }),
    HANOI247_DIRECTORY_URL: `http://127.0.0.1:${(publishedServer.address() as AddressInfo).port}/directory.jws`,
  });
  node = await startNode(config, {
    database,
    logger: createLogger('silent'),
    createKeysIfMissing: true,
  });
});
after(async () => {
  await node?.close();
  await closeDatabase?.();
  await new Promise((resolve) => publishedServer?.close(resolve));
});

async function as(role: Role) {
  const username = `signed-${role.toLowerCase().replaceAll('_', '-')}`;
  const { user } = await node.ctx.users.addUser('test', {
    username,
    password: 'signed-dir-pw-1',
    roles: [role],
  });
  const { token } = await node.ctx.auth.createToken(user.id, { name: 't', scopes: [role], ttlDays: 1 });
  const api = client(node.url);
  api.setToken(token);
  return api;
}

test('the signed directory fetched from the URL and one imported by API are kept as received', async () => {
  const admin = await as('ADMIN');
  const auditor = await as('AUDITOR');
  // The node fetches the published directory at start; the administrator can ask again at once.
  const fetched = await admin.call('POST', '/api/v1/federation/directory-refresh', {});
  assert.equal(fetched.status, 200, fetched.text);
  assert.equal(fetched.body.publisherKid, publisher.anchor.kid);
  const first = await auditor.get('/api/v1/directory/signed');
  assert.equal(first.status, 200, first.text);
  assert.equal(first.body.jws, published, 'the JWS as received (without the trailing newline)');
  assert.equal(first.body.publisherKid, publisher.anchor.kid);
  assert.deepEqual(first.body.publisherJwk, publisher.anchor.publicJwk);
  assert.equal(first.body.issuedAt, '2026-11-20T00:00:00Z');
  assert.equal(first.body.validUntil, '2099-01-01T00:00:00Z');
  assert.match(first.body.source, /^url:http:\/\/127\.0\.0\.1:\d+\/directory\.jws$/);

  // A newer one imported by the administrator becomes the version in force, the first one stays readable.
  const newer = await signed('2026-11-25T00:00:00Z');
  const imported = await admin.call('PUT', '/api/v1/directory', { jws: newer });
  assert.equal(imported.status, 200, imported.text);
  const current = await auditor.get('/api/v1/directory/signed');
  assert.equal(current.body.version, imported.body.version);
  assert.equal(current.body.jws, newer);
  assert.equal(current.body.source, 'api');
  const earlier = await auditor.get(`/api/v1/directory/signed?version=${first.body.version}`);
  assert.equal(earlier.body.jws, published);

  // The auditor needs nothing from the node to check it: the publisher key verifies the JWS, and
  // its payload is the directory the node serves.
  const key = await importJWK(current.body.publisherJwk as Jwk, 'EdDSA');
  const { payload } = await compactVerify(current.body.jws as string, key);
  const served = await auditor.get('/api/v1/directory');
  assert.deepEqual(JSON.parse(new TextDecoder().decode(payload)), served.body.document);
  assert.equal(served.body.version, current.body.version);

  // Read-only, for administrators and auditors; an unknown version is a 404, a bad one a 400.
  assert.equal((await (await as('DUTY_OFFICER')).get('/api/v1/directory/signed')).status, 403);
  const missing = await auditor.get('/api/v1/directory/signed?version=999');
  assert.equal(missing.status, 404);
  const bad = await auditor.get('/api/v1/directory/signed?version=first');
  assert.equal(bad.status, 400);
  assert.equal(bad.body.code, 'ERR_VALIDATION');
});
