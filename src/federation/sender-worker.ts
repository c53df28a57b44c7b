// The sender: claims due outbox messages, seals each for its recipient (sign, then encrypt), posts
// it, and keeps the verified receipt. A failure is retried with exponential backoff and jitter;
// a refusal no retry can cure, or too many failures, makes a dead letter for an administrator.
import type { Logger } from 'pino';
import { appendAudit } from '../audit/audit-log.ts';
import { signJson } from '../crypto/node-keys.ts';
import type { DirectoryDocument } from '../domain/directory/index.ts';
import { backoffMs, isRetryable, type RetryPolicy } from '../domain/federation/index.ts';
import type { Keyring } from '../node-identity/keyring.ts';
import type { Clock } from '../shared/clock.ts';
import { randomToken } from '../shared/ids.ts';
import type { Database } from '../store/database.ts';
import { directoryReader } from './directory-reader.ts';
import { sealMessage } from './envelope.ts';
import { type Claimed, claimDue, markFailed, markSent } from './outbox-store.ts';
import { findPeer } from './peers.ts';
import { ReceiptError, verifyReceipt } from './receipts.ts';

export const MESSAGES_PATH = '/federation/v1/messages';

export type SenderOptions = {
  retry: RetryPolicy;
  batchSize: number;
  leaseMs: number;
  pollMs: number;
  timeoutMs: number;
  random?: () => number;
};

export type SenderDeps = {
  database: Database;
  clock: Clock;
  keyring: Keyring;
  nodeState: string;
  logger: Logger;
};

type Failure = { status: number | null; code: string; message: string };

export function createSender(deps: SenderDeps, options: SenderOptions) {
  const { database, clock, keyring, nodeState } = deps;
  const worker = `${nodeState}-${randomToken(6)}`;
  const random = options.random ?? Math.random;
  const readDirectory = directoryReader();

  async function deliver(message: Claimed, document: DirectoryDocument | null): Promise<Failure | null> {
    const now = clock.now();
    if (!document) return { status: 404, code: 'ERR_PEER_UNKNOWN', message: 'this node has no directory' };
    const peer = findPeer(document, message.recipient, now);
    if (!peer)
      return {
        status: 404,
        code: 'ERR_PEER_UNKNOWN',
        message: `${message.recipient} has no node in the directory`,
      };
    const encryptionKey = peer.encryptionKeys[0];
    if (!encryptionKey)
      return {
        status: 404,
        code: 'ERR_PEER_NO_KEY',
        message: `${message.recipient} lists no valid encryption key`,
      };
    const sealed = await sealMessage(
      {
        header: {
          id: message.id,
          from: nodeState,
          to: message.recipient,
          created: message.createdAt.toISOString(),
          expires: message.expiresAt.toISOString(),
          type: message.messageType,
          requestId: message.requestId,
          inReplyTo: message.inReplyTo,
          seq: message.seq,
        },
        body: message.body,
      },
      (payload, header) => signJson(payload, keyring.privateKeys().signing.privateJwk, header),
      encryptionKey,
    );
    let response: Response;
    try {
      response = await fetch(peer.url + MESSAGES_PATH, {
        method: 'POST',
        headers: { 'content-type': 'application/jose' },
        body: sealed.jwe,
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch (error) {
      return { status: null, code: 'ERR_PEER_UNREACHABLE', message: (error as Error).message };
    }
    const text = await response.text().catch(() => '');
    let answer: Record<string, unknown> = {};
    try {
      answer = JSON.parse(text) as Record<string, unknown>;
    } catch {}
    if (!response.ok) {
      return {
        status: response.status,
        code: typeof answer.code === 'string' ? answer.code : `HTTP_${response.status}`,
        message: typeof answer.detail === 'string' ? answer.detail : text.slice(0, 500),
      };
    }
    try {
      await verifyReceipt(answer.receipt, peer.signingKeys, {
        messageId: message.id,
        payloadSha256: sealed.payloadSha256,
        sender: nodeState,
        receiver: message.recipient,
      });
    } catch (error) {
      if (error instanceof ReceiptError) return { status: 502, code: error.code, message: error.message };
      throw error;
    }
    await markSent(database.db, message.id, worker, {
      payloadSha256: sealed.payloadSha256,
      receipt: answer.receipt as string,
      at: clock.now(),
    });
    return null;
  }

  async function fail(message: Claimed, failure: Failure): Promise<void> {
    const now = clock.now();
    const retry = isRetryable(failure.status, failure.code) && message.attempts < options.retry.maxAttempts;
    const retryAt = retry
      ? new Date(now.getTime() + backoffMs(message.attempts, options.retry, random()))
      : null;
    if (retryAt) {
      await markFailed(database.db, message.id, worker, { ...failure, retryAt });
      return;
    }
    await database.db.transaction(async (tx) => {
      if (!(await markFailed(tx, message.id, worker, { ...failure, retryAt: null }))) return;
      await appendAudit(
        tx,
        {
          actor: 'system:federation',
          action: 'federation.dead_letter',
          objectType: 'federation_message',
          objectId: message.id,
          payload: { recipient: message.recipient, code: failure.code, attempts: message.attempts },
        },
        now,
      );
    });
    deps.logger.warn(
      { messageId: message.id, code: failure.code },
      'federation message moved to the dead letters',
    );
  }

  /** One round: claims a batch and sends it; returns how many messages it handled. */
  async function runOnce(): Promise<number> {
    const now = clock.now();
    const claimed = await claimDue(
      database.db,
      worker,
      now,
      new Date(now.getTime() + options.leaseMs),
      options.batchSize,
    );
    if (claimed.length === 0) return 0;
    const document = await readDirectory(database.db);
    await Promise.all(
      claimed.map(async (message) => {
        let failure: Failure | null;
        try {
          failure = await deliver(message, document);
        } catch (error) {
          failure = { status: null, code: 'ERR_SEND', message: (error as Error).message };
        }
        if (failure) await fail(message, failure);
      }),
    );
    return claimed.length;
  }

  let running = false;
  let wake: (() => void) | null = null;
  // A nudge during a round must not be lost: the next sleep is skipped.
  let nudged = false;
  let loop: Promise<void> | null = null;

  /** Runs rounds until stopped; sleeps `pollMs` when nothing is due, unless nudged. */
  function start(): void {
    if (running) return;
    running = true;
    loop = (async () => {
      while (running) {
        let handled = 0;
        try {
          handled = await runOnce();
        } catch (error) {
          if (running) deps.logger.warn({ err: error }, 'federation sender round failed');
        }
        if (handled === 0 && running && !nudged) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, options.pollMs);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          wake = null;
        }
        nudged = false;
      }
    })();
  }

  async function stop(): Promise<void> {
    running = false;
    wake?.();
    await loop;
    loop = null;
  }

  function nudge(): void {
    nudged = true;
    wake?.();
  }

  return { worker, runOnce, start, stop, nudge };
}

export type Sender = ReturnType<typeof createSender>;
