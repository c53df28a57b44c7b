import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { NodeContext } from '../../../context.ts';
import { MAX_PINGS } from '../../../federation/federation-service.ts';
import { errorResponses, ProblemSchema } from '../../schemas.ts';

const Count = Type.Integer();

/** Testing a link to a peer and watching the queues: what an administrator checks first. */
export function linkRoutes(app: FastifyInstance, ctx: NodeContext): void {
  app.post(
    '/api/v1/federation/ping',
    {
      config: { access: ['ADMIN'] },
      schema: {
        tags: ['federation'],
        summary: 'Queue reachability checks to a peer node: signed, encrypted and receipted like any message',
        body: Type.Object(
          {
            to: Type.String({ pattern: '^[A-Z]{2}$', description: "the peer's State (ISO 3166-1 alpha-2)" }),
            count: Type.Integer({ minimum: 1, maximum: MAX_PINGS, default: 1 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ queued: Type.Array(Type.String()) }), ...errorResponses },
      },
    },
    async (request) => {
      const body = request.body as { to: string; count: number };
      return ctx.federation.ping(request.principal!.userId, body.to, body.count);
    },
  );
  app.post(
    '/api/v1/federation/directory-refresh',
    {
      config: { access: ['ADMIN'] },
      schema: {
        tags: ['federation'],
        summary:
          'Fetch the signed directory published at HANOI247_DIRECTORY_URL now, and import it when it is newer',
        response: {
          200: Type.Object({
            version: Type.Integer(),
            unchanged: Type.Boolean(),
            publisherKid: Type.Union([Type.String(), Type.Null()]),
          }),
          502: ProblemSchema,
          ...errorResponses,
        },
      },
    },
    async (request) => ctx.directory.refresh(request.principal!.userId),
  );
  app.get(
    '/api/v1/federation/summary',
    {
      config: { access: ['ADMIN', 'AUDITOR'] },
      schema: {
        tags: ['federation'],
        summary: 'How many messages wait, were delivered or are dead; how many this node received',
        response: {
          200: Type.Object({
            outbox: Type.Object({ pending: Count, sent: Count, dead: Count, failing: Count }),
            inbox: Type.Object({ received: Count }),
          }),
          ...errorResponses,
        },
      },
    },
    async () => ctx.federation.summary(),
  );
}
