import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { NodeContext } from '../../../context.ts';
import { errorResponses } from '../../schemas.ts';
import { actorOf, REQUEST_WRITERS } from './request-access.ts';

/** POST /api/v1/requests: a new outgoing draft, or an incoming request received off the network. */
export function createRequestRoute(app: FastifyInstance, ctx: NodeContext): void {
  app.post(
    '/api/v1/requests',
    {
      config: { access: REQUEST_WRITERS },
      schema: {
        tags: ['requests'],
        summary: 'Create a request draft (or register an incoming request) of one type',
        description:
          'The body is the request of the given `type` (schemas at GET /api/v1/request-types) plus an optional `direction` (OUTGOING by default). The legal basis is resolved from the directory; a missing field is reported with the article that requires it. `duplicates` warns of identifiers already named in an open request to the same State.',
        body: Type.Object({ type: Type.String() }, { additionalProperties: true }),
        response: { 201: Type.Unknown(), ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await ctx.requests.create(actorOf(request), request.body)),
  );
}
