import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { NodeContext } from '../../../context.ts';
import { errorResponses, ProblemSchema } from '../../schemas.ts';
import { actorOf, IdParams, REQUEST_ACTORS } from './request-access.ts';

/** POST /api/v1/requests/:id/transitions: one step of the life cycle. */
export function transitionRequestRoute(app: FastifyInstance, ctx: NodeContext): void {
  app.post(
    '/api/v1/requests/:id/transitions',
    {
      config: { access: REQUEST_ACTORS },
      schema: {
        tags: ['requests'],
        summary: 'Take a step of the life cycle (submit, approve, send, acknowledge, refuse, ...)',
        description:
          'Each action names the roles allowed to take it. 409 answers an action not possible from the current state and lists the allowed next steps; a refusal needs `ground` and `reason`, a postponement `reason` and `until`; the drafter cannot approve (four eyes). With a partner without a node, `means` (and `reference`) record that the printed request was sent, or its answer received, by hand.',
        params: IdParams,
        body: Type.Object(
          {
            action: Type.String({ minLength: 1, maxLength: 64 }),
            reason: Type.Optional(Type.String({ maxLength: 8000 })),
            ground: Type.Optional(Type.String({ maxLength: 64 })),
            until: Type.Optional(Type.String({ maxLength: 64 })),
            message: Type.Optional(Type.String({ maxLength: 8000 })),
            assignee: Type.Optional(Type.String({ maxLength: 100 })),
            conditions: Type.Optional(Type.Array(Type.String({ maxLength: 2000 }), { maxItems: 20 })),
            means: Type.Optional(Type.String({ maxLength: 32 })),
            reference: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            expectedVersion: Type.Optional(Type.Integer({ minimum: 1 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Unknown(), 404: ProblemSchema, 409: ProblemSchema, ...errorResponses },
      },
    },
    async (request) =>
      ctx.requests.transition(
        actorOf(request),
        (request.params as { id: string }).id,
        request.body as Record<string, unknown>,
      ),
  );
}
