// Receives a batch from a peer: open the one envelope, then judge each signed message alone
// (signature by the sender's key, header for us and fresh, from and to the batch's nodes). Every
// message of the batch is persisted in ONE transaction, each with its audit entry as a single
// delivery would be; one signed receipt answers for all, with each message's outcome.
import { inArray } from 'drizzle-orm';
import { gatherAudit } from '../audit/audit-log.ts';
import { sha256Hex } from '../crypto/hash.ts';
import type { DirectoryDocument } from '../domain/directory/index.ts';
import {
  type BatchOutcome,
  type BatchReceipt,
  batchMemberProblem,
  type MessageHeader,
} from '../domain/federation/index.ts';
import { AppError } from '../shared/errors.ts';
import type { Db } from '../store/database.ts';
import { federationInbox } from '../store/schema/index.ts';
import { openBatch } from './batch-envelope.ts';
import { claimedId, type SignedMessage, verifySigned } from './envelope.ts';
import { PeerHeaderError, PeerRecipientError, UnknownPeerError } from './federation-errors.ts';
import { auditRefusal, checkHeader, type Known } from './inbox-checks.ts';
import type { InboxDeps, Persisted } from './inbox-types.ts';
import { findPeer } from './peers.ts';
import type { AfterCommit } from './protocol-handlers.ts';

export type ReceivedBatch = { receipt: string; outcomes: BatchOutcome[] };

/** The steps of the single inbox that a batch reuses, so each message is handled exactly as alone. */
export type InboxSteps = {
  /**
   * Audits a refusal (of an unproven sender, counted per address: refusal-ledger.ts); resolves to what
   * to answer: the refusal, or 429 past the address's budget.
   */
  recordRefusal(
    error: unknown,
    known: Known,
    bodySha256: string,
    now: Date,
    source?: { address: string },
    authenticated?: boolean,
  ): Promise<unknown>;
  persist(
    tx: Db,
    message: SignedMessage,
    payloadSha256: string,
    receipt: string,
    document: DirectoryDocument,
    now: Date,
  ): Promise<Persisted>;
  inboxRow(
    header: MessageHeader,
    payloadSha256: string,
    receipt: string,
    now: Date,
  ): typeof federationInbox.$inferInsert;
  answerSeen(
    tx: Db,
    header: MessageHeader,
    payloadSha256: string,
    seen: { payloadSha256: string; sender: string; receipt: string } | undefined,
    now: Date,
  ): Promise<Persisted>;
  applyNew(
    tx: Db,
    message: SignedMessage,
    payloadSha256: string,
    document: DirectoryDocument,
    now: Date,
  ): Promise<AfterCommit | undefined>;
  readDirectory(tx: Db): Promise<DirectoryDocument | null>;
};

type Item =
  | { ok: true; message: SignedMessage; payloadSha256: string }
  | { ok: false; known: Known; payloadSha256: string; error: AppError };

/** A message failed while persisted: the batch is run again, each message in its own savepoint. */
class IsolateMessages extends Error {}

// Stands for the batch receipt until it is signed, at the end of the transaction.
const PENDING_RECEIPT = '';

/** A refusal as the batch receipt lists it. */
function refusedOutcome(messageId: string | null, payloadSha256: string, failure: AppError): BatchOutcome {
  return {
    messageId,
    payloadSha256,
    outcome: 'refused',
    code: failure.code,
    status: failure.status,
    detail: failure.message,
  };
}

/**
 * The outcomes when every verified message is new and applies: a repeated id in the batch is a
 * duplicate of its first, a message refused on verification stays refused.
 */
function expectedOutcomes(items: readonly Item[]): BatchOutcome[] {
  const ids = new Set<string>();
  return items.map((item) => {
    if (!item.ok) return refusedOutcome(item.known.messageId ?? null, item.payloadSha256, item.error);
    const id = item.message.header.id;
    const outcome = ids.has(id) ? 'duplicate' : 'accepted';
    ids.add(id);
    return { messageId: id, payloadSha256: item.payloadSha256, outcome };
  });
}

