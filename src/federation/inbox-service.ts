// Receives a message from a peer: open the envelope, verify the signature against the sender's
// keys in our directory, check the header (for us, fresh, within the clock-skew window), then in
// ONE transaction record the message id (idempotence, replay), check its place in the request's
// sequence, apply it, write the audit entry, and answer a signed receipt. A refusal is audited too.
import { and, eq } from 'drizzle-orm';
import { appendAudit } from '../audit/audit-log.ts';
import { sha256Hex } from '../crypto/hash.ts';
import type { DirectoryDocument } from '../domain/directory/index.ts';
import { type MessageHeader, seenUntil } from '../domain/federation/index.ts';
import type { Db } from '../store/database.ts';
import { federationInbox, federationSequences } from '../store/schema/index.ts';
import { createBatchInbox } from './batch-inbox.ts';
import { directoryReader } from './directory-reader.ts';
import { claimedSender, openEnvelope, type SignedMessage, verifyMessage } from './envelope.ts';
import {
  PeerOutOfOrderError,
  PeerProtocolError,
  PeerReplayError,
  UnknownPeerError,
} from './federation-errors.ts';
import { auditRefusal, auditRefusalSummary, checkHeader, type Known } from './inbox-checks.ts';
import type { InboxDeps, Persisted, Received } from './inbox-types.ts';
import { findPeer } from './peers.ts';
import type { AfterCommit } from './protocol-handlers.ts';
import type { Receipt } from './receipts.ts';
import { createRefusalLedger, refusalBudgetSpent } from './refusal-ledger.ts';
import { createSharedRefusalLedger } from './shared-refusal-ledger.ts';

/** Where a post came from, for the refusals of unproven senders (refusal-ledger.ts). */
export type RefusalSource = { address: string };

/** Per address: the first refusal of a minute audited in full, the rest summed; 60 a minute, then 429. */
export const REFUSAL_WINDOW = { windowMs: 60_000, maxPerWindow: 60 };

/** The claims of a receipt this node signed (read, not verified: it comes from our own inbox). */
function receiptClaims(jws: string): { type?: unknown; messageId?: unknown } | null {
  try {
    return JSON.parse(Buffer.from(jws.split('.')[1] ?? '', 'base64url').toString('utf8'));
  } catch {
    return null;
  }
}

