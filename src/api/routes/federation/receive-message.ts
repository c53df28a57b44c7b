import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { NodeContext } from '../../../context.ts';
import { MESSAGES_PATH } from '../../../federation/sender-worker.ts';
import { ProblemSchema } from '../../schemas.ts';
import { joseRoute } from './jose-route.ts';

/**
 * POST /federation/v1/messages: a peer node delivers one message. Public at the HTTP level because
 * the caller is a node, not a user: the envelope itself authenticates it (signature by a key the
 * directory lists for the sender, encryption to this node's key).
 */
export function receiveMessageRoute(app: FastifyInstance, ctx: NodeContext): Promise<void> {
  return joseRoute(app, ctx, {
    path: MESSAGES_PATH,
    noun: 'message',
    known: {},
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
    handle: (jwe, source) => ctx.federation.inbox.receive(jwe, source),
  });
}
