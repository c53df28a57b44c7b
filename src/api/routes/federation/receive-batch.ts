import type { FastifyError, FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { NodeContext } from '../../../context.ts';
import { PeerEnvelopeError, PeerTooLargeError } from '../../../federation/federation-errors.ts';
import { BATCHES_PATH } from '../../../federation/sender-worker.ts';
import { sendProblem } from '../../problem.ts';
import { ProblemSchema } from '../../schemas.ts';
import { JOSE_MEDIA_TYPE } from './receive-message.ts';

/**
 * POST /federation/v1/batches: a peer node delivers several messages at once. Public at the HTTP
 * level like the single inbox: each message inside is signed by the sender's key from the directory,
 * and the batch is encrypted to this node's key. One message refused does not refuse the others.
 */
export async function receiveBatchRoute(app: FastifyInstance, ctx: NodeContext): Promise<void> {
  const limit = ctx.federation.options.maxMessageBytes;
  await app.register(async (scope) => {
    scope.addContentTypeParser(JOSE_MEDIA_TYPE, { parseAs: 'string', bodyLimit: limit }, (_req, body, done) =>
      done(null, body),
    );
    scope.post(
      BATCHES_PATH,
      {
        bodyLimit: limit,
        config: { access: 'public' },
        schema: {
          tags: ['federation'],
          summary: 'Deliver a batch of signed messages from a peer node in one encrypted envelope',
          description:
            "The body is a compact JWE (ECDH-ES X25519, A256GCM, typ hanoi247-batch+jwe) to this node's key whose plaintext is { messages: [compact JWS, ...] }, each message signed as for POST /federation/v1/messages. The answer is one signed batch receipt listing, in order, each message id with the SHA-256 of its JWS and its outcome: accepted, duplicate (received before, not applied again) or refused (with the refusal code). Refusals of the whole batch: ERR_PEER_ENVELOPE, ERR_PEER_UNKNOWN, ERR_PEER_RECIPIENT, ERR_PEER_TOO_LARGE.",
          response: {
            200: Type.Object({ receipt: Type.String() }),
            400: ProblemSchema,
            401: ProblemSchema,
            413: ProblemSchema,
            415: ProblemSchema,
          },
        },
        errorHandler: async (error: FastifyError, request, reply) => {
          let mapped: unknown = error;
          if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') mapped = new PeerTooLargeError(limit);
          else if (
            error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ||
            error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
          )
            mapped = new PeerEnvelopeError(`A batch is sent as ${JOSE_MEDIA_TYPE} (a compact JWE).`);
          if (error.code?.startsWith('FST_ERR_CTP')) {
            await ctx.federation.inbox.recordRefusal(
              mapped,
              { type: 'batch' },
              `unread:${error.code}`,
              ctx.clock.now(),
            );
            return sendProblem(mapped, request, reply);
          }
          return sendProblem(error, request, reply);
        },
      },
      async (request) => {
        const body = request.body;
        if (typeof body !== 'string' || body.length === 0) {
          const refusal = new PeerEnvelopeError('The body is empty: a batch is a compact JWE.');
          await ctx.federation.inbox.recordRefusal(refusal, { type: 'batch' }, 'empty', ctx.clock.now());
          throw refusal;
        }
        const { receipt } = await ctx.federation.inbox.receiveBatch(body.trim());
        return { receipt };
      },
    );
  });
}
