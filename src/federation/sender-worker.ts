// The sender: claims due outbox messages, seals each for its recipient (sign, then encrypt), posts
// it, and keeps the verified receipt. A failure is retried with exponential backoff and jitter;
// a refusal no retry can cure, or a retry window that closed (72 hours by default), makes a dead
// letter for an administrator.
import type { Logger } from 'pino';
import { appendAudit } from '../audit/audit-log.ts';
import { sha256Hex } from '../crypto/hash.ts';
import { type Jwk, signJson } from '../crypto/node-keys.ts';
import type { DirectoryDocument } from '../domain/directory/index.ts';
import {
  type BatchReceipt,
  isRetryable,
  MAX_BATCH_MESSAGES,
  nextAttemptAt,
  type RetryPolicy,
  wireType,
} from '../domain/federation/index.ts';
import type { Keyring } from '../node-identity/keyring.ts';
import type { Clock } from '../shared/clock.ts';
import { randomToken, uuidv7 } from '../shared/ids.ts';
import type { Database } from '../store/database.ts';
import { batchEnvelopeBytes, sealBatch } from './batch-envelope.ts';
import { directoryReader } from './directory-reader.ts';
import { JWS_TYPE, type SignedMessage, sealMessage } from './envelope.ts';
import { type Claimed, claimDue, markFailed, markSent, markSentMany } from './outbox-store.ts';
import { findPeer, type Peer } from './peers.ts';
import { ReceiptError, verifyBatchReceipt, verifyReceipt } from './receipts.ts';

// What a node without the batch route answers (no refusal code of the inbox): send singly instead.
const UNSUPPORTED = new Set([404, 405, 415]);

export const MESSAGES_PATH = '/federation/v1/messages';
export const BATCHES_PATH = '/federation/v1/batches';

export type SenderOptions = {
  retry: RetryPolicy;
  batchSize: number;
  /** Round loops in flight at once (1 when not given). */
  rounds?: number;
  leaseMs: number;
  pollMs: number;
  timeoutMs: number;
  /** The largest envelope a peer accepts: a batch is split to stay under it. */
  maxMessageBytes?: number;
  /** false: every message travels alone, as before batches (for measurements and old peers). */
  batchDelivery?: boolean;
  random?: () => number;
};

export type SenderDeps = {
  database: Database;
  clock: Clock;
  keyring: Keyring;
  nodeState: string;
  logger: Logger;
  /** A verified receipt carried the receiver's cosigned checkpoint of this node's log. */
  keepReceiptCheckpoint?: (receiver: string, note: unknown) => Promise<void>;
};

type Failure = { status: number | null; code: string; message: string };

// A peer that does not know batches (an older version) gets single messages for this long.
const NO_BATCHES_MS = 10 * 60_000;

