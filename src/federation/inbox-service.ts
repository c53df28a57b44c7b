// Receives a message from a peer: open the envelope, verify the signature against the sender's
// keys in our directory, check the header (for us, fresh, within the clock-skew window), then in
// ONE transaction record the message id (idempotence, replay), check its place in the request's
// sequence, apply it, write the audit entry, and answer a signed receipt. A refusal is audited too.
import { and, eq } from 'drizzle-orm';
import type { Logger } from 'pino';
import { appendAudit } from '../audit/audit-log.ts';
import { sha256Hex } from '../crypto/hash.ts';
import type { DirectoryDocument } from '../domain/directory/index.ts';
import { type FreshnessRules, type MessageHeader, seenUntil } from '../domain/federation/index.ts';
import type { Keyring } from '../node-identity/keyring.ts';
import type { Clock } from '../shared/clock.ts';
import type { Database, Db } from '../store/database.ts';
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
import { auditRefusal, checkHeader, type Known } from './inbox-checks.ts';
import { findPeer } from './peers.ts';
import type { AfterCommit, ApplyMessage } from './protocol-handlers.ts';
import type { Receipt } from './receipts.ts';

export type InboxDeps = {
  database: Database;
  clock: Clock;
  keyring: Keyring;
  nodeState: string;
  freshness: FreshnessRules;
  apply: ApplyMessage;
  logger: Logger;
  /** As a witness: the latest cosigned checkpoint of a sender's audit log, for its receipts. */
  senderCheckpoint?: (sender: string) => Promise<string | null>;
};

export type Received = { receipt: string; duplicate: boolean };

/** The claims of a receipt this node signed (read, not verified: it comes from our own inbox). */
function receiptClaims(jws: string): { type?: unknown; messageId?: unknown } | null {
  try {
    return JSON.parse(Buffer.from(jws.split('.')[1] ?? '', 'base64url').toString('utf8'));
  } catch {
    return null;
  }
}

/** One message persisted: the receipt to answer, and what to do once committed. */
export type Persisted = {
  receipt: string;
  duplicate: boolean;
  afterCommit?: AfterCommit;
  /** A duplicate: when the message was first received. */
  firstReceivedAt?: Date;
};

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

  async function receive(jwe: string): Promise<Received> {
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
      await recordRefusal(error, known, sha256Hex(jwe), now);
      throw error;
    }
  }

  /** Audits a refused message: its hash and the reason, never its content. */
  async function recordRefusal(error: unknown, known: Known, bodySha256: string, now: Date): Promise<void> {
    try {
      await db.transaction((tx) => auditRefusal(tx, error, known, bodySha256, now));
    } catch (auditError) {
      deps.logger.error({ err: auditError }, 'could not audit a refused federation message');
    }
  }

  const batches = createBatchInbox(deps, { persist, inboxRow, answerSeen, applyNew, readDirectory });
  return { receive, receiveBatch: batches.receive, recordRefusal };
}

export type Inbox = ReturnType<typeof createInbox>;
