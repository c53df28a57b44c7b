import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { NodeContext } from '../../../context.ts';
import { listCases } from '../../../requests/case-store.ts';
import { NotFoundError, ValidationError } from '../../../shared/errors.ts';
import { errorResponses, ProblemSchema, pageQuery, pageResponses } from '../../schemas.ts';
import { actorOf, REQUEST_READERS } from './request-access.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** GET /api/v1/cases and /api/v1/cases/:reference: cases and the requests they group. */
export function caseRoutes(app: FastifyInstance, ctx: NodeContext): void {
  app.get(
    '/api/v1/cases',
    {
      config: { access: REQUEST_READERS },
      schema: {
        tags: ['requests'],
        summary: 'Cases, newest first, with how many of their requests are still open',
        querystring: Type.Object(
          {
            prefix: Type.Optional(
              Type.String({ maxLength: 100, description: 'references starting with this' }),
            ),
            ...pageQuery(),
          },
          { additionalProperties: false },
        ),
        response: pageResponses,
      },
    },
    async (request) => {
      const q = request.query as { prefix?: string; after?: string; limit: number };
      if (q.after !== undefined && !UUID.test(q.after)) {
        throw new ValidationError([
          { field: 'querystring/after', message: 'must be the id of the last case of the previous page' },
        ]);
      }
      const items = await listCases(ctx.database.db, q);
      return { items, next: items.length === q.limit ? items[items.length - 1]!.id : null };
    },
  );

  app.get(
    '/api/v1/cases/:reference',
    {
      config: { access: REQUEST_READERS },
      schema: {
        tags: ['requests'],
        summary: 'One case and its requests, newest first',
        params: Type.Object({ reference: Type.String({ minLength: 1, maxLength: 100 }) }),
        response: { 200: Type.Unknown(), 404: ProblemSchema, ...errorResponses },
      },
    },
    async (request) => {
      const { reference } = request.params as { reference: string };
      const [found] = await listCases(ctx.database.db, { reference, limit: 1 });
      if (!found) throw new NotFoundError('Case', reference);
      const page = await ctx.requests.list({ caseReference: reference, limit: 500 }, actorOf(request));
      return { case: found, requests: page.items, next: page.next };
    },
  );
}
