import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { NodeContext } from '../../../context.ts';
import { answerLegalBasis } from '../../../legal-basis/legal-basis-query.ts';
import { errorResponses } from '../../schemas.ts';

/** Which treaty, if any, carries a request between two States on a date, and is the offence in scope. */
export function legalBasisRoutes(app: FastifyInstance, ctx: NodeContext): void {
  app.get(
    '/api/v1/legal-basis',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['directory'],
        summary:
          'Every candidate legal basis for a request between two States on a date, with the reason each applies or not',
        querystring: Type.Object({
          requesting: Type.String({ pattern: '^[A-Za-z]{2}$' }),
          requested: Type.String({ pattern: '^[A-Za-z]{2}$' }),
          date: Type.String({ description: 'YYYY-MM-DD' }),
          type: Type.String({ description: 'request type, e.g. preservation' }),
          offences: Type.Optional(
            Type.Array(Type.String(), { description: 'offence codes, optionally CODE:maxPenaltyMonths' }),
          ),
        }),
        response: { 200: Type.Unknown(), ...errorResponses },
      },
    },
    async (request) => {
      const { document } = await ctx.directory.current();
      return answerLegalBasis(document, request.query as never);
    },
  );
}
