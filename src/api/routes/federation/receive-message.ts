import type { FastifyError, FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { NodeContext } from '../../../context.ts';
import { PeerEnvelopeError, PeerTooLargeError } from '../../../federation/federation-errors.ts';
import { MESSAGES_PATH } from '../../../federation/sender-worker.ts';
import { sendProblem } from '../../problem.ts';
import { ProblemSchema } from '../../schemas.ts';

export const JOSE_MEDIA_TYPE = 'application/jose';

/**
 * POST /federation/v1/messages: a peer node delivers one message. Public at the HTTP level because
 * the caller is a node, not a user: the envelope itself authenticates it (signature by a key the
 * directory lists for the sender, encryption to this node's key).
 */
export async function receiveMessageRoute(app: FastifyInstance, ctx: NodeContext): Promise<void> {
  const limit = ctx.federation.options.maxMessageBytes;
  // Encapsulated: the compact-JWE parser and the larger body limit hold for this route only.
  await app.register(async (scope) => {
    scope.addContentTypeParser(JOSE_MEDIA_TYPE, { parseAs: 'string', bodyLimit: limit }, (_req, body, done) =>
      done(null, body),
    );
    scope.post(
      MESSAGES_PATH,
      {
        bodyLimit: limit,
        config: { access: 'public' },
        schema: {
          tags: ['federation'],
          summary: 'Deliver a signed and encrypted message from a peer node (compact JWE, application/jose)',
          description:
            "The body is a compact JWE (ECDH-ES X25519, A256GCM) to this node's key, holding a compact JWS (EdDSA) by the sender's key from the directory. The answer is a signed delivery receipt; a message already received answers the same receipt. Refusals: ERR_PEER_ENVELOPE, ERR_PEER_SIGNATURE, ERR_PEER_UNKNOWN, ERR_PEER_HEADER, ERR_PEER_RECIPIENT, ERR_PEER_EXPIRED, ERR_PEER_CLOCK_SKEW, ERR_PEER_REPLAY, ERR_PEER_OUT_OF_ORDER, ERR_PEER_PROTOCOL, ERR_PEER_TOO_LARGE.",
          response: {
            200: Type.Object({ receipt: Type.String(), duplicate: Type.Boolean() }),
            400: ProblemSchema,
            401: ProblemSchema,
            409: ProblemSchema,
            413: ProblemSchema,
            415: ProblemSchema,
            422: ProblemSchema,
          },
        },
        // Refusals before the handler (too large, wrong media type) are audited like the others.
        errorHandler: async (error: FastifyError, request, reply) => {
          let mapped: unknown = error;
          if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') mapped = new PeerTooLargeError(limit);
          else if (
            error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ||
            error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
          )
            mapped = new PeerEnvelopeError(`A message is sent as ${JOSE_MEDIA_TYPE} (a compact JWE).`);
          if (error.code?.startsWith('FST_ERR_CTP')) {
            await ctx.federation.inbox.recordRefusal(mapped, {}, `unread:${error.code}`, ctx.clock.now());
            return sendProblem(mapped, request, reply);
          }
          return sendProblem(error, request, reply);
        },
      },
      async (request) => {
        const body = request.body;
        if (typeof body !== 'string' || body.length === 0) {
          const refusal = new PeerEnvelopeError('The body is empty: a message is a compact JWE.');
          await ctx.federation.inbox.recordRefusal(refusal, {}, 'empty', ctx.clock.now());
          throw refusal;
        }
        return ctx.federation.inbox.receive(body.trim());
      },
    );
  });
}
