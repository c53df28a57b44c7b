// The outbox table: a message is written in the transaction of the change that caused it, then
// claimed by one sender (FOR UPDATE SKIP LOCKED, with a lease so a crashed sender's claim lapses),
// and marked sent with its receipt, retried later, or moved to the dead letters.
import { and, desc, eq, lt, sql } from 'drizzle-orm';
import { uuidv7 } from '../shared/ids.ts';
import { type Db, rowsOf } from '../store/database.ts';
import { federationInbox, federationOutbox } from '../store/schema/index.ts';

export type OutboxRow = typeof federationOutbox.$inferSelect;

export type NewMessage = {
  recipient: string;
  type: string;
  requestId: string | null;
  inReplyTo?: string | null;
  body: unknown;
  /** The exercise the message belongs to (issue #18); null or absent for real traffic. */
  exerciseId?: string | null;
};

/** Writes a message to send, in the caller's transaction; messages of one request get the next sequence number. */
export async function enqueueMessage(
  tx: Db,
  message: NewMessage,
  now: Date,
  lifetimeMs: number,
): Promise<string> {
  let seq: number | null = null;
  if (message.requestId) {
    const [row] = await tx
      .select({ max: sql<number | null>`max(${federationOutbox.seq})` })
      .from(federationOutbox)
      .where(
        and(
          eq(federationOutbox.recipient, message.recipient),
          eq(federationOutbox.requestId, message.requestId),
        ),
      );
    seq = Number(row?.max ?? 0) + 1;
  }
  const id = uuidv7(now.getTime());
  await tx.insert(federationOutbox).values({
    id,
    recipient: message.recipient,
    messageType: message.type,
    requestId: message.requestId,
    inReplyTo: message.inReplyTo ?? null,
    seq,
    body: message.body ?? null,
    createdAt: now,
    expiresAt: new Date(now.getTime() + lifetimeMs),
    nextAttemptAt: now,
    exerciseId: message.exerciseId ?? null,
  });
  return id;
}

type RawRow = {
  id: string;
  recipient: string;
  message_type: string;
  request_id: string | null;
  in_reply_to: string | null;
  seq: number | null;
  body: unknown;
  created_at: string | Date;
  expires_at: string | Date;
  attempts: number;
  exercise_id: string | null;
};

export type Claimed = {
  id: string;
  recipient: string;
  messageType: string;
  requestId: string | null;
  inReplyTo: string | null;
  seq: number | null;
  body: unknown;
  createdAt: Date;
  expiresAt: Date;
  attempts: number;
  exerciseId: string | null;
};

/**
 * Commits the statement's transaction without waiting for the WAL flush (PostgreSQL's
 * `synchronous_commit = off`, for this transaction only). For the sender's own bookkeeping, whose
 * loss in a database crash (the last fraction of a second) is harmless: the message is simply due
 * again and sent again, and the receiver's inbox answers a duplicate with its receipt, applying it
 * once. Never for the receiver's inbox or an audit entry. Saves a disk flush per round. Only in a
 * statement run alone (the sender passes the database, not a transaction): inside a caller's
 * transaction it would relax that whole commit.
 */
const LAX_COMMIT = sql`(SELECT set_config('synchronous_commit', 'off', true)) AS lax_commit`;

/**
 * Claims up to `limit` due messages for `worker` until `leaseUntil`. A message waits while an
 * earlier message of the same request to the same peer is still pending, so peers get them in order.
 */
