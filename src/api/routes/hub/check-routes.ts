import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { NodeContext } from '../../../context.ts';
import type { IndicatorType } from '../../../domain/indicators/index.ts';
import { MAX_BULK_CHECK } from '../../../hub/check-service.ts';
import { errorResponses, ProblemSchema } from '../../schemas.ts';
import { viewerOf } from './alert-routes.ts';
import {
  BULK_BODY_LIMIT,
  bulkCheckRoute,
  guardedText,
  LINES,
  NDJSON,
  TooManyValuesError,
} from './bulk-check-route.ts';
import { HUB_ROLES, IndicatorTypeSchema, MatchSchema } from './hub-schemas.ts';

/** "Is this value known?" — one value, a bulk list (JSON or NDJSON streamed back), and privacy mode. */
export function checkRoutes(app: FastifyInstance, ctx: NodeContext): void {
  const { check } = ctx.hub;
  // A bulk list may stream in for minutes: it stops within seconds once its credentials are revoked.
  app.addContentTypeParser(NDJSON, guardedText(ctx));

  app.get(
    '/api/v1/hub/check',
    {
      config: { access: HUB_ROLES },
      schema: {
        tags: ['hub'],
        summary: 'Check one value: the alerts you may read that name it (active and within their validity)',
        querystring: Type.Object({
          type: IndicatorTypeSchema,
          value: Type.String({
            minLength: 1,
            maxLength: 8192,
            description: 'URL-encoded: a phone number +84… is sent as %2B84…',
          }),
          country: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$', description: 'for national numbers' })),
        }),
        response: {
          200: Type.Object({ type: Type.String(), value: Type.String(), matches: Type.Array(MatchSchema) }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const q = request.query as { type: IndicatorType; value: string; country?: string };
      return check.checkOne(viewerOf(ctx, request), q.type, q.value, q.country);
    },
  );

  // The lean body (text/plain) is read here only: elsewhere the API answers text/plain with 415.
  app.register(async (scope) => {
    scope.addContentTypeParser(LINES, guardedText(ctx));
    bulkCheckRoute(scope, ctx);
  });

  app.post(
    '/api/v1/hub/check/hashed',
    {
      config: { access: HUB_ROLES },
      bodyLimit: BULK_BODY_LIMIT,
      schema: {
        tags: ['hub'],
        summary:
          'Privacy mode: send HMAC-SHA-256 (hex) of each normalised value under the sharing group key; only matches come back',
        body: Type.Object(
          {
            groupId: Type.String({ format: 'uuid' }),
            items: Type.Array(
              Type.Object({ type: Type.String(), hash: Type.String() }, { additionalProperties: false }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            checked: Type.Integer(),
            matches: Type.Array(
              Type.Object({
                i: Type.Integer(),
                type: Type.String(),
                hash: Type.String(),
                matches: Type.Array(MatchSchema),
              }),
            ),
          }),
          413: ProblemSchema,
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const body = request.body as { groupId: string; items: { type: string; hash: string }[] };
      if (body.items.length > MAX_BULK_CHECK) throw new TooManyValuesError(body.items.length);
      return check.checkKeyed(viewerOf(ctx, request), body.groupId, body.items);
    },
  );
}
