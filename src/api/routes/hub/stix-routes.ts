import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { NodeContext } from '../../../context.ts';
import type { TlpLevel } from '../../../domain/tlp/index.ts';
import type { AlertKind } from '../../../hub/hub-types.ts';
import { createStixService } from '../../../stix/stix-service.ts';
import { errorResponses } from '../../schemas.ts';
import { viewerOf } from './alert-routes.ts';
import { AlertKindSchema, HUB_ROLES, IdParams, TlpSchema } from './hub-schemas.ts';
import { exactMediaTypes, sendWithMediaType } from './media-type.ts';

export const STIX_MEDIA_TYPE = 'application/stix+json;version=2.1';
const BundleSchema = Type.Object(
  { type: Type.Literal('bundle'), id: Type.String(), objects: Type.Optional(Type.Array(Type.Unknown())) },
  { additionalProperties: true },
);

/** STIX 2.1 export (bundles with TLP 2.0 markings) and import (ours, MISP, OpenCTI), all or nothing. */
export function stixRoutes(app: FastifyInstance, ctx: NodeContext): void {
  const stix = createStixService(ctx.hub, ctx.database);
  exactMediaTypes(app);
  app.addContentTypeParser(
    'application/stix+json',
    { parseAs: 'string', bodyLimit: 64 * 1024 * 1024 },
    (_r, body, done) => {
      try {
        done(null, JSON.parse(body as string));
      } catch (error) {
        done(Object.assign(error as Error, { statusCode: 400 }), undefined);
      }
    },
  );

  app.get(
    '/api/v1/hub/export',
    {
      config: { access: HUB_ROLES },
      schema: {
        tags: ['hub'],
        summary: 'Every alert you may read as a STIX 2.1 bundle',
        querystring: Type.Object({
          groupId: Type.Optional(Type.String({ format: 'uuid' })),
          state: Type.Optional(
            Type.Union(['active', 'pending', 'expired', 'revoked'].map((s) => Type.Literal(s))),
          ),
        }),
        response: { 200: BundleSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const bundle = await stix.exportBundle(viewerOf(ctx, request), request.query as { groupId?: string });
      return sendWithMediaType(reply, STIX_MEDIA_TYPE, bundle);
    },
  );

  app.get(
    '/api/v1/hub/alerts/:id/stix',
    {
      config: { access: HUB_ROLES },
      schema: {
        tags: ['hub'],
        summary: 'One alert as a STIX 2.1 bundle',
        params: IdParams,
        response: { 200: BundleSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const bundle = await stix.exportAlert(viewerOf(ctx, request), (request.params as { id: string }).id);
      return sendWithMediaType(reply, STIX_MEDIA_TYPE, bundle);
    },
  );

  app.post(
    '/api/v1/hub/import',
    {
      config: { access: HUB_ROLES },
      bodyLimit: 64 * 1024 * 1024,
      schema: {
        tags: ['hub'],
        summary:
          'Import a STIX 2.1 bundle into a sharing group: every object is kept as sent, indicators the hub can check become alerts (one per report or grouping and validity); all or nothing; a re-send changes nothing',
        querystring: Type.Object({
          groupId: Type.String({ format: 'uuid' }),
          kind: AlertKindSchema,
          tlp: Type.Optional(TlpSchema),
          title: Type.Optional(Type.String({ maxLength: 300 })),
          skipUnsupported: Type.Boolean({ default: false }),
          country: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$' })),
        }),
        body: Type.Unknown(),
        response: {
          201: Type.Object({
            objects: Type.Integer({ description: 'objects read' }),
            kept: Type.Integer({
              description: 'objects (versions) kept as sent, fetchable by id over TAXII',
            }),
            unchanged: Type.Integer({ description: 'versions already held: a re-send changes nothing' }),
            ignoredTypes: Type.Record(Type.String(), Type.Integer(), {
              description: 'objects not kept, by type (the fixed TLP marking definitions)',
            }),
            alerts: Type.Array(Type.Object({ id: Type.String(), indicators: Type.Integer() })),
            skipped: Type.Array(Type.Object({ object: Type.String(), reason: Type.String() })),
          }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const q = request.query as {
        groupId: string;
        kind: AlertKind;
        tlp?: TlpLevel;
        title?: string;
        skipUnsupported: boolean;
        country?: string;
      };
      const result = await stix.importDocument(viewerOf(ctx, request), request.body, {
        kind: q.kind,
        groupId: q.groupId,
        tlp: q.tlp,
        title: q.title,
        skipUnsupported: q.skipUnsupported,
        defaultCountry: q.country,
      });
      return reply.status(201).send(result);
    },
  );
}
