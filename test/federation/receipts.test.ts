import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateNodeKeys, signJson } from '../../src/crypto/node-keys.ts';
import { ReceiptError, verifyBatchReceipt, verifyReceipt } from '../../src/federation/receipts.ts';

// A receipt proves delivery only when the receiver's key signed it and it names what was sent.
const receiver = await generateNodeKeys();
const other = await generateNodeKeys();
const sent = { messageId: '0193f6c2-0000-7000-8000-000000000001', payloadSha256: 'a'.repeat(64) };
const single = {
  type: 'receipt',
  ...sent,
  receivedAt: '2027-01-05T10:00:00.000Z',
  sender: 'VN',
  receiver: 'FR',
};
const batch = {
  type: 'batch_receipt',
  batchId: 'b-1',
  receivedAt: '2027-01-05T10:00:00.000Z',
  sender: 'VN',
  receiver: 'FR',
  messages: [{ ...sent, outcome: 'accepted' }],
};
const keys = [receiver.signing.publicJwk];

test('a receipt signed by the receiver that names the message is accepted', async () => {
  const jws = await signJson(single, receiver.signing.privateJwk);
  assert.equal(
    (await verifyReceipt(jws, keys, { ...sent, sender: 'VN', receiver: 'FR' })).messageId,
    sent.messageId,
  );
  const batchJws = await signJson(batch, receiver.signing.privateJwk);
  const checked = await verifyBatchReceipt(batchJws, keys, {
    batchId: 'b-1',
    sender: 'VN',
    receiver: 'FR',
    messages: [sent],
  });
  assert.equal(checked.messages.length, 1);
});

test('a receipt signed by another key, missing, or naming another hash is refused', async () => {
  const forged = await signJson(single, other.signing.privateJwk);
  await assert.rejects(
    verifyReceipt(forged, keys, { ...sent, sender: 'VN', receiver: 'FR' }),
    (error: unknown) => error instanceof ReceiptError && /receipt signature is not valid/.test(error.message),
  );
  await assert.rejects(
    verifyReceipt(undefined, keys, { ...sent, sender: 'VN', receiver: 'FR' }),
    /carries no receipt/,
  );
  const jws = await signJson(single, receiver.signing.privateJwk);
  await assert.rejects(
    verifyReceipt(jws, keys, { ...sent, payloadSha256: 'b'.repeat(64), sender: 'VN', receiver: 'FR' }),
    /names payloadSha256/,
  );
  const forgedBatch = await signJson(batch, other.signing.privateJwk);
  await assert.rejects(
    verifyBatchReceipt(forgedBatch, keys, { batchId: 'b-1', sender: 'VN', receiver: 'FR', messages: [sent] }),
    (error: unknown) => error instanceof ReceiptError && /receipt signature is not valid/.test(error.message),
  );
});
