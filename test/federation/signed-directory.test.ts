import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, test } from 'node:test';
import { ensureAuditState } from '../../src/audit/audit-log.ts';
import type { Jwk } from '../../src/crypto/node-keys.ts';
import { createDirectoryService } from '../../src/directory/directory-service.ts';
import { type PublisherKey, parsePublisherKeys } from '../../src/directory/publisher-keys.ts';
import { generatePublisherKey, signDirectory } from '../../src/directory/signed-directory.ts';
import { buildDemoDirectory } from '../../src/domain/directory/index.ts';
import type { Database } from '../../src/store/database.ts';
import { createTestDatabase } from '../helpers/test-database.ts';

// The directory's trust anchor: a node with publisher keys imports only a directory signed by one
// of them, in its validity, not revoked, not expired, and not older than the one in force.
let database: Database;
let publisher: { privateJwk: Jwk; anchor: PublisherKey };
let other: { privateJwk: Jwk; anchor: PublisherKey };
const now = new Date('2026-12-01T12:00:00Z');
const clock = { now: () => now };

before(async () => {
  database = await createTestDatabase();
  await database.migrate();
  await ensureAuditState(database.db);
  publisher = await generatePublisherKey(new Date('2026-01-01T00:00:00Z'));
  other = await generatePublisherKey(new Date('2026-01-01T00:00:00Z'));
});
after(() => database.close());

const service = (anchors: PublisherKey[] | null) =>
  createDirectoryService(database, clock, { publisherKeys: anchors });

function document(issuedAt: string, extra: Record<string, unknown> = {}) {
  return { ...buildDemoDirectory(), issuedAt, ...extra };
}

async function refused(promise: Promise<unknown>, code: string, message: RegExp) {
  await assert.rejects(promise, (error: { code?: string; status?: number; message: string }) => {
    assert.equal(error.code, code);
    assert.equal(error.status, 400);
    assert.match(error.message, message);
    return true;
  });
}

test('a directory signed by a trusted publisher key is imported, and says who signed it', async () => {
  const jws = await signDirectory(document('2026-11-01T00:00:00Z'), publisher.privateJwk);
  const result = await service([publisher.anchor]).importDocument('test', jws, 'test');
  assert.equal(result.unchanged, false);
  assert.equal(result.publisherKid, publisher.anchor.kid);
  // The API's JSON form { jws } is the same thing.
  const again = await service([publisher.anchor]).importDocument('test', { jws }, 'test');
  assert.equal(again.unchanged, true);
});

test('with a trust anchor, an unsigned directory is refused with a clear error', async () => {
  await refused(
    service([publisher.anchor]).importDocument('test', document('2026-11-02T00:00:00Z'), 'test'),
    'ERR_DIRECTORY_UNSIGNED',
    /accepts only a directory signed by its publisher.*directory sign/,
  );
});

test('a directory signed by an unknown key is refused', async () => {
  const jws = await signDirectory(document('2026-11-03T00:00:00Z'), other.privateJwk);
  await refused(
    service([publisher.anchor]).importDocument('test', jws, 'test'),
    'ERR_DIRECTORY_PUBLISHER_UNKNOWN',
    new RegExp(`signed by ${other.anchor.kid}.*not a publisher key this node trusts`),
  );
});

test('a publisher key past its validity, or revoked, is refused', async () => {
  const jws = await signDirectory(document('2026-11-04T00:00:00Z'), publisher.privateJwk);
  await refused(
    service([{ ...publisher.anchor, validUntil: '2026-11-30T00:00:00Z' }]).importDocument(
      'test',
      jws,
      'test',
    ),
    'ERR_DIRECTORY_PUBLISHER_EXPIRED',
    /expired on 2026-11-30/,
  );
  await refused(
    service([{ ...publisher.anchor, revokedAt: '2026-11-15T00:00:00Z' }]).importDocument('test', jws, 'test'),
    'ERR_DIRECTORY_PUBLISHER_REVOKED',
    /revoked on 2026-11-15/,
  );
  // A revocation dated later does not yet apply.
  const later = await service([{ ...publisher.anchor, revokedAt: '2027-01-01T00:00:00Z' }]).importDocument(
    'test',
    jws,
    'test',
  );
  assert.equal(later.unchanged, false);
});

test('an expired directory, a tampered signature and an older copy are refused', async () => {
  const expired = await signDirectory(
    document('2026-11-05T00:00:00Z', { validUntil: '2026-11-30T00:00:00Z' }),
    publisher.privateJwk,
  );
  await refused(
    service([publisher.anchor]).importDocument('test', expired, 'test'),
    'ERR_DIRECTORY_EXPIRED',
    /expired on 2026-11-30/,
  );
  const jws = await signDirectory(document('2026-11-06T00:00:00Z'), publisher.privateJwk);
  const [h, p, s] = jws.split('.') as [string, string, string];
  const forged = Buffer.from(p, 'base64url').toString('utf8').replace('"Viet Nam"', '"Viet Nam!"');
  await refused(
    service([publisher.anchor]).importDocument(
      'test',
      `${h}.${Buffer.from(forged).toString('base64url')}.${s}`,
      'test',
    ),
    'ERR_DIRECTORY_SIGNATURE',
    /signature is not valid/,
  );
  const older = await signDirectory(document('2026-10-01T00:00:00Z'), publisher.privateJwk);
  await refused(
    service([publisher.anchor]).importDocument('test', older, 'test'),
    'ERR_DIRECTORY_ROLLBACK',
    /issued on 2026-10-01.*before the one in force/,
  );
});

test('a signed directory where no trust anchor is configured is refused, not trusted blindly', async () => {
  const jws = await signDirectory(document('2026-11-07T00:00:00Z'), publisher.privateJwk);
  await refused(
    service(null).importDocument('test', jws, 'test'),
    'ERR_DIRECTORY_NO_TRUST_ANCHOR',
    /HANOI247_DIRECTORY_PUBLISHER_KEYS/,
  );
});

test('a newer signed directory is fetched from the configured URL; a bad answer is an error, not a change', async () => {
  let body = await signDirectory(document('2026-11-20T00:00:00Z'), publisher.privateJwk);
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/jose' });
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/directory.jws`;
    const directory = createDirectoryService(database, clock, { publisherKeys: [publisher.anchor], url });
    const fetched = await directory.refresh();
    assert.equal(fetched.unchanged, false);
    assert.equal((await directory.current()).document.issuedAt, '2026-11-20T00:00:00Z');
    assert.equal((await directory.refresh()).unchanged, true);
    body = await signDirectory(document('2026-11-21T00:00:00Z'), other.privateJwk);
    await assert.rejects(directory.refresh(), { code: 'ERR_DIRECTORY_PUBLISHER_UNKNOWN' });
    assert.equal((await directory.current()).document.issuedAt, '2026-11-20T00:00:00Z');
  } finally {
    await new Promise((r) => server.close(r));
  }
});

test('trust anchors are read as one JWK, a JWK set or entries with validity; a private key is refused', () => {
  const { anchor, privateJwk } = publisher;
  assert.equal(parsePublisherKeys(JSON.stringify(anchor.publicJwk))[0]!.kid, anchor.kid);
  assert.equal(parsePublisherKeys(JSON.stringify({ keys: [anchor] }))[0]!.validFrom, anchor.validFrom);
  assert.throws(() => parsePublisherKeys(JSON.stringify(privateJwk)), /private key/);
  assert.throws(() => parsePublisherKeys('{"kty":"RSA","kid":"x"}'), /Ed25519/);
  assert.throws(() => parsePublisherKeys('nope'), /not JSON/);
});
