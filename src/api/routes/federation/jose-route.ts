// The shape both federation inbox routes share: a compact JWE posted as application/jose by a peer
// node, under the inbox's own body limit, with every refusal made before the handler (too large,
// wrong media type, empty) audited like the refusals the inbox makes itself.
import type { FastifyError, FastifyInstance } from 'fastify';
import type { TSchema } from 'typebox';
import type { NodeContext } from '../../../context.ts';
import { PeerEnvelopeError, PeerTooLargeError } from '../../../federation/federation-errors.ts';
import type { Known } from '../../../federation/inbox-checks.ts';
import { refusalBudgetSpent } from '../../../federation/refusal-ledger.ts';
import { sendProblem } from '../../problem.ts';

export const JOSE_MEDIA_TYPE = 'application/jose';

export type JoseRoute = {
  path: string;
  /** What the body carries, for error messages: 'message' or 'batch'. */
  noun: string;
  /** What is known of a refusal made before the body is read, for its audit entry. */
  known: Known;
  summary: string;
  description: string;
  response: Record<number, TSchema>;
  handle(jwe: string, source: { address: string }): Promise<unknown>;
};

export async function joseRoute(app: FastifyInstance, ctx: NodeContext, route: JoseRoute): Promise<void> {
  const limit = ctx.federation.options.maxMessageBytes;
  const { inbox } = ctx.federation;
  const refuse = (refusal: unknown, bodySha256: string, address: string) =>
    inbox.recordRefusal(refusal, route.known, bodySha256, ctx.clock.now(), { address });
  // Counted refusals are audited as a summary once their window ends, and all of them at shutdown.
  const flush = setInterval(() => void inbox.flushEndedRefusals(), 60_000);
  flush.unref();
  app.addHook('onClose', async () => {
    clearInterval(flush);
    await inbox.flushRefusals();
  });
  // Encapsulated: the compact-JWE parser and the larger body limit hold for this route only.
  await app.register(async (scope) => {
    scope.addContentTypeParser(JOSE_MEDIA_TYPE, { parseAs: 'string', bodyLimit: limit }, (_req, body, done) =>
      done(null, body),
    );
    scope.post(
      route.path,
      {
        bodyLimit: limit,
        config: { access: 'public' },
        // An address refused too often is answered 429 before its body is read or opened.
        onRequest: async (request) => {
          const wait = inbox.admit(request.ip);
          if (wait > 0) throw refusalBudgetSpent(wait);
        },
        schema: {
          tags: ['federation'],
          summary: route.summary,
          description: route.description,
          response: route.response,
        },
        errorHandler: async (error: FastifyError, request, reply) => {
          let mapped: unknown = error;
          if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') mapped = new PeerTooLargeError(limit);
          else if (
            error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ||
            error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
          )
            mapped = new PeerEnvelopeError(`A ${route.noun} is sent as ${JOSE_MEDIA_TYPE} (a compact JWE).`);
          if (error.code?.startsWith('FST_ERR_CTP'))
            return sendProblem(await refuse(mapped, `unread:${error.code}`, request.ip), request, reply);
          return sendProblem(error, request, reply);
        },
      },
      async (request) => {
        const body = request.body;
        if (typeof body !== 'string' || body.length === 0) {
          const refusal = new PeerEnvelopeError(`The body is empty: a ${route.noun} is a compact JWE.`);
          throw await refuse(refusal, 'empty', request.ip);
        }
        return route.handle(body.trim(), { address: request.ip });
      },
    );
  });
}
