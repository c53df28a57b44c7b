import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { and, eq, sql } from 'drizzle-orm';
import { type Jwk, signJson } from '../../src/crypto/node-keys.ts';
import { buildDemoDirectory, type DirectoryDocument } from '../../src/domain/directory/index.ts';
import { sealMessage } from '../../src/federation/envelope.ts';
import { listKeySets, revokeKeySet, rotateKeySet } from '../../src/node-identity/keyring.ts';
import { auditEntries } from '../../src/store/schema/index.ts';
import { TEST_KEY_SECRET } from '../helpers/test-node.ts';
import { type NetNode, shiftedClock, startNetNode } from './federation-network.ts';
import { pingHeader } from './message-fixtures.ts';

// VN rotates its keys: for the overlap period FR still accepts what VN signed with the old key
// (and VN still opens what FR encrypted to its old key); once the old key is revoked, or its
// overlap is over, FR refuses it.
let vn: NetNode;
let fr: NetNode;
// One clock for both: a key is valid from the moment its node made it, on that node's clock.
const frClock = shiftedClock();
const DAY = 86_400_000;

before(async () => {
  [vn, fr] = await Promise.all([
    startNetNode({ state: 'VN', clock: frClock }),
    startNetNode({ state: 'FR', clock: frClock }),
  ]);
  await publish();
});
after(async () => {
  await Promise.all([vn?.destroy(), fr?.destroy()]);
});

/** What a directory publisher does after a rotation: lists each node with every key and its validity. */
async function publish(): Promise<void> {
  const document: DirectoryDocument = buildDemoDirectory();
  for (const node of [vn, fr]) {
    const point = document.parties
      .find((p) => p.code === node.state)!
      .authorities.find((a) => a.kind === 'POINT_24_7')!;
    point.node = { url: node.url, ...node.ctx.keyring.directoryKeys() };
  }
  for (const node of [vn, fr]) await node.ctx.directory.importDocument('test', document, 'test');
}

/** Restarts VN on its database after a change to its keys (a node loads them at start). */
async function restartVn(change: () => Promise<unknown>): Promise<void> {
  await vn.stop();
  await change();
  vn = await vn.restart();
  await publish();
}