export function createSender(deps: SenderDeps, options: SenderOptions) {
  const { database, clock, keyring, nodeState } = deps;
  const worker = `${nodeState}-${randomToken(6)}`;
  const random = options.random ?? Math.random;
  const readDirectory = directoryReader();

  const maxBytes = options.maxMessageBytes ?? 10 * 1024 * 1024;
  // A stop cuts the posts in flight: a peer that holds the connection open must not hold up a
  // shutdown. A cut message is due again; the peer answers a repeat with its receipt and applies it once.
  let stopping = new AbortController();
  const noBatchesUntil = new Map<string, number>();

  function signable(message: Claimed): SignedMessage {
    return {
      header: {
        id: message.id,
        from: nodeState,
        to: message.recipient,
        created: message.createdAt.toISOString(),
        expires: message.expiresAt.toISOString(),
        type: wireType(message.messageType, message.exerciseId),
        requestId: message.requestId,
        inReplyTo: message.inReplyTo,
        seq: message.seq,
        ...(message.exerciseId ? { exerciseId: message.exerciseId } : {}),
      },
      body: message.body,
    };
  }

  function sign(payload: SignedMessage, header: Record<string, unknown>): Promise<string> {
    return signJson(payload, keyring.privateKeys().signing.privateJwk, header);
  }

  /** The peer to send to and its encryption key, or why there is none. */
  function route(recipient: string, document: DirectoryDocument | null): { peer: Peer; key: Jwk } | Failure {
    if (!document) return { status: 404, code: 'ERR_PEER_UNKNOWN', message: 'this node has no directory' };
    const peer = findPeer(document, recipient, clock.now());
    if (!peer)
      return { status: 404, code: 'ERR_PEER_UNKNOWN', message: `${recipient} has no node in the directory` };
    const key = peer.encryptionKeys[0];
    if (!key)
      return { status: 404, code: 'ERR_PEER_NO_KEY', message: `${recipient} lists no valid encryption key` };
    return { peer, key };
  }

  async function post(
    url: string,
    body: string,
  ): Promise<{ response: Response; answer: Record<string, unknown>; text: string } | Failure> {
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/jose' },
        body,
        signal: AbortSignal.any([AbortSignal.timeout(options.timeoutMs), stopping.signal]),
      });
    } catch (error) {
      return { status: null, code: 'ERR_PEER_UNREACHABLE', message: (error as Error).message };
    }
    const text = await response.text().catch(() => '');
    let answer: Record<string, unknown> = {};
    try {
      answer = JSON.parse(text) as Record<string, unknown>;
    } catch {}
    return { response, answer, text };
  }

  function refusal(response: Response, answer: Record<string, unknown>, text: string): Failure {
    return {
      status: response.status,
      code: typeof answer.code === 'string' ? answer.code : `HTTP_${response.status}`,
      message: typeof answer.detail === 'string' ? answer.detail : text.slice(0, 500),
    };
  }

  async function deliver(message: Claimed, document: DirectoryDocument | null): Promise<Failure | null> {
    const found = route(message.recipient, document);
    if (!('peer' in found)) return found;
    const { peer, key: encryptionKey } = found;
    const sealed = await sealMessage(signable(message), sign, encryptionKey);
    const posted = await post(peer.url + MESSAGES_PATH, sealed.jwe);
    if (!('response' in posted)) return posted;
    const { response, answer, text } = posted;
    if (!response.ok) return refusal(response, answer, text);
    try {
      const receipt = await verifyReceipt(answer.receipt, peer.signingKeys, {
        messageId: message.id,
        payloadSha256: sealed.payloadSha256,
        sender: nodeState,
        receiver: message.recipient,
      });
      await deps.keepReceiptCheckpoint?.(message.recipient, receipt.senderCheckpoint);
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

  /**
   * Delivers several messages for one peer as batches: each message signed alone, the batch
   * encrypted once, one receipt for all. Returns the failure of each message that was not sent.
   */
  async function deliverBatch(
    messages: Claimed[],
    document: DirectoryDocument | null,
  ): Promise<Map<Claimed, Failure>> {
    const failures = new Map<Claimed, Failure>();
    const recipient = messages[0]!.recipient;
    const found = route(recipient, document);
    if (!('peer' in found)) {
      for (const m of messages) failures.set(m, found);
      return failures;
    }
    const { peer, key } = found;
    const singly = async (list: Claimed[]) => {
      await Promise.all(
        list.map(async (m) => {
          const failure = await deliver(m, document).catch(
            (error: Error): Failure => ({ status: null, code: 'ERR_SEND', message: error.message }),
          );
          if (failure) failures.set(m, failure);
        }),
      );
    };
    if ((noBatchesUntil.get(peer.url) ?? 0) > Date.now()) {
      await singly(messages);
      return failures;
    }
    const signed = await Promise.all(
      messages.map(async (m) => {
        const jws = await sign(signable(m), { typ: JWS_TYPE });
        return { message: m, jws, payloadSha256: sha256Hex(jws) };
      }),
    );
    // Split so that each envelope stays under the peer's size limit; an oversized message goes alone.
    const chunks: (typeof signed)[] = [];
    const alone: Claimed[] = [];
    let chunk: typeof signed = [];
    for (const item of signed) {
      if (batchEnvelopeBytes([item.jws.length]) > maxBytes) {
        alone.push(item.message);
        continue;
      }
      const lengths = [...chunk, item].map((c) => c.jws.length);
      if (chunk.length >= MAX_BATCH_MESSAGES || batchEnvelopeBytes(lengths) > maxBytes) {
        chunks.push(chunk);
        chunk = [];
      }
      chunk.push(item);
    }
    if (chunk.length > 0) chunks.push(chunk);
    await singly(alone);
    await Promise.all(
      chunks.map(async (items) => {
        if (items.length === 1) return singly([items[0]!.message]);
        const batchId = uuidv7(clock.now().getTime());
        const jwe = await sealBatch(
          { batch: batchId, from: nodeState, to: recipient, count: items.length },
          items.map((i) => i.jws),
          key,
        );
        const posted = await post(peer.url + BATCHES_PATH, jwe);
        const failAll = (failure: Failure) => {
          for (const i of items) failures.set(i.message, failure);
        };
        if (!('response' in posted)) return failAll(posted);
        const { response, answer, text } = posted;
        if (UNSUPPORTED.has(response.status) && !String(answer.code ?? '').startsWith('ERR_PEER_')) {
          // A peer of an older version: single deliveries until it is upgraded.
          noBatchesUntil.set(peer.url, Date.now() + NO_BATCHES_MS);
          return singly(items.map((i) => i.message));
        }
        if (!response.ok) return failAll(refusal(response, answer, text));
        let receipt: BatchReceipt;
        try {
          receipt = await verifyBatchReceipt(answer.receipt, peer.signingKeys, {
            batchId,
            sender: nodeState,
            receiver: recipient,
            messages: items.map((i) => ({ messageId: i.message.id, payloadSha256: i.payloadSha256 })),
          });
        } catch (error) {
          if (error instanceof ReceiptError)
            return failAll({ status: 502, code: error.code, message: error.message });
          throw error;
        }
        await deps.keepReceiptCheckpoint?.(recipient, receipt.senderCheckpoint);
        const sent: { id: string; payloadSha256: string }[] = [];
        for (const [n, outcome] of receipt.messages.entries()) {
          const item = items[n]!;
          if (outcome.outcome === 'refused')
            failures.set(item.message, {
              status: outcome.status,
              code: outcome.code,
              message: outcome.detail,
            });
          else sent.push({ id: item.message.id, payloadSha256: item.payloadSha256 });
        }
        await markSentMany(database.db, worker, sent, { receipt: answer.receipt as string, at: clock.now() });
      }),
    );
    return failures;
  }

  async function fail(message: Claimed, failure: Failure): Promise<void> {
    const now = clock.now();
    const retryAt = isRetryable(failure.status, failure.code)
      ? nextAttemptAt(message.attempts, options.retry, random(), now, message)
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
          payload: {
            recipient: message.recipient,
            code: failure.code,
            attempts: message.attempts,
            hoursSinceCreated: Math.floor((now.getTime() - message.createdAt.getTime()) / 3_600_000),
          },
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
    // Read first: a directory the trust anchors refuse throws here, before any message is claimed, so
    // messages wait without spending attempts or a lease until a newer signed directory is imported.
    const document = await readDirectory(database.db);
    const now = clock.now();
    const claimed = await claimDue(
      database.db,
      worker,
      now,
      new Date(now.getTime() + options.leaseMs),
      options.batchSize,
    );
    if (claimed.length === 0) return 0;
    // Several messages for one peer travel as a batch; a message alone travels as before.
    const byPeer = new Map<string, Claimed[]>();
    for (const message of claimed) {
      const key = options.batchDelivery === false ? message.id : message.recipient;
      const list = byPeer.get(key);
      if (list) list.push(message);
      else byPeer.set(key, [message]);
    }
    await Promise.all(
      [...byPeer.values()].map(async (messages) => {
        let failures: Map<Claimed, Failure>;
        if (messages.length === 1) {
          const message = messages[0]!;
          let failure: Failure | null;
          try {
            failure = await deliver(message, document);
          } catch (error) {
            failure = { status: null, code: 'ERR_SEND', message: (error as Error).message };
          }
          failures = new Map(failure ? [[message, failure]] : []);
        } else {
          try {
            failures = await deliverBatch(messages, document);
          } catch (error) {
            const failure = { status: null, code: 'ERR_SEND', message: (error as Error).message };
            failures = new Map(messages.map((m) => [m, failure]));
          }
        }
        for (const [message, failure] of failures) await fail(message, failure);
      }),
    );
    return claimed.length;
  }

  let running = false;
  // Sleeping rounds, woken by a nudge; a nudge during a round must not be lost: the next sleep is skipped.
  const sleepers = new Set<() => void>();
  let nudged = false;
  let loops: Promise<void>[] = [];

  /** One round loop: runs rounds until stopped; sleeps `pollMs` when nothing is due, unless nudged. */
  async function loop(): Promise<void> {
    // The same failure round after round (a refused directory, the database down) is logged once.
    let lastFailure = '';
    while (running) {
      let handled = 0;
      try {
        handled = await runOnce();
        lastFailure = '';
      } catch (error) {
        const failure = error instanceof Error ? error.message : String(error);
        if (running && failure !== lastFailure)
          deps.logger.warn({ err: error }, 'federation sender round failed');
        lastFailure = failure;
      }
      if (handled === 0 && running && !nudged) {
        await new Promise<void>((resolve) => {
          const wake = () => {
            clearTimeout(timer);
            sleepers.delete(wake);
            resolve();
          };
          const timer = setTimeout(wake, options.pollMs);
          sleepers.add(wake);
        });
      }
      nudged = false;
    }
  }

  /** Starts `rounds` loops; claims with SKIP LOCKED keep them from taking the same messages. */
  function start(): void {
    if (running) return;
    running = true;
    stopping = new AbortController();
    loops = Array.from({ length: Math.max(1, options.rounds ?? 1) }, () => loop());
  }

  async function stop(): Promise<void> {
    running = false;
    for (const wake of [...sleepers]) wake();
    stopping.abort(new Error('the node is stopping'));
    await Promise.all(loops);
    loops = [];
    // The cut is for the rounds that were running: a round run by hand after the stop sends again.
    stopping = new AbortController();
  }

  function nudge(): void {
    nudged = true;
    for (const wake of [...sleepers]) wake();
  }

  return { worker, runOnce, start, stop, nudge };
}

export type Sender = ReturnType<typeof createSender>;
