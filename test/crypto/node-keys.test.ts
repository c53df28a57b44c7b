import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decryptPrivateKeys,
  encryptPrivateKeys,
  generateNodeKeys,
  SignatureError,
  signJson,
  verifyJson,
  WrongKeySecretError,
} from '../../src/crypto/node-keys.ts';

describe('node keys', () => {
  it('makes Ed25519 and X25519 keys whose ids are their thumbprints', async () => {
    const keys = await generateNodeKeys();
    assert.equal(keys.signing.publicJwk.crv, 'Ed25519');
    assert.equal(keys.encryption.publicJwk.crv, 'X25519');
    assert.equal(keys.signing.publicJwk.d, undefined, 'public JWK must not carry the private part');
    assert.match(keys.signing.kid, /^[A-Za-z0-9_-]{43}$/);
    assert.notEqual(keys.signing.kid, keys.encryption.kid);
  });

  it('seals private keys under a secret and refuses the wrong secret', async () => {
    const keys = await generateNodeKeys();
    const file = await encryptPrivateKeys(keys, 'correct horse battery');
    assert.ok(
      !JSON.stringify(file).includes(keys.signing.privateJwk.d!),
      'the private key must not appear in clear',
    );
    assert.deepEqual(await decryptPrivateKeys(file, 'correct horse battery'), keys);
    await assert.rejects(decryptPrivateKeys(file, 'wrong horse battery'), WrongKeySecretError);
  });

  it('signs JSON that verifies with the public key, and rejects tampering and unknown signers', async () => {
    const keys = await generateNodeKeys();
    const other = await generateNodeKeys();
    const jws = await signJson({ treeSize: 3, rootHash: 'ab' }, keys.signing.privateJwk);
    assert.deepEqual(await verifyJson(jws, [other.signing.publicJwk, keys.signing.publicJwk]), {
      treeSize: 3,
      rootHash: 'ab',
    });
    await assert.rejects(verifyJson(jws, [other.signing.publicJwk]), SignatureError);
    const [h, p, s] = jws.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ treeSize: 4, rootHash: 'ab' })).toString('base64url')}.${s}`;
    assert.ok(p);
    await assert.rejects(verifyJson(forged, [keys.signing.publicJwk]), SignatureError);
    await assert.rejects(verifyJson('not a jws', [keys.signing.publicJwk]), SignatureError);
  });
});
