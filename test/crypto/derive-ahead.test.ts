import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ensureAuditState } from '../../src/audit/audit-log.ts';
import {
  decryptPrivateKeys,
  derivationsAhead,
  deriveAhead,
  encryptPrivateKeys,
  generateNodeKeys,
  WrongKeySecretError,
} from '../../src/crypto/node-keys.ts';
import { readKdfHint, unlockAhead, writeKdfHint } from '../../src/node-identity/kdf-hint.ts';
import { createKeySet, loadKeyring } from '../../src/node-identity/keyring.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { createTestDatabase } from '../helpers/test-database.ts';

// A restart derives the key of its key files while its database boots, from the salts noted beside
// it at the last start (src/node-identity/kdf-hint.ts): the derivation is taken by the key file it
// belongs to, and never opens a key file with another secret.
const SECRET = 'derive-ahead-test-secret';

test('a derivation started ahead is taken by its key file, once', async () => {
  const keys = await generateNodeKeys();
  const file = await encryptPrivateKeys(keys, SECRET);
  deriveAhead(SECRET, file.kdf);
  deriveAhead(SECRET, file.kdf);
  assert.equal(derivationsAhead(), 1, 'the same derivation is not started twice');
  assert.deepEqual(await decryptPrivateKeys(file, SECRET), keys);
  assert.equal(derivationsAhead(), 0, 'taken');
  assert.deepEqual(await decryptPrivateKeys(file, SECRET), keys, 'derived again without one');
});

test('a derivation ahead with another secret neither opens the file nor is taken', async () => {
  const file = await encryptPrivateKeys(await generateNodeKeys(), SECRET);
  deriveAhead('another-secret-entirely', file.kdf);
  await assert.rejects(decryptPrivateKeys(file, 'a-wrong-secret-here'), WrongKeySecretError);
  await assert.rejects(decryptPrivateKeys(file, 'another-secret-entirely'), WrongKeySecretError, 'taken');
  assert.equal(derivationsAhead(), 0);
});

test('the keyring notes the salts it unlocked, and the next start derives them ahead', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'h247-kdf-hint-'));
  const database = await createTestDatabase();
  try {
    await ensureAuditState(database.db);
    await createKeySet(database.db, SECRET, systemClock, 'test');
    const keyring = await loadKeyring(database, SECRET, systemClock, dir);
    const hint = readKdfHint(dir);
    assert.equal(hint.length, 1);
    const text = readFileSync(join(dir, 'key-kdf.json'), 'utf8');
    assert.doesNotMatch(text, /ciphertext|iv|tag|"d"/, 'salts and parameters only');
    unlockAhead(dir, SECRET);
    assert.equal(derivationsAhead(), 1);
    const again = await loadKeyring(database, SECRET, systemClock, dir);
    assert.equal(derivationsAhead(), 0, 'the unlocking took the derivation started ahead');
    assert.equal(again.signingKid, keyring.signingKid);
    unlockAhead(dir, null);
    assert.equal(derivationsAhead(), 0, 'nothing without a secret');
  } finally {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a hint that is missing, broken or asks for other parameters derives nothing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'h247-kdf-hint-'));
  try {
    assert.deepEqual(readKdfHint(dir), []);
    writeFileSync(join(dir, 'key-kdf.json'), '{not json');
    assert.deepEqual(readKdfHint(dir), []);
    const good = { name: 'scrypt', salt: 'AAAAAAAAAAAAAAAAAAAAAA', N: 2 ** 15, r: 8, p: 1 } as const;
    writeKdfHint(dir, [good]);
    assert.deepEqual(readKdfHint(dir), [good]);
    writeFileSync(
      join(dir, 'key-kdf.json'),
      JSON.stringify([
        { ...good, N: 2 ** 30 },
        { ...good, name: 'x' },
      ]),
    );
    assert.deepEqual(readKdfHint(dir), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
