import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { NodeContext } from '../../../context.ts';
import { errorResponses, ProblemSchema, pageQuery, pageResponses } from '../../schemas.ts';
import { actorOf, IdParams } from './request-access.ts';

/** The in-app notifications of the signed-in officer (deadlines, emergency approvals, preservation). */
export function notificationRoutes(app: FastifyInstance, ctx: NodeContext): void {
  app.get(
    '/api/v1/notifications',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['requests'],
        summary: 'Notifications addressed to me or to one of my roles, newest first',
        querystring: Type.Object(
          {
            unread: Type.Optional(Type.Boolean()),
            ...pageQuery(Type.String({ format: 'uuid' })),
          },
          { additionalProperties: false },
        ),
        response: pageResponses,
      },
    },
    async (request) => ctx.requests.notifications.list(actorOf(request), request.query as never),
  );
  app.post(
    '/api/v1/notifications/:id/read',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['requests'],
        summary: 'Mark a notification as read',
        params: IdParams,
        response: { 204: Type.Null(), 404: ProblemSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      await ctx.requests.notifications.markRead(actorOf(request), (request.params as { id: string }).id);
      return reply.status(204).send();
    },
  );
}
