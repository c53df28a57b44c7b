import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { NodeContext } from '../../../context.ts';
import type { IndicatorType } from '../../../domain/indicators/index.ts';
import { MAX_BULK_CHECK } from '../../../hub/check-service.ts';
import { AppError, ValidationError } from '../../../shared/errors.ts';
import { errorResponses, ProblemSchema } from '../../schemas.ts';
import { viewerOf } from './alert-routes.ts';
import { CheckItemResultSchema, HUB_ROLES, IndicatorTypeSchema, MatchSchema } from './hub-schemas.ts';

export const NDJSON = 'application/x-ndjson';
const BULK_BODY_LIMIT = 64 * 1024 * 1024;

class TooManyValuesError extends AppError {
  constructor(count: number) {
    super(
      'ERR_TOO_MANY_VALUES',
      413,
      `A bulk check takes at most ${MAX_BULK_CHECK.toLocaleString('en')} values; this request has ${count.toLocaleString('en')}. Split it.`,
      { limit: MAX_BULK_CHECK, received: count },
    );
  }
}

/** Reads an NDJSON body: one {"type","value"} object per line; blank lines are skipped. */
function parseNdjson(text: string): { type: unknown; value: unknown }[] {
  const items: { type: unknown; value: unknown }[] = [];
  let line = 0;
  for (const raw of text.split('\n')) {
    line++;
    const trimmed = raw.trim();
    if (!trimmed) continue;
    if (items.length >= MAX_BULK_CHECK) throw new TooManyValuesError(items.length + 1);
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      throw new ValidationError([{ field: `body/line ${line}`, message: 'is not a JSON object' }]);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new ValidationError([
        { field: `body/line ${line}`, message: 'must be an object {"type","value"}' },
      ]);
    items.push(parsed as { type: unknown; value: unknown });
  }
  return items;
}

/** "Is this value known?" — one value, a bulk list (JSON or NDJSON streamed back), and privacy mode. */
export function checkRoutes(app: FastifyInstance, ctx: NodeContext): void {
  const { check } = ctx.hub;
  app.addContentTypeParser(NDJSON, { parseAs: 'string', bodyLimit: BULK_BODY_LIMIT }, (_req, body, done) =>
    done(null, body),
  );

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

  app.post(
    '/api/v1/hub/check',
    {
      config: { access: HUB_ROLES },
      bodyLimit: BULK_BODY_LIMIT,
      schema: {
        tags: ['hub'],
        summary: `Check up to ${MAX_BULK_CHECK} values: a JSON array, or NDJSON (one {"type","value"} per line) answered as NDJSON, streamed`,
        querystring: Type.Object({ country: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$' })) }),
        body: {
          content: {
            'application/json': {
              schema: Type.Array(Type.Object({ type: Type.Unknown(), value: Type.Unknown() })),
            },
            [NDJSON]: { schema: Type.String() },
          },
        },
        response: {
          200: Type.Object({
            checked: Type.Integer(),
            matched: Type.Integer(),
            results: Type.Array(CheckItemResultSchema),
          }),
          413: ProblemSchema,
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const viewer = viewerOf(ctx, request);
      const country = (request.query as { country?: string }).country;
      const ndjson = typeof request.body === 'string';
      const items = ndjson
        ? parseNdjson(request.body as string)
        : (request.body as { type: unknown; value: unknown }[]);
      if (items.length > MAX_BULK_CHECK) throw new TooManyValuesError(items.length);
      const results = await check.checkMany(viewer, items, country);
      if (ndjson) {
        // Lines go out as they are answered, in chunks, so a big list starts arriving at once.
        const lines = (function* () {
          let chunk = '';
          for (const r of results) {
            chunk += `${JSON.stringify(r)}\n`;
            if (chunk.length >= 64 * 1024) {
              yield chunk;
              chunk = '';
            }
          }
          if (chunk) yield chunk;
        })();
        return reply.type(NDJSON).send(Readable.from(lines));
      }
      const all = [...results];
      return {
        checked: all.length,
        matched: all.filter((r) => 'matches' in r && r.matches.length > 0).length,
        results: all,
      };
    },
  );

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
