import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { NodeContext } from '../../../context.ts';
import { noticeLanguage } from '../../../requests/notification-text.ts';
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
            lang: Type.Optional(
              Type.String({
                maxLength: 35,
                description: 'language of `text` (en, fr, vi, ar, zh, ru, es); else Accept-Language',
              }),
            ),
            ...pageQuery(Type.String({ format: 'uuid' })),
          },
          { additionalProperties: false },
        ),
        response: pageResponses,
      },
    },
    async (request) => {
      const query = request.query as { unread?: boolean; limit?: number; after?: string; lang?: string };
      // The reader's language: the desk's choice when it says so, else what the browser accepts.
      const accepted = (request.headers['accept-language'] ?? '')
        .split(',')
        .map((part) => part.split(';')[0]?.trim());
      const language = noticeLanguage([query.lang, ...accepted]);
      return ctx.requests.notifications.list(actorOf(request), { ...query, language });
    },
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
