import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { NodeContext } from '../../../context.ts';
import { BATCHES_PATH } from '../../../federation/sender-worker.ts';
import { ProblemSchema } from '../../schemas.ts';
import { joseRoute } from './jose-route.ts';

/**
 * POST /federation/v1/batches: a peer node delivers several messages at once. Public at the HTTP
 * level like the single inbox: each message inside is signed by the sender's key from the directory,
 * and the batch is encrypted to this node's key. One message refused does not refuse the others.
 */
export function receiveBatchRoute(app: FastifyInstance, ctx: NodeContext): Promise<void> {
  return joseRoute(app, ctx, {
    path: BATCHES_PATH,
    noun: 'batch',
    known: { type: 'batch' },
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
    handle: async (jwe, source) => ({
      receipt: (await ctx.federation.inbox.receiveBatch(jwe, source)).receipt,
    }),
  });
}
