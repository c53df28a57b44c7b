import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { NodeContext } from '../../../context.ts';
import type { PublishInput, ReportInput, UpdateInput } from '../../../hub/alert-service.ts';
import { alertState, type Viewer } from '../../../hub/hub-types.ts';
import { errorResponses } from '../../schemas.ts';
import {
  AlertKindSchema,
  AlertSchema,
  AlertSummarySchema,
  HUB_ROLES,
  IdParams,
  RawIndicatorSchema,
  RejectedSchema,
  ReportKindSchema,
  ReportSchema,
  TlpSchema,
} from './hub-schemas.ts';

const PublishResult = Type.Object({
  alert: AlertSchema,
  accepted: Type.Integer(),
  rejected: Type.Array(RejectedSchema, { description: 'values that did not parse, each with its error' }),
});

export function viewerOf(ctx: NodeContext, request: FastifyRequest): Viewer {
  return ctx.hub.membership.viewerFor(request.principal!);
}

/** Alerts: publish, read, update, revoke, expire, sightings and false-positive reports. */
export function alertRoutes(app: FastifyInstance, ctx: NodeContext): void {
  const { alerts } = ctx.hub;

  app.post(
    '/api/v1/hub/alerts',
    {
      config: { access: HUB_ROLES },
      bodyLimit: 32 * 1024 * 1024,
      schema: {
        tags: ['hub'],
        summary: 'Publish an alert with its indicators; values that do not parse are reported, the rest kept',
        body: Type.Object(
          {
            kind: AlertKindSchema,
            title: Type.String({ minLength: 1, maxLength: 300 }),
            description: Type.Optional(Type.String({ maxLength: 20000 })),
            confidence: Type.Integer({ minimum: 0, maximum: 100 }),
            tlp: TlpSchema,
            groupId: Type.String({ format: 'uuid' }),
            recipientOrgIds: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { maxItems: 500 })),
            validFrom: Type.Optional(Type.String({ format: 'date-time' })),
            validUntil: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()])),
            defaultCountry: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$' })),
            indicators: Type.Array(RawIndicatorSchema, { minItems: 1 }),
          },
          { additionalProperties: false },
        ),
        response: { 201: PublishResult, ...errorResponses },
      },
    },
    async (request, reply) => {
      const result = await alerts.publish(viewerOf(ctx, request), request.body as PublishInput);
      return reply.status(201).send(result);
    },
  );

  app.get(
    '/api/v1/hub/alerts',
    {
      config: { access: HUB_ROLES },
      schema: {
        tags: ['hub'],
        summary: 'The alerts you may read under TLP, newest first',
        querystring: Type.Object({
          state: Type.Optional(
            Type.Union(['active', 'pending', 'expired', 'revoked'].map((s) => Type.Literal(s))),
          ),
          groupId: Type.Optional(Type.String({ format: 'uuid' })),
          limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
          after: Type.Optional(Type.String({ description: 'the last id of the previous page' })),
        }),
        response: {
          200: Type.Object({
            items: Type.Array(AlertSummarySchema),
            next: Type.Union([Type.String(), Type.Null()]),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const q = request.query as { state?: string; groupId?: string; limit: number; after?: string };
      const all = alerts.visibleMetas(viewerOf(ctx, request), q);
      const start = q.after ? all.findIndex((m) => m.id === q.after) + 1 : 0;
      const page = all.slice(start, start + q.limit);
      const now = ctx.clock.now();
      return {
        items: page.map((m) => ({
          ...m,
          recipientOrgIds: undefined,
          state: alertState(m, now),
          validFrom: m.validFrom.toISOString(),
          validUntil: m.validUntil?.toISOString() ?? null,
          createdAt: m.createdAt.toISOString(),
          updatedAt: m.updatedAt.toISOString(),
        })),
        next: start + q.limit < all.length ? page[page.length - 1]!.id : null,
      };
    },
  );

  app.get(
    '/api/v1/hub/alerts/:id',
    {
      config: { access: HUB_ROLES },
      schema: {
        tags: ['hub'],
        summary: 'One alert with its indicators and the feedback you may see',
        params: IdParams,
        response: { 200: AlertSchema, ...errorResponses },
      },
    },
    async (request) => alerts.view(viewerOf(ctx, request), (request.params as { id: string }).id),
  );

  app.patch(
    '/api/v1/hub/alerts/:id',
    {
      config: { access: HUB_ROLES },
      bodyLimit: 32 * 1024 * 1024,
      schema: {
        tags: ['hub'],
        summary: 'Change an alert (publishing organisation only): a new version',
        params: IdParams,
        body: Type.Object(
          {
            title: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
            description: Type.Optional(Type.String({ maxLength: 20000 })),
            confidence: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
            tlp: Type.Optional(TlpSchema),
            recipientOrgIds: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { maxItems: 500 })),
            validUntil: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()])),
            defaultCountry: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$' })),
            addIndicators: Type.Optional(Type.Array(RawIndicatorSchema)),
            removeIndicatorIds: Type.Optional(Type.Array(Type.String({ format: 'uuid' }))),
          },
          { additionalProperties: false },
        ),
        response: { 200: PublishResult, ...errorResponses },
      },
    },
    async (request) =>
      alerts.update(
        viewerOf(ctx, request),
        (request.params as { id: string }).id,
        request.body as UpdateInput,
      ),
  );

  app.post(
    '/api/v1/hub/alerts/:id/revoke',
    {
      config: { access: HUB_ROLES },
      schema: {
        tags: ['hub'],
        summary: 'Revoke an alert (publishing organisation only): it stops matching at once',
        params: IdParams,
        body: Type.Object(
          { reason: Type.Optional(Type.String({ maxLength: 2000 })) },
          { additionalProperties: false },
        ),
        response: { 200: AlertSchema, ...errorResponses },
      },
    },
    async (request) =>
      alerts.revoke(
        viewerOf(ctx, request),
        (request.params as { id: string }).id,
        (request.body as { reason?: string }).reason ?? '',
      ),
  );

  app.post(
    '/api/v1/hub/alerts/:id/expire',
    {
      config: { access: HUB_ROLES },
      schema: {
        tags: ['hub'],
        summary: 'End the validity window now (publishing organisation only)',
        params: IdParams,
        response: { 200: PublishResult, ...errorResponses },
      },
    },
    async (request) => alerts.expire(viewerOf(ctx, request), (request.params as { id: string }).id),
  );

  app.post(
    '/api/v1/hub/alerts/:id/sightings',
    {
      config: { access: HUB_ROLES },
      schema: {
        tags: ['hub'],
        summary: 'Report a sighting ("we blocked 14 transfers") or a false positive; the publisher sees it',
        params: IdParams,
        body: Type.Object(
          {
            kind: Type.Optional(ReportKindSchema),
            indicatorId: Type.Optional(Type.String({ format: 'uuid' })),
            count: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000_000 })),
            note: Type.Optional(Type.String({ maxLength: 2000 })),
            observedAt: Type.Optional(Type.String({ format: 'date-time' })),
          },
          { additionalProperties: false },
        ),
        response: { 201: ReportSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const body = request.body as Partial<ReportInput>;
      const created = await alerts.report(viewerOf(ctx, request), (request.params as { id: string }).id, {
        ...body,
        kind: body.kind ?? 'sighting',
      });
      return reply.status(201).send(created);
    },
  );
}
