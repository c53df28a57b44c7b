import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { NodeContext } from '../../../context.ts';
import { errorResponses, ProblemSchema } from '../../schemas.ts';

const OutboxMessage = Type.Object(
  {
    id: Type.String(),
    recipient: Type.String(),
    type: Type.String(),
    requestId: Type.Union([Type.String(), Type.Null()]),
    seq: Type.Union([Type.Integer(), Type.Null()]),
    status: Type.String(),
    attempts: Type.Integer(),
    createdAt: Type.String(),
    expiresAt: Type.String(),
    nextAttemptAt: Type.String(),
    lastErrorCode: Type.Union([Type.String(), Type.Null()]),
    lastError: Type.Union([Type.String(), Type.Null()]),
    sentAt: Type.Union([Type.String(), Type.Null()]),
    receipt: Type.Union([Type.String(), Type.Null()]),
  },
  { additionalProperties: false },
);

const IdParams = Type.Object({
  id: Type.String({ pattern: '^[0-9a-fA-F-]{36}$' }),
});

/** The outbox as an administrator sees it: what is queued, what was delivered, what is dead. */
export function deadLetterRoutes(app: FastifyInstance, ctx: NodeContext): void {
  app.get(
    '/api/v1/federation/outbox',
    {
      config: { access: ['ADMIN', 'AUDITOR'] },
      schema: {
        tags: ['federation'],
        summary: 'Messages to peer nodes by status (pending, sent, dead), newest first; never their content',
        querystring: Type.Object({
          status: Type.Union([Type.Literal('pending'), Type.Literal('sent'), Type.Literal('dead')], {
            default: 'pending',
          }),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
        }),
        response: { 200: Type.Object({ items: Type.Array(OutboxMessage) }), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query as { status: 'pending' | 'sent' | 'dead'; limit?: number };
      return { items: await ctx.federation.listMessages(q.status, q.limit) };
    },
  );
  app.get(
    '/api/v1/federation/dead-letters',
    {
      config: { access: ['ADMIN'] },
      schema: {
        tags: ['federation'],
        summary: 'Messages the sender gave up on, with the last refusal or error',
        response: { 200: Type.Object({ items: Type.Array(OutboxMessage) }), ...errorResponses },
      },
    },
    async () => ({ items: await ctx.federation.listMessages('dead') }),
  );
  app.post(
    '/api/v1/federation/dead-letters/:id/retry',
    {
      config: { access: ['ADMIN'] },
      schema: {
        tags: ['federation'],
        summary: 'Send a dead letter again (its attempts start from zero)',
        params: IdParams,
        response: { 200: OutboxMessage, 404: ProblemSchema, 409: ProblemSchema, ...errorResponses },
      },
    },
    async (request) =>
      ctx.federation.retryDeadLetter(request.principal!.userId, (request.params as { id: string }).id),
  );
}
