import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { NodeContext } from '../../../context.ts';
import { REQUEST_TYPES } from '../../../domain/codes.ts';
import { REQUEST_TYPE_LABELS, UNCC_ARTICLES } from '../../../domain/legal-basis/index.ts';
import { withSections } from '../../../domain/requests/form-sections.ts';
import { INTRUSIVE_TYPES, REQUEST_SCHEMAS } from '../../../domain/requests/index.ts';
import { errorResponses } from '../../schemas.ts';

/** GET /api/v1/request-types: the JSON schema of each type, so a form can be built from it. */
export function requestTypesRoute(app: FastifyInstance, _ctx: NodeContext): void {
  const answer = REQUEST_TYPES.map((type) => ({
    type,
    label: REQUEST_TYPE_LABELS[type],
    article: UNCC_ARTICLES[type],
    intrusive: INTRUSIVE_TYPES.includes(type),
    // Each field says in which section of the composer it is asked (x-section).
    schema: withSections(REQUEST_SCHEMAS[type]),
  }));
  app.get(
    '/api/v1/request-types',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['requests'],
        summary:
          'Every request type with its JSON schema; each field names its article in x-article and its form section in x-section',
        response: { 200: Type.Array(Type.Unknown()), ...errorResponses },
      },
    },
    async () => answer,
  );
}