async function post(to: NetNode, from: string, signingKey: Jwk, encryptionKey: Jwk) {
  const now = to.ctx.clock.now();
  const header = pingHeader(now, { from, to: to.state });

  const { jwe } = await sealMessage(
    { header, body: {} },
    (p, h) => signJson(p, signingKey, h),
    encryptionKey,
  );
  const response = await fetch(`${to.url}/federation/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/jose' },
    body: jwe,
  });
  return { status: response.status, body: await response.json(), id: header.id };
}

test('after a rotation the old key is accepted during the overlap, and refused once revoked', async () => {
  const old = vn.ctx.keyring.privateKeys();
  const oldFrEncryption = fr.ctx.keyring.publicKeys().encryption;
  // Rotation uses the test node's clock (2027-01-05): the old key set stays valid for 7 days.
  await restartVn(() => rotateKeySet(vn.database.db, TEST_KEY_SECRET, vn.ctx.clock, 'test', 7 * DAY));
  const current = vn.ctx.keyring.privateKeys();
  assert.notEqual(current.signing.kid, old.signing.kid, 'a new key set signs');
  const listed = await listKeySets(vn.database, vn.ctx.clock.now());
  assert.deepEqual(
    listed.map((k) => k.status),
    ['active', 'overlap'],
  );
  const frEnc = fr.ctx.keyring.publicKeys().encryption;
  const withOld = await post(fr, 'VN', old.signing.privateJwk, frEnc);
  assert.equal(withOld.status, 200, `old key during the overlap: ${JSON.stringify(withOld.body)}`);
  const withNew = await post(fr, 'VN', current.signing.privateJwk, frEnc);
  assert.equal(withNew.status, 200, JSON.stringify(withNew.body));
  // FR's directory may still name VN's old encryption key: VN opens it during the overlap.
  const toOld = await post(
    vn,
    'FR',
    fr.ctx.keyring.privateKeys().signing.privateJwk,
    old.encryption.publicJwk,
  );
  assert.equal(toOld.status, 200, `encrypted to VN's old key: ${JSON.stringify(toOld.body)}`);
  assert.equal(oldFrEncryption.kid, frEnc.kid);

  // Past the overlap (FR's clock 8 days later), the old key is no longer valid.
  frClock.offsetMs += 8 * DAY;
  try {
    const late = await post(fr, 'VN', old.signing.privateJwk, frEnc);
    assert.equal(late.status, 401, JSON.stringify(late.body));
    assert.equal(late.body.code, 'ERR_PEER_SIGNATURE');
    assert.match(late.body.detail, new RegExp(`unknown key \\(${old.signing.kid}\\)`));
  } finally {
    frClock.offsetMs -= 8 * DAY;
  }

  // Revoked (a compromise): refused at once, though the overlap has not ended.
  await restartVn(() => revokeKeySet(vn.database.db, old.signing.kid, vn.ctx.clock, 'test'));
  assert.deepEqual(
    (await listKeySets(vn.database, vn.ctx.clock.now())).map((k) => k.status),
    ['active', 'revoked'],
  );
  const countedBefore = fr.ctx.federation.inbox.countedRefusals();
  const revoked = await post(fr, 'VN', old.signing.privateJwk, frEnc);
  assert.equal(revoked.status, 401, JSON.stringify(revoked.body));
  assert.equal(revoked.body.code, 'ERR_PEER_SIGNATURE');
  const audited = await fr.database.db
    .select({ n: sql<number>`count(*)` })
    .from(auditEntries)
    .where(and(eq(auditEntries.action, 'federation.refuse'), eq(auditEntries.objectId, revoked.id)));
  // An unproven sender's refusals are audited one a minute per address, the rest counted for a summary.
  const counted = fr.ctx.federation.inbox.countedRefusals() - countedBefore;
  assert.equal(Number(audited[0]!.n) + counted, 1, 'the refusal is audited or counted for the summary');
  assert.equal(
    (await post(fr, 'VN', current.signing.privateJwk, frEnc)).status,
    200,
    'the new key still works',
  );
  // VN no longer opens what is encrypted to the revoked key.
  const toRevoked = await post(
    vn,
    'FR',
    fr.ctx.keyring.privateKeys().signing.privateJwk,
    old.encryption.publicJwk,
  );
  assert.equal(toRevoked.status, 400, JSON.stringify(toRevoked.body));
  assert.equal(toRevoked.body.code, 'ERR_PEER_RECIPIENT');
});

test('the last usable key set cannot be revoked; revoking twice is a conflict', async () => {
  const sets = await listKeySets(vn.database, vn.ctx.clock.now());
  const active = sets.find((s) => s.status === 'active')!;
  const revoked = sets.find((s) => s.status === 'revoked')!;
  await assert.rejects(revokeKeySet(vn.database.db, active.kid, vn.ctx.clock, 'test'), {
    code: 'ERR_LAST_KEY',
  });
  await assert.rejects(revokeKeySet(vn.database.db, revoked.kid, vn.ctx.clock, 'test'), {
    code: 'ERR_KEY_REVOKED',
  });
});

test('a rotation with a delayed activation signs with the current key until then, then switches without a restart', async () => {
  const current = vn.ctx.keyring.signingKid;
  await restartVn(() => rotateKeySet(vn.database.db, TEST_KEY_SECRET, vn.ctx.clock, 'test', 7 * DAY, DAY));
  const [pending] = await listKeySets(vn.database, vn.ctx.clock.now());
  assert.equal(pending!.status, 'pending');
  assert.equal(vn.ctx.keyring.signingKid, current, 'the current key signs until the activation');
  frClock.offsetMs += DAY + 60_000;
  try {
    assert.equal(vn.ctx.keyring.signingKid, pending!.kid, 'the new key signs from its activation');
    const reply = await post(
      fr,
      'VN',
      vn.ctx.keyring.privateKeys().signing.privateJwk,
      fr.ctx.keyring.publicKeys().encryption,
    );
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
  } finally {
    frClock.offsetMs -= DAY + 60_000;
  }
});