function sameOutcomes(a: readonly BatchOutcome[], b: readonly BatchOutcome[]): boolean {
  return a.length === b.length && a.every((o, i) => JSON.stringify(o) === JSON.stringify(b[i]));
}

export function createBatchInbox(deps: InboxDeps, shared: InboxSteps) {
  const { database, clock, keyring, nodeState } = deps;
  const { db } = database;

  function batchReceipt(
    route: { batch: string; from: string; witnessed?: string | null },
    now: Date,
    outcomes: BatchOutcome[],
  ) {
    const receipt: BatchReceipt = {
      type: 'batch_receipt',
      batchId: route.batch,
      receivedAt: now.toISOString(),
      sender: route.from,
      receiver: nodeState,
      messages: outcomes,
    };
    if (route.witnessed) receipt.senderCheckpoint = route.witnessed;
    return receipt;
  }

  async function judge(
    jws: string,
    from: string,
    route: Parameters<typeof batchMemberProblem>[1],
    keys: Parameters<typeof verifySigned>[1],
    now: Date,
  ): Promise<Item> {
    const payloadSha256 = sha256Hex(jws);
    const known: Known = { sender: from };
    const claimed = claimedId(jws);
    if (claimed) known.messageId = claimed;
    try {
      const message = await verifySigned(jws, keys);
      known.messageId = message.header.id;
      known.type = message.header.type;
      const problem = batchMemberProblem(message.header, route);
      if (problem) throw new PeerHeaderError(`${problem}.`);
      checkHeader(message.header, nodeState, now, deps.freshness);
      return { ok: true, message, payloadSha256 };
    } catch (error) {
      if (error instanceof AppError) return { ok: false, known, payloadSha256, error };
      throw error;
    }
  }

  /** One transaction for the batch; `isolate` puts each message in a savepoint so its failure is its own. */
  async function persistAll(
    items: Item[],
    document: DirectoryDocument,
    route: { batch: string; from: string },
    now: Date,
    isolate: boolean,
    expected: ReceivedBatch | null,
  ) {
    // Rows are written with the receipt signed beforehand; another is signed only if outcomes differ.
    const provisional = expected?.receipt ?? PENDING_RECEIPT;
    const persistIn = async (tx: Db) => {
      const outcomes: BatchOutcome[] = [];
      const afterCommits: AfterCommit[] = [];
      const accepted: string[] = [];
      // Optimistic: every new message id recorded in one statement, those seen before read in one more.
      const fresh = new Set<string>();
      const seen = new Map<string, { payloadSha256: string; sender: string; receipt: string }>();
      if (!isolate) {
        const rows = items.flatMap((i) =>
          i.ok ? [shared.inboxRow(i.message.header, i.payloadSha256, provisional, now)] : [],
        );
        if (rows.length > 0) {
          const inserted = await tx
            .insert(federationInbox)
            .values(rows)
            .onConflictDoNothing()
            .returning({ id: federationInbox.messageId });
          for (const r of inserted) fresh.add(r.id);
          const others = rows.map((r) => r.messageId).filter((id) => !fresh.has(id));
          if (others.length > 0)
            for (const r of await tx
              .select()
              .from(federationInbox)
              .where(inArray(federationInbox.messageId, others)))
              seen.set(r.messageId, r);
        }
      }
      for (const item of items) {
        let failure: AppError | null = item.ok ? null : item.error;
        if (item.ok) {
          const { header } = item.message;
          try {
            const run = async (inner: Db): Promise<Persisted> => {
              if (isolate)
                return shared.persist(
                  inner,
                  item.message,
                  item.payloadSha256,
                  PENDING_RECEIPT,
                  document,
                  now,
                );
              // The first of a repeated id in one batch is new; the next ones are duplicates of it.
              if (fresh.delete(header.id)) {
                const afterCommit = await shared.applyNew(
                  inner,
                  item.message,
                  item.payloadSha256,
                  document,
                  now,
                );
                seen.set(header.id, {
                  payloadSha256: item.payloadSha256,
                  sender: header.from,
                  receipt: PENDING_RECEIPT,
                });
                return { receipt: PENDING_RECEIPT, duplicate: false, afterCommit };
              }
              return shared.answerSeen(inner, header, item.payloadSha256, seen.get(header.id), now);
            };
            const persisted = isolate ? await tx.transaction(run) : await run(tx);
            if (persisted.afterCommit) afterCommits.push(persisted.afterCommit);
            if (!persisted.duplicate) accepted.push(header.id);
            outcomes.push({
              messageId: header.id,
              payloadSha256: item.payloadSha256,
              outcome: persisted.duplicate ? 'duplicate' : 'accepted',
            });
          } catch (error) {
            if (!(error instanceof AppError)) throw error;
            if (!isolate) throw new IsolateMessages();
            failure = error;
          }
        }
        if (failure) {
          const known: Known = item.ok
            ? { messageId: item.message.header.id, sender: route.from, type: item.message.header.type }
            : item.known;
          await auditRefusal(tx, failure, known, item.payloadSha256, now);
          outcomes.push(refusedOutcome(known.messageId ?? null, item.payloadSha256, failure));
        }
      }
      // As expected (every message new, none refused at this stage): the rows already hold the receipt.
      if (expected && sameOutcomes(outcomes, expected.outcomes))
        return { receipt: expected.receipt, outcomes, afterCommits };
      const signed = await keyring.sign(batchReceipt(route, now, outcomes));
      // The receipt names every message of the batch: each received message keeps it as its proof.
      if (accepted.length > 0)
        await tx
          .update(federationInbox)
          .set({ receipt: signed })
          .where(inArray(federationInbox.messageId, accepted));
      return { receipt: signed, outcomes, afterCommits };
    };
    // The audit state is locked and written once for the batch; a savepoint per message appends alone.
    return db.transaction((tx) => (isolate ? persistIn(tx) : gatherAudit(tx, () => persistIn(tx))));
  }

  /** Receives a batch; refusals of the whole batch (envelope, sender, recipient) are thrown, audited. */
  async function receive(jwe: string, source?: { address: string }): Promise<ReceivedBatch> {
    const now = clock.now();
    const known: Known = { type: 'batch' };
    let document: DirectoryDocument;
    let opened: Awaited<ReturnType<typeof openBatch>>;
    let keys: Parameters<typeof verifySigned>[1];
    try {
      opened = await openBatch(jwe, keyring.decryptionKeys());
      known.messageId = opened.route.batch;
      known.sender = opened.route.from;
      if (opened.route.to !== nodeState)
        throw new PeerRecipientError(`The batch is for ${opened.route.to}; this node is ${nodeState}.`);
      const found = await shared.readDirectory(db);
      if (!found) throw new UnknownPeerError(opened.route.from);
      document = found;
      const peer = findPeer(document, opened.route.from, now);
      if (!peer) throw new UnknownPeerError(opened.route.from);
      keys = peer.signingKeys;
    } catch (error) {
      // Refused before any signature was checked: the sender is not proven.
      throw await shared.recordRefusal(error, known, sha256Hex(jwe), now, source, false);
    }
    const route = { ...opened.route, witnessed: await deps.senderCheckpoint?.(opened.route.from) };
    const items = await Promise.all(opened.messages.map((jws) => judge(jws, route.from, route, keys, now)));
    // The receipt of the usual case, signed before the transaction: it then holds the audit lock
    // for less time, and writes each message's row once.
    const outcomes = expectedOutcomes(items);
    const expected = { receipt: await keyring.sign(batchReceipt(route, now, outcomes)), outcomes };
    let result: Awaited<ReturnType<typeof persistAll>>;
    try {
      result = await persistAll(items, document, route, now, false, expected);
    } catch (error) {
      if (!(error instanceof IsolateMessages)) throw error;
      result = await persistAll(items, document, route, now, true, null);
    }
    // In-memory state (the hub's index) follows only once the batch is committed.
    for (const step of result.afterCommits) {
      try {
        step();
      } catch (error) {
        deps.logger.error({ err: error, batch: route.batch }, 'applied message: after-commit step failed');
      }
    }
    return { receipt: result.receipt, outcomes: result.outcomes };
  }

  return { receive };
}
