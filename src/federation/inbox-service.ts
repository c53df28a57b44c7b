// Receives a message from a peer: open the envelope, verify the signature against the sender's
// keys in our directory, check the header (for us, fresh, within the clock-skew window), then in
// ONE transaction record the message id (idempotence, replay), check its place in the request's
// sequence, apply it, write the audit entry, and answer a signed receipt. A refusal is audited too.
import { and, eq } from 'drizzle-orm';
import type { Logger } from 'pino';
import { appendAudit } from '../audit/audit-log.ts';
import { sha256Hex } from '../crypto/hash.ts';
import { type FreshnessRules, headerProblem, seenUntil } from '../domain/federation/index.ts';
import type { Keyring } from '../node-identity/keyring.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import type { Database } from '../store/database.ts';
import { federationInbox, federationSequences } from '../store/schema/index.ts';
import { directoryReader } from './directory-reader.ts';
import { claimedSender, openEnvelope, verifyMessage } from './envelope.ts';
import {
  PeerClockSkewError,
  PeerExpiredError,
  PeerHeaderError,
  PeerOutOfOrderError,
  PeerProtocolError,
  PeerRecipientError,
  PeerReplayError,
  UnknownPeerError,
} from './federation-errors.ts';
import { findPeer } from './peers.ts';
import type { ApplyMessage } from './protocol-handlers.ts';
import type { Receipt } from './receipts.ts';

export type InboxDeps = {
  database: Database;
  clock: Clock;
  keyring: Keyring;
  nodeState: string;
  freshness: FreshnessRules;
  apply: ApplyMessage;
  logger: Logger;
};

export type Received = { receipt: string; duplicate: boolean };

type Known = { messageId?: string; sender?: string; type?: string };

export function createInbox(deps: InboxDeps) {
  const { database, clock, keyring, nodeState } = deps;
  const { db } = database;
  // Every message needs the directory: re-read only when a new version was imported.
  const readDirectory = directoryReader();

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
      const problem = headerProblem(header, nodeState, now, deps.freshness);
      if (problem) {
        if (problem.kind === 'recipient') throw new PeerRecipientError(problem.message);
        if (problem.kind === 'expired') throw new PeerExpiredError(problem.message);
        if (problem.kind === 'skew') throw new PeerClockSkewError(problem.message);
        throw new PeerHeaderError(problem.message);
      }
      const receipt: Receipt = {
        type: 'receipt',
        messageId: header.id,
        payloadSha256: opened.payloadSha256,
        receivedAt: now.toISOString(),
        sender: header.from,
        receiver: nodeState,
      };
      const signedReceipt = await keyring.sign(receipt);
      let afterCommit: (() => void) | undefined;
      const result = await db.transaction(async (tx) => {
        const inserted = await tx
          .insert(federationInbox)
          .values({
            messageId: header.id,
            sender: header.from,
            messageType: header.type,
            requestId: header.requestId,
            seq: header.seq,
            payloadSha256: opened.payloadSha256,
            receivedAt: now,
            expiresAt: seenUntil(header, deps.freshness),
            receipt: signedReceipt,
          })
          .onConflictDoNothing()
          .returning({ id: federationInbox.messageId });
        if (inserted.length === 0) {
          const [seen] = await tx
            .select()
            .from(federationInbox)
            .where(eq(federationInbox.messageId, header.id));
          if (!seen || seen.payloadSha256 !== opened.payloadSha256 || seen.sender !== header.from)
            throw new PeerReplayError(header.id);
          await appendAudit(
            tx,
            {
              actor: `node:${header.from}`,
              action: 'federation.duplicate',
              objectType: 'federation_message',
              objectId: header.id,
              payload: { payloadSha256: opened.payloadSha256 },
            },
            now,
          );
          return { receipt: seen.receipt, duplicate: true };
        }
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
        afterCommit = (await deps.apply(tx, header, body, document)) || undefined;
        await appendAudit(
          tx,
          {
            actor: `node:${header.from}`,
            action: 'federation.receive',
            objectType: 'federation_message',
            objectId: header.id,
            payload: {
              type: header.type,
              requestId: header.requestId,
              seq: header.seq,
              payloadSha256: opened.payloadSha256,
            },
          },
          now,
        );
        return { receipt: signedReceipt, duplicate: false };
      });
      // In-memory state (the hub's index) follows only once the message is committed.
      try {
        afterCommit?.();
      } catch (error) {
        deps.logger.error({ err: error, messageId: header.id }, 'applied message: after-commit step failed');
      }
      return result;
    } catch (error) {
      await recordRefusal(error, known, sha256Hex(jwe), now);
      throw error;
    }
  }

  /** Audits a refused message: its hash and the reason, never its content. */
  async function recordRefusal(error: unknown, known: Known, bodySha256: string, now: Date): Promise<void> {
    const code = error instanceof AppError ? error.code : 'ERR_INTERNAL';
    try {
      await db.transaction(async (tx) => {
        await appendAudit(
          tx,
          {
            actor: known.sender ? `node:${known.sender}` : 'node:unknown',
            action: 'federation.refuse',
            objectType: 'federation_message',
            objectId: known.messageId ?? bodySha256,
            payload: { code, bodySha256, type: known.type ?? null },
          },
          now,
        );
      });
    } catch (auditError) {
      deps.logger.error({ err: auditError }, 'could not audit a refused federation message');
    }
  }

  return { receive, recordRefusal };
}

export type Inbox = ReturnType<typeof createInbox>;
