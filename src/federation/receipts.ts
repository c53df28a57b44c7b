// A delivery receipt: the receiver signs that it received this message id with this payload hash
// at this time. The sender keeps it as proof and checks it names what it sent.
import { type Jwk, SignatureError, verifyJson } from '../crypto/node-keys.ts';
import { type BatchReceipt, batchReceiptProblem } from '../domain/federation/index.ts';

export type Receipt = {
  type: 'receipt';
  messageId: string;
  payloadSha256: string;
  receivedAt: string;
  sender: string;
  receiver: string;
  /**
   * The receiver's latest cosigned checkpoint of the sender's audit log (a C2SP note), so that every
   * exchange witnesses the sender's log. Absent from older nodes, and ignored by them.
   */
  senderCheckpoint?: string;
};

export class ReceiptError extends Error {
  readonly code = 'ERR_PEER_RECEIPT';
}

/** The claims of a receipt whose signature one of the receiver's keys verifies. */
async function signedReceipt(jws: unknown, receiverKeys: readonly Jwk[]): Promise<unknown> {
  if (typeof jws !== 'string') throw new ReceiptError('the answer carries no receipt');
  try {
    return await verifyJson(jws, receiverKeys);
  } catch (error) {
    if (error instanceof SignatureError)
      throw new ReceiptError(`the receipt signature is not valid: ${error.message}`);
    throw error;
  }
}

/** Verifies a receipt with the receiver's keys and that it names the message as sent. */
export async function verifyReceipt(
  jws: unknown,
  receiverKeys: readonly Jwk[],
  expected: { messageId: string; payloadSha256: string; sender: string; receiver: string },
): Promise<Receipt> {
  const receipt = (await signedReceipt(jws, receiverKeys)) as Receipt;
  for (const key of ['messageId', 'payloadSha256', 'sender', 'receiver'] as const) {
    if (receipt?.[key] !== expected[key])
      throw new ReceiptError(`the receipt names ${key} ${String(receipt?.[key])}, expected ${expected[key]}`);
  }
  return receipt;
}

/** Verifies a batch receipt with the receiver's keys and that it names, in order, each message as sent. */
export async function verifyBatchReceipt(
  jws: unknown,
  receiverKeys: readonly Jwk[],
  expected: Parameters<typeof batchReceiptProblem>[1],
): Promise<BatchReceipt> {
  const receipt = (await signedReceipt(jws, receiverKeys)) as BatchReceipt;
  const problem = batchReceiptProblem(receipt, expected);
  if (problem) throw new ReceiptError(problem);
  return receipt;
}
