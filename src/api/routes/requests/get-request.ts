import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { NodeContext } from '../../../context.ts';
import { withPeopleAndReasons } from '../../../requests/request-people.ts';
import { errorResponses, ProblemSchema } from '../../schemas.ts';
import { IdParams, REQUEST_READERS } from './request-access.ts';

/**
 * GET /api/v1/requests/:id: the request, its legal basis, deadline, next steps and timeline, with
 * who took each step (actorInfo) and the reasons as codes beside their English text.
 */
export function getRequestRoute(app: FastifyInstance, ctx: NodeContext): void {
  app.get(
    '/api/v1/requests/:id',
    {
      config: { access: REQUEST_READERS },
      schema: {
        tags: ['requests'],
        summary: 'One request with its timeline and the steps possible next',
        params: IdParams,
        response: { 200: Type.Unknown(), 404: ProblemSchema, ...errorResponses },
      },
    },
    async (request) =>
      withPeopleAndReasons(ctx.database.db, await ctx.requests.get((request.params as { id: string }).id)),
  );
}
