// Federation: the outbox (messages written with the state change that caused them, sent by a
// worker), the inbox (seen message ids with the receipt given, for idempotence and replay) and the
// last applied sequence number per peer and request (messages of one request apply in order).
import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const federationOutbox = pgTable(
  'federation_outbox',
  {
    id: uuid('id').primaryKey(),
    recipient: text('recipient').notNull(),
    messageType: text('message_type').notNull(),
    requestId: uuid('request_id'),
    inReplyTo: uuid('in_reply_to'),
    seq: integer('seq'),
    body: jsonb('body').notNull(),
    createdAt: ts('created_at').notNull(),
    expiresAt: ts('expires_at').notNull(),
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: ts('next_attempt_at').notNull(),
    claimedBy: text('claimed_by'),
    lastErrorCode: text('last_error_code'),
    lastError: text('last_error'),
    payloadSha256: text('payload_sha256'),
    receipt: text('receipt'),
    sentAt: ts('sent_at'),
    /** drizzle/0020_exercises.sql: the exercise the message belongs to; null for real traffic. */
    exerciseId: uuid('exercise_id'),
  },
  (t) => [
    index('federation_outbox_due_idx').on(t.status, t.nextAttemptAt),
    index('federation_outbox_request_idx').on(t.recipient, t.requestId, t.seq),
  ],
);

export const federationInbox = pgTable(
  'federation_inbox',
  {
    messageId: uuid('message_id').primaryKey(),
    sender: text('sender').notNull(),
    messageType: text('message_type').notNull(),
    requestId: uuid('request_id'),
    seq: integer('seq'),
    payloadSha256: text('payload_sha256').notNull(),
    receivedAt: ts('received_at').notNull(),
    expiresAt: ts('expires_at').notNull(),
    receipt: text('receipt').notNull(),
    exerciseId: uuid('exercise_id'),
  },
  (t) => [index('federation_inbox_expires_idx').on(t.expiresAt)],
);

export const federationSequences = pgTable(
  'federation_sequences',
  {
    peer: text('peer').notNull(),
    requestId: uuid('request_id').notNull(),
    lastSeq: integer('last_seq').notNull(),
  },
  (t) => [primaryKey({ name: 'federation_sequences_pk', columns: [t.peer, t.requestId] })],
);
