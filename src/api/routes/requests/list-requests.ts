import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { NodeContext } from '../../../context.ts';
import { REQUEST_TYPES, URGENCIES } from '../../../domain/codes.ts';
import { REQUEST_STATES } from '../../../domain/requests/index.ts';
import { pageQuery, pageResponses } from '../../schemas.ts';
import { actorOf, REQUEST_READERS } from './request-access.ts';

/** GET /api/v1/requests: filtered, newest first, a page at a time. */
export function listRequestsRoute(app: FastifyInstance, ctx: NodeContext): void {
  app.get(
    '/api/v1/requests',
    {
      config: { access: REQUEST_READERS },
      schema: {
        tags: ['requests'],
        summary: 'List requests by type, status, partner State, urgency, overdue or assigned officer',
        querystring: Type.Object(
          {
            type: Type.Optional(Type.Enum(REQUEST_TYPES)),
            status: Type.Optional(Type.Enum(REQUEST_STATES)),
            partnerState: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$' })),
            urgency: Type.Optional(Type.Enum(URGENCIES)),
            direction: Type.Optional(Type.Enum(['OUTGOING', 'INCOMING'])),
            assignedTo: Type.Optional(Type.String({ description: "a username, a user id, or 'me'" })),
            caseReference: Type.Optional(Type.String()),
            overdue: Type.Optional(Type.Boolean()),
            exercise: Type.Optional(
              Type.String({
                format: 'uuid',
                description: "only this exercise's requests; without it, real requests only",
              }),
            ),
            ...pageQuery(),
          },
          { additionalProperties: false },
        ),
        response: pageResponses,
      },
    },
    async (request) => ctx.requests.list(request.query as never, actorOf(request)),
  );
}