export function createInbox(deps: InboxDeps) {
  const { database, clock, keyring, nodeState } = deps;
  const { db } = database;
  // Every message needs the directory: re-read only when a new version was imported.
  const readDirectory = directoryReader();

  /** The inbox row of a verified message; the receipt may be filled in later in the same transaction. */
  function inboxRow(header: MessageHeader, payloadSha256: string, receipt: string, now: Date) {
    return {
      messageId: header.id,
      sender: header.from,
      messageType: header.type,
      requestId: header.requestId,
      seq: header.seq,
      exerciseId: header.exerciseId ?? null,
      payloadSha256,
      receivedAt: now,
      expiresAt: seenUntil(header, deps.freshness),
      receipt,
    };
  }

  /**
   * A message whose id was already in the inbox: the same content is a duplicate (audited, not
   * applied again) and answers the stored receipt; another content is a replay.
   */
  async function answerSeen(
    tx: Db,
    header: MessageHeader,
    payloadSha256: string,
    seen: { payloadSha256: string; sender: string; receipt: string; receivedAt?: Date } | undefined,
    now: Date,
  ): Promise<Persisted> {
    if (!seen || seen.payloadSha256 !== payloadSha256 || seen.sender !== header.from)
      throw new PeerReplayError(header.id);
    await appendAudit(
      tx,
      {
        actor: `node:${header.from}`,
        action: 'federation.duplicate',
        objectType: 'federation_message',
        objectId: header.id,
        payload: { payloadSha256 },
      },
      now,
    );
    return { receipt: seen.receipt, duplicate: true, firstReceivedAt: seen.receivedAt };
  }

  /**
   * The receipt a single delivery answers for a message seen before. A message first received in a
   * batch keeps the batch receipt, which the sender of one message cannot check against what it sent
   * (after a lost answer it may well send alone what went in a batch): it gets a single receipt of
   * that same reception, with the time it was first received. A stored single receipt is answered as is.
   */
  async function singleReceipt(
    header: MessageHeader,
    payloadSha256: string,
    stored: string,
    firstReceivedAt: Date | undefined,
  ): Promise<string> {
    const claims = receiptClaims(stored);
    if (claims?.type === 'receipt' && claims.messageId === header.id) return stored;
    const receipt: Receipt = {
      type: 'receipt',
      messageId: header.id,
      payloadSha256,
      receivedAt: (firstReceivedAt ?? clock.now()).toISOString(),
      sender: header.from,
      receiver: nodeState,
    };
    return keyring.sign(receipt);
  }

  /** Checks the place of a newly recorded message in its request's sequence, applies it and audits it. */
  async function applyNew(
    tx: Db,
    { header, body }: SignedMessage,
    payloadSha256: string,
    document: DirectoryDocument,
    now: Date,
  ): Promise<AfterCommit | undefined> {
    if (header.requestId && header.seq !== null) {
      const where = and(
        eq(federationSequences.peer, header.from),
        eq(federationSequences.requestId, header.requestId),
      );
      const [current] = await tx.select().from(federationSequences).where(where).for('update');
      const expected = (current?.lastSeq ?? 0) + 1;
      if (header.seq > expected) throw new PeerOutOfOrderError(expected, header.seq);
      if (header.seq < expected)
        throw new PeerProtocolError(
          `Message ${header.seq} of request ${header.requestId} was already applied.`,
        );
      if (current) await tx.update(federationSequences).set({ lastSeq: header.seq }).where(where);
      else
        await tx
          .insert(federationSequences)
          .values({ peer: header.from, requestId: header.requestId, lastSeq: header.seq });
    }
    const afterCommit = (await deps.apply(tx, header, body, document)) || undefined;
    await appendAudit(
      tx,
      {
        actor: `node:${header.from}`,
        action: 'federation.receive',
        objectType: 'federation_message',
        objectId: header.id,
        payload: { type: header.type, requestId: header.requestId, seq: header.seq, payloadSha256 },
      },
      now,
    );
    return afterCommit;
  }

  /**
   * Records, checks the sequence of, applies and audits one verified message, in the caller's
   * transaction. A message seen before with the same content answers its stored receipt.
   */
  async function persist(
    tx: Db,
    message: SignedMessage,
    payloadSha256: string,
    signedReceipt: string,
    document: DirectoryDocument,
    now: Date,
  ): Promise<Persisted> {
    const { header } = message;
    const inserted = await tx
      .insert(federationInbox)
      .values(inboxRow(header, payloadSha256, signedReceipt, now))
      .onConflictDoNothing()
      .returning({ id: federationInbox.messageId });
    if (inserted.length === 0) {
      const [seen] = await tx.select().from(federationInbox).where(eq(federationInbox.messageId, header.id));
      return answerSeen(tx, header, payloadSha256, seen, now);
    }
    const afterCommit = await applyNew(tx, message, payloadSha256, document, now);
    return { receipt: signedReceipt, duplicate: false, afterCommit };
  }

  async function receive(jwe: string, source?: RefusalSource): Promise<Received> {
    const now = clock.now();
    const known: Known = {};
    try {
      const opened = await openEnvelope(jwe, keyring.decryptionKeys());
      known.messageId = opened.route.id;
      const document = await readDirectory(db);
      if (!document) throw new UnknownPeerError(opened.route.from);
      const sender = claimedSender(opened.jws);
      known.sender = sender;
      const peer = findPeer(document, sender, now);
      if (!peer) throw new UnknownPeerError(sender);
      const { header, body } = await verifyMessage(opened, peer.signingKeys);
      known.type = header.type;
      checkHeader(header, nodeState, now, deps.freshness);
      const receipt: Receipt = {
        type: 'receipt',
        messageId: header.id,
        payloadSha256: opened.payloadSha256,
        receivedAt: now.toISOString(),
        sender: header.from,
        receiver: nodeState,
      };
      const witnessed = await deps.senderCheckpoint?.(header.from);
      if (witnessed) receipt.senderCheckpoint = witnessed;
      const signedReceipt = await keyring.sign(receipt);
      const result = await db.transaction((tx) =>
        persist(tx, { header, body }, opened.payloadSha256, signedReceipt, document, now),
      );
      const { afterCommit } = result;
      // In-memory state (the hub's index) follows only once the message is committed.
      try {
        afterCommit?.();
      } catch (error) {
        deps.logger.error({ err: error, messageId: header.id }, 'applied message: after-commit step failed');
      }
      const answer = result.duplicate
        ? await singleReceipt(header, opened.payloadSha256, result.receipt, result.firstReceivedAt)
        : result.receipt;
      return { receipt: answer, duplicate: result.duplicate };
    } catch (error) {
      // `type` is known only once the sender's signature verified.
      throw await recordRefusal(error, known, sha256Hex(jwe), now, source, known.type !== undefined);
    }
  }

  // Replicas on one PostgreSQL share one budget per address and one summary per window.
  const ledger =
    database.kind === 'postgres'
      ? createSharedRefusalLedger(db, REFUSAL_WINDOW)
      : createRefusalLedger(REFUSAL_WINDOW);

  /**
   * Audits a refused message: its hash and the reason, never its content. A refusal of an unproven
   * sender is audited on its own only when it is the first from its address in the window. Returns
   * what to answer: the refusal itself, or 429 when it is past its address's budget.
   */
  async function recordRefusal(
    error: unknown,
    known: Known,
    bodySha256: string,
    now: Date,
    source?: RefusalSource,
    authenticated = false,
  ): Promise<unknown> {
    const code = error instanceof Error && 'code' in error ? String(error.code) : 'ERR_INTERNAL';
    let alone = true;
    try {
      if (source && !authenticated) {
        const counted = await ledger.record(source.address, code, now.getTime());
        if (counted.wait > 0) return refusalBudgetSpent(counted.wait);
        alone = counted.first;
      }
    } catch (countError) {
      // Not counted (the database failed): audited on its own rather than lost.
      deps.logger.error({ err: countError }, 'could not count a refused federation message');
    }
    if (alone || ledger.knownDue(now.getTime(), false) === true)
      await writeRefusals(alone ? { error, known, bodySha256 } : null, now, false);
    return error;
  }

  async function writeRefusals(
    single: { error: unknown; known: Known; bodySha256: string } | null,
    now: Date,
    all: boolean,
  ): Promise<void> {
    if (!single && ledger.knownDue(now.getTime(), all) === false) return;
    try {
      const summaries = await db.transaction(async (tx) => {
        if (single) await auditRefusal(tx, single.error, single.known, single.bodySha256, now);
        const due = await ledger.takeDue(tx, now.getTime(), all);
        for (const summary of due) await auditRefusalSummary(tx, summary, now);
        return due;
      });
      for (const s of summaries)
        deps.logger.warn(
          { address: s.address ?? `sha256:${s.addressSha256}`, refusals: s.count, codes: s.codes },
          'refused federation posts from an unproven sender',
        );
    } catch (auditError) {
      deps.logger.error({ err: auditError }, 'could not audit a refused federation message');
    }
  }

  /** Audits every refusal still only counted (at shutdown, and by tests). */
  const flushRefusals = () => writeRefusals(null, clock.now(), true);

  /** Audits the counts of windows that ended (by a timer: replicas on PostgreSQL take them no other way). */
  const flushEndedRefusals = () => writeRefusals(null, clock.now(), false);

  /** Seconds an address must wait before it may post again, after too many refusals; else 0. */
  const admit = (address: string) => ledger.admit(address, clock.now().getTime());

  const batches = createBatchInbox(deps, {
    persist,
    inboxRow,
    answerSeen,
    applyNew,
    readDirectory,
    recordRefusal,
  });
  return {
    receive,
    receiveBatch: batches.receive,
    recordRefusal,
    flushRefusals,
    flushEndedRefusals,
    admit,
    countedRefusals: ledger.counted,
  };
}

export type Inbox = ReturnType<typeof createInbox>;
