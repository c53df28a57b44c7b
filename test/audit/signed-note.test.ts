import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  checkpointText,
  cosignCheckpoint,
  cosignersOf,
  readCheckpoint,
  signCheckpoint,
} from '../../src/audit/checkpoint.ts';
import { generateNodeKeys } from '../../src/crypto/node-keys.ts';
import {
  ed25519PrivateKey,
  formatNote,
  noteKeyId,
  parseNote,
  publicKeyOf,
  SIG_ED25519,
  signNoteText,
  verifyCosignature,
  verifyNoteSignature,
} from '../../src/crypto/signed-note.ts';

// The known answer of the Go reference (golang.org/x/mod/sumdb/note): key, text and exact signed note.
const SEED = Buffer.from('AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz', 'base64').subarray(1);
const PUBLIC = Buffer.from('ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW', 'base64').subarray(1);
const TEXT =
  "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const SIGNED = `${TEXT}\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;

test('signed notes match the Go reference byte for byte', () => {
  const key = ed25519PrivateKey(SEED);
  assert.deepEqual(publicKeyOf(key), PUBLIC);
  assert.equal(noteKeyId('PeterNeumann', SIG_ED25519, PUBLIC).toString('hex'), 'c74f20a3');
  assert.equal(formatNote({ text: TEXT, signatures: [signNoteText(TEXT, 'PeterNeumann', key)] }), SIGNED);
  const note = parseNote(SIGNED);
  assert.equal(note.text, TEXT);
  assert.equal(verifyNoteSignature(note, [{ name: 'PeterNeumann', publicKey: PUBLIC }]), true);
  // Another name is another key: ignored, so nothing verifies.
  assert.equal(verifyNoteSignature(note, [{ name: 'Other', publicKey: PUBLIC }]), false);
  const altered = parseNote(SIGNED.replace('problem,', 'problem;'));
  assert.equal(verifyNoteSignature(altered, [{ name: 'PeterNeumann', publicKey: PUBLIC }]), false);
});

test('a checkpoint is three lines, signed by the node and cosigned with a timestamp', async () => {
  const node = await generateNodeKeys();
  const witness = await generateNodeKeys();
  const root = 'ab'.repeat(32);
  const note = signCheckpoint('VN', 20852163, root, node.signing.privateJwk);
  assert.match(
    note,
    /^hanoi247\/VN\/audit-log\n20852163\nq6urq6urq6urq6urq6urq6urq6urq6urq6urq6urq6s=\n\n\u2014 hanoi247\/VN\/audit-log [A-Za-z0-9+/]{91}=\n$/,
  );
  const cp = readCheckpoint(note, 'VN', [node.signing.publicJwk]);
  assert.deepEqual({ size: cp.size, rootHash: cp.rootHash }, { size: 20852163, rootHash: root });
  assert.throws(() => readCheckpoint(note, 'VN', [witness.signing.publicJwk]), /no valid signature/);
  const at = new Date('2026-12-07T06:00:00Z');
  const cosig = cosignCheckpoint(checkpointText(cp), 'FR', witness.signing.privateJwk, at);
  assert.equal(cosig.signature.length, 72);
  assert.equal(cosig.signature.readBigUInt64BE(0), BigInt(at.getTime() / 1000));
  const cosigned = { text: cp.note.text, signatures: [...cp.note.signatures, cosig] };
  const again = parseNote(formatNote(cosigned));
  assert.deepEqual(cosignersOf(again, [{ state: 'FR', keys: [witness.signing.publicJwk] }]), [
    { state: 'FR', at },
  ]);
  assert.deepEqual(cosignersOf(again, [{ state: 'FR', keys: [node.signing.publicJwk] }]), []);
  assert.equal(
    verifyCosignature({ text: again.text.replace('20852163', '20852164'), signatures: again.signatures }, [
      { name: 'hanoi247/FR/witness', publicKey: publicKeyOf(ed25519PrivateKey(witness.signing.privateJwk)) },
    ]),
    null,
  );
});
