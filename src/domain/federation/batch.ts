// Batch delivery: several messages for one peer travel in one encrypted envelope, each keeping its
// own signature (the signed message is the evidence, whatever carried it). The receiver judges each
// message alone: one bad message is refused by itself, the others are accepted, and one signed
// receipt names every message with the hash of what arrived and its outcome.

/** The most messages one batch may carry: a receiver refuses a larger batch whole. */
export const MAX_BATCH_MESSAGES = 1000;

/** What became of one message of a batch: applied now, received before (not applied again), or refused. */
export type BatchOutcome =
  | { messageId: string | null; payloadSha256: string; outcome: 'accepted' | 'duplicate' }
  | {
      messageId: string | null;
      payloadSha256: string;
      outcome: 'refused';
      code: string;
      status: number;
      detail: string;
    };

/** The receipt of a batch, signed by the receiver; its outcomes are in the order of the batch. */
export type BatchReceipt = {
  type: 'batch_receipt';
  batchId: string;
  receivedAt: string;
  sender: string;
  receiver: string;
  messages: BatchOutcome[];
  /** The receiver's latest cosigned checkpoint of the sender's audit log (a C2SP note); absent from older nodes. */
  senderCheckpoint?: string;
};

/** The route of a batch, repeated in its envelope header (authenticated by the encryption, not signed). */
export type BatchRoute = { batch: string; from: string; to: string; count: number };

/** Why a signed message may not travel in this batch, or null: it must be from and to the batch's nodes. */
export function batchMemberProblem(header: { from: string; to: string }, route: BatchRoute): string | null {
  if (header.from !== route.from)
    return `the message is signed as from ${header.from}, in a batch from ${route.from}`;
  if (header.to !== route.to) return `the message is for ${header.to}, in a batch for ${route.to}`;
  return null;
}

/**
 * Why a batch receipt does not prove delivery of what was sent, or null. Each outcome must name the
 * message at the same place, with the hash of exactly what was sent.
 */
export function batchReceiptProblem(
  receipt: Partial<BatchReceipt> | null,
  expected: {
    batchId: string;
    sender: string;
    receiver: string;
    messages: readonly { messageId: string; payloadSha256: string }[];
  },
): string | null {
  if (receipt?.type !== 'batch_receipt') return 'the receipt is not a batch receipt';
  for (const key of ['batchId', 'sender', 'receiver'] as const)
    if (receipt[key] !== expected[key])
      return `the receipt names ${key} ${String(receipt[key])}, expected ${expected[key]}`;
  if (typeof receipt.receivedAt !== 'string') return 'the receipt has no receivedAt';
  const outcomes = receipt.messages;
  if (!Array.isArray(outcomes) || outcomes.length !== expected.messages.length)
    return `the receipt lists ${Array.isArray(outcomes) ? outcomes.length : 'no'} messages, expected ${expected.messages.length}`;
  for (const [i, sent] of expected.messages.entries()) {
    const got = outcomes[i];
    if (got?.messageId !== sent.messageId || got.payloadSha256 !== sent.payloadSha256)
      return `the receipt's message ${i + 1} is ${String(got?.messageId)}, not ${sent.messageId} with the hash sent`;
    if (got.outcome !== 'accepted' && got.outcome !== 'duplicate' && got.outcome !== 'refused')
      return `the receipt gives message ${sent.messageId} an unknown outcome`;
  }
  return null;
}