export async function claimDue(
  db: Db,
  worker: string,
  now: Date,
  leaseUntil: Date,
  limit: number,
): Promise<Claimed[]> {
  const rows = rowsOf<RawRow>(
    await db.execute(sql`
      UPDATE federation_outbox SET next_attempt_at = ${leaseUntil.toISOString()}::timestamptz,
        claimed_by = ${worker}, attempts = attempts + 1
      FROM ${LAX_COMMIT}
      WHERE id IN (
        SELECT o.id FROM federation_outbox o
        WHERE o.status = 'pending' AND o.next_attempt_at <= ${now.toISOString()}::timestamptz
          AND NOT EXISTS (
            SELECT 1 FROM federation_outbox p
            WHERE p.recipient = o.recipient AND p.request_id = o.request_id
              AND p.seq < o.seq AND p.status = 'pending')
        ORDER BY o.next_attempt_at, o.id
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED)
      RETURNING id, recipient, message_type, request_id, in_reply_to, seq, body, created_at, expires_at, attempts,
        exercise_id`),
  );
  return rows.map((r) => ({
    id: r.id,
    recipient: r.recipient,
    messageType: r.message_type,
    requestId: r.request_id,
    inReplyTo: r.in_reply_to,
    seq: r.seq === null ? null : Number(r.seq),
    body: typeof r.body === 'string' ? JSON.parse(r.body) : r.body,
    createdAt: new Date(r.created_at),
    expiresAt: new Date(r.expires_at),
    attempts: Number(r.attempts),
    exerciseId: r.exercise_id ?? null,
  }));
}

export async function markSent(
  db: Db,
  id: string,
  worker: string,
  result: { payloadSha256: string; receipt: string; at: Date },
): Promise<void> {
  await markSentMany(db, worker, [{ id, payloadSha256: result.payloadSha256 }], result);
}

/** Records a failed attempt: due again at `retryAt`, or a dead letter when `retryAt` is null. */
export async function markFailed(
  db: Db,
  id: string,
  worker: string,
  failure: { code: string; message: string; retryAt: Date | null },
): Promise<boolean> {
  const rows = await db
    .update(federationOutbox)
    .set({
      status: failure.retryAt ? 'pending' : 'dead',
      nextAttemptAt: failure.retryAt ?? sql`${federationOutbox.nextAttemptAt}`,
      lastErrorCode: failure.code,
      lastError: failure.message.slice(0, 2000),
    })
    .where(
      and(
        eq(federationOutbox.id, id),
        eq(federationOutbox.claimedBy, worker),
        eq(federationOutbox.status, 'pending'),
      ),
    )
    .returning({ id: federationOutbox.id });
  return rows.length > 0;
}

export async function listByStatus(db: Db, status: string, limit: number): Promise<OutboxRow[]> {
  return db
    .select()
    .from(federationOutbox)
    .where(eq(federationOutbox.status, status))
    .orderBy(desc(federationOutbox.id))
    .limit(limit);
}

export async function findMessage(db: Db, id: string): Promise<OutboxRow | null> {
  const [row] = await db.select().from(federationOutbox).where(eq(federationOutbox.id, id));
  return row ?? null;
}

/** Puts a dead letter back in the queue with a fresh count of attempts. */
/** The dead letter put back in the queue, as it is then; null when the message is not dead. */
export async function requeueDead(tx: Db, id: string, now: Date): Promise<OutboxRow | null> {
  const rows = await tx
    .update(federationOutbox)
    .set({ status: 'pending', attempts: 0, nextAttemptAt: now, claimedBy: null })
    .where(and(eq(federationOutbox.id, id), eq(federationOutbox.status, 'dead')))
    .returning();
  return rows[0] ?? null;
}

/** Deletes seen message ids whose replay window has passed. */
export async function purgeSeen(db: Db, now: Date): Promise<number> {
  const rows = await db
    .delete(federationInbox)
    .where(lt(federationInbox.expiresAt, now))
    .returning({ id: federationInbox.messageId });
  return rows.length;
}

/** Marks messages delivered in one batch as sent, in one statement: each keeps the batch's receipt. */
export async function markSentMany(
  db: Db,
  worker: string,
  sent: readonly { id: string; payloadSha256: string }[],
  result: { receipt: string; at: Date },
): Promise<void> {
  if (sent.length === 0) return;
  const values = sql.join(
    sent.map((s) => sql`(${s.id}::uuid, ${s.payloadSha256})`),
    sql`, `,
  );
  await db.execute(sql`
    UPDATE federation_outbox o SET status = 'sent', sent_at = ${result.at.toISOString()}::timestamptz,
      receipt = ${result.receipt}, payload_sha256 = v.sha, last_error = NULL, last_error_code = NULL
    FROM (VALUES ${values}) AS v(id, sha), ${LAX_COMMIT}
    WHERE o.id = v.id AND o.claimed_by = ${worker} AND o.status = 'pending'`);
}
