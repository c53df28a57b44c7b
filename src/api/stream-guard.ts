// A long-lived stream must stop once the credentials that opened it no longer hold: signed out, the
// session or token revoked, the account disabled or its roles changed. The guard asks the auth
// service again before every write, at once when this node revokes anything, and every few seconds
// (for a revocation made by another replica, seen once its principal cache entry expires).
import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { errorCodes, type FastifyRequest } from 'fastify';
import type { Principal } from '../auth/principal.ts';
import type { NodeContext } from '../context.ts';
import { UnauthenticatedError } from '../shared/errors.ts';
import { authenticate } from './plugins/access-control.ts';

/** How often an idle stream re-checks its credentials. */
export const RECHECK_MS = 5_000;

/** The principal the same credentials give now (null once revoked, expired or signed out). */
export async function principalNow(ctx: NodeContext, request: FastifyRequest): Promise<Principal | null> {
  return authenticate(request, ctx.auth).catch(() => null);
}

/** True while the principal still carries one of `roles`. */
const holds = (principal: Principal | null, roles: readonly string[]) =>
  principal?.roles.some((r) => roles.includes(r)) ?? false;

/** Calls `check` every `recheckMs` and at once whenever this node revokes anything; answers the stop. */
function recheckOn(ctx: NodeContext, recheckMs: number, check: () => void): () => void {
  const timer = setInterval(check, recheckMs);
  timer.unref();
  const offRevocation = ctx.auth.onRevocation(check);
  return () => {
    clearInterval(timer);
    offRevocation();
  };
}

export type StreamGuard = {
  /** Runs `write` with the current principal once its credentials are checked, in call order. */
  send(write: (principal: Principal) => void): void;
  stop(): void;
};

export function guardStream(
  ctx: NodeContext,
  request: FastifyRequest,
  res: ServerResponse,
  allowed: (principal: Principal | null) => boolean,
  recheckMs = RECHECK_MS,
): StreamGuard {
  // One chain per stream keeps writes in order while each waits for its credential check.
  let chain: Promise<void> = Promise.resolve();
  const current = async (): Promise<Principal | null> => {
    if (res.writableEnded) return null;
    const principal = await principalNow(ctx, request).catch(() => null);
    if (principal && allowed(principal)) return principal;
    // An ended session is told so, then closed; the desk asks to sign in again.
    if (!res.writableEnded) res.end('event: end\ndata: {"reason":"signed-out"}\n\n');
    return null;
  };
  const send = (write: (principal: Principal) => void) => {
    chain = chain.then(async () => {
      const principal = await current();
      if (principal && !res.writableEnded) write(principal);
    });
  };
  return { send, stop: recheckOn(ctx, recheckMs, () => send(() => {})) };
}

/**
 * A request body that stops once the credentials that send it no longer hold (or no longer carry one
 * of `roles`): checked as its chunks arrive, at most every `recheckMs`, and at the next chunk after
 * this node revokes anything. An upload of many gigabytes is a long-lived stream too; the bytes
 * received before the stop stay (a resumable upload), and only its owner may resume it.
 */
export async function* guardBody(
  ctx: NodeContext,
  request: FastifyRequest,
  body: AsyncIterable<Uint8Array>,
  roles: readonly string[],
  recheckMs = RECHECK_MS,
): AsyncGenerator<Uint8Array> {
  let revoked = false;
  // The first chunk is checked too: a revocation may land between the route's check and the body.
  let checkedAt = Number.NEGATIVE_INFINITY;
  const offRevocation = ctx.auth.onRevocation(() => {
    revoked = true;
  });
  try {
    for await (const chunk of body) {
      if (revoked || Date.now() - checkedAt >= recheckMs) {
        revoked = false;
        checkedAt = Date.now();
        const principal = await principalNow(ctx, request).catch(() => null);
        if (!holds(principal, roles))
          throw new UnauthenticatedError(
            'The credentials that sent this upload were revoked, signed out or lost the role: it stopped here.',
          );
      }
      yield chunk;
    }
  } finally {
    offRevocation();
  }
}

/**
 * A response body of many gigabytes (an evidence item, a hand-delivery archive) that stops once the
 * credentials that asked for it no longer hold (or no longer carry one of `roles`): checked every
 * `recheckMs` and at once after this node revokes anything, whether or not the reader is taking
 * bytes. No status can follow bytes already sent, so the connection is cut: the reader sees the
 * transfer fail, never a complete file.
 */
export function guardDownload<S extends Readable>(
  ctx: NodeContext,
  request: FastifyRequest,
  body: S,
  roles: readonly string[],
  recheckMs = RECHECK_MS,
): S {
  // One check at a time, in order: a revocation during a check is checked again after it.
  let chain: Promise<void> = Promise.resolve();
  const check = () => {
    chain = chain.then(async () => {
      if (body.destroyed) return;
      const principal = await principalNow(ctx, request).catch(() => null);
      if (holds(principal, roles) || body.destroyed) return;
      request.log.info({ url: request.url }, 'download stopped: its credentials no longer hold');
      body.destroy(
        new UnauthenticatedError(
          'The credentials that asked for this download were revoked, signed out or lost the role: it stopped here.',
        ),
      );
    });
  };
  body.once('close', recheckOn(ctx, recheckMs, check));
  return body;
}

/**
 * A request body read whole before it is answered (a bulk check of 100,000 lines, sent as slowly as
 * its client likes) that stops once the credentials sending it no longer hold (or no longer carry one
 * of `roles`): checked when it starts, every `recheckMs` and at once after this node revokes anything,
 * even while no byte arrives, and once more when it is complete. A stop rejects with 401 and reads no
 * more: the route answers the 401 and nothing of the body. Past `limit` bytes it rejects with 413.
 */
export function readGuardedText(
  ctx: NodeContext,
  request: FastifyRequest,
  body: Readable,
  roles: readonly string[],
  limit: number,
  recheckMs = RECHECK_MS,
): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    let chain: Promise<void> = Promise.resolve();
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      stopChecks();
      body.off('data', onData);
      if (!error) return resolve(Buffer.concat(chunks, size).toString('utf8'));
      // Read no more: the answer goes out and the connection closes with the rest unread.
      body.pause();
      reject(error);
    };
    const check = () => {
      chain = chain.then(async () => {
        if (settled) return;
        if (holds(await principalNow(ctx, request), roles)) return;
        request.log.info({ url: request.url }, 'upload stopped: its credentials no longer hold');
        finish(
          new UnauthenticatedError(
            'The credentials that sent this body were revoked, signed out or lost the role: it stopped here.',
          ),
        );
      });
    };
    const onData = (chunk: Buffer | string) => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += bytes.length;
      if (size > limit) return finish(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
      chunks.push(bytes);
    };
    // A length announced past the limit is refused before a byte is read.
    if (Number(request.headers['content-length'] ?? 0) > limit)
      return reject(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
    const stopChecks = recheckOn(ctx, recheckMs, check);
    check();
    let ended = false;
    body.on('data', onData);
    body.on('error', (error) => finish(error));
    // A client gone before the end: stop checking (nobody is left to answer).
    body.once('close', () => {
      if (!ended) finish(new Error('the client closed the connection before the body ended'));
    });
    body.once('end', () => {
      ended = true;
      check();
      void chain.then(() => finish());
    });
  });
}
