import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { NodeContext } from '../../../context.ts';
import { DRAFTER_ROLES } from '../../../domain/requests/index.ts';
import { errorResponses, ProblemSchema } from '../../schemas.ts';
import { actorOf, IdParams } from './request-access.ts';

/** PATCH /api/v1/requests/:id: change fields of a draft (null removes an optional field). */
export function updateDraftRoute(app: FastifyInstance, ctx: NodeContext): void {
  app.patch(
    '/api/v1/requests/:id',
    {
      config: { access: DRAFTER_ROLES },
      schema: {
        tags: ['requests'],
        summary: 'Edit a draft; the whole request is validated again and its legal basis resolved again',
        params: IdParams,
        body: Type.Object({}, { additionalProperties: true }),
        response: { 200: Type.Unknown(), 404: ProblemSchema, 409: ProblemSchema, ...errorResponses },
      },
    },
    async (request) =>
      ctx.requests.updateDraft(actorOf(request), (request.params as { id: string }).id, request.body),
  );
}
