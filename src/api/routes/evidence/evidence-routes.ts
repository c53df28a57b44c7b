// Evidence items and packages on a request: list, read, download (audited), seal, approve, custody.
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { NodeContext } from '../../../context.ts';
import { HANDOVER_KINDS } from '../../../evidence/package-service.ts';
import { errorResponses, ProblemSchema } from '../../schemas.ts';
import { guardDownload } from '../../stream-guard.ts';
import { consentRoutes } from './consent-routes.ts';
import {
  CUSTODY_READERS,
  EVIDENCE_APPROVERS,
  EVIDENCE_HANDLERS,
  EVIDENCE_READERS,
  evidenceActor,
  IdParams,
  readByIdRoute,
} from './evidence-access.ts';
import { handDeliveryRoutes } from './hand-delivery-routes.ts';
import { transferRoutes } from './transfer-routes.ts';
import { uploadRoutes } from './upload-routes.ts';

type Id = { id: string };

const SealBody = Type.Object(
  {
    itemIds: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
        maxItems: 10000,
        description: 'the items to seal, in order; default: every item of the request not yet in a package',
      }),
    ),
    supersedes: Type.Optional(Type.String({ description: 'the package this one corrects' })),
    retentionDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 36500, description: 'default 3650' })),
    conditions: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 1000 }), {
        maxItems: 50,
        description: 'conditions of use besides speciality and the onward-transfer restriction',
      }),
    ),
  },
  { additionalProperties: false },
);

export async function evidenceRoutes(app: FastifyInstance, ctx: NodeContext): Promise<void> {
  const { items, packages, custody } = ctx.evidence;
  await uploadRoutes(app, ctx);
  await transferRoutes(app, ctx);
  await consentRoutes(app, ctx);
  await handDeliveryRoutes(app, ctx);

  readByIdRoute(
    app,
    '/api/v1/requests/:id/evidence',
    "A request's evidence: items with their hashes, packages, unfinished uploads",
    (id, actor) => items.listForRequest(id, actor),
  );

  readByIdRoute(
    app,
    '/api/v1/evidence/items/:id',
    'One evidence item: metadata, SHA-256, chunk root, packages',
    (id, actor) => items.get(id, actor),
  );

  app.get(
    '/api/v1/evidence/items/:id/content',
    {
      config: { access: EVIDENCE_READERS },
      schema: {
        tags: ['evidence'],
        summary: 'Download the bytes of an item (recorded in its chain of custody)',
        description:
          'Cut short (the connection closed before the last byte) once the credentials that asked for it are revoked, signed out, disabled or lose the role.',
        params: IdParams,
        response: { 404: ProblemSchema, 410: ProblemSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { item, stream } = await items.download((request.params as Id).id, evidenceActor(request));
      return reply
        .header('content-type', item.mediaType)
        .header('content-length', String(item.size))
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(item.fileName)}`)
        .header('x-content-sha256', item.sha256)
        .send(guardDownload(ctx, request, stream, EVIDENCE_READERS));
    },
  );

  app.post(
    '/api/v1/requests/:id/evidence/packages',
    {
      config: { access: EVIDENCE_HANDLERS },
      schema: {
        tags: ['evidence'],
        summary: 'Seal evidence items into a package signed by this node',
        params: IdParams,
        body: SealBody,
        response: { 201: Type.Unknown(), 404: ProblemSchema, 409: ProblemSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const sealed = await packages.seal(
        (request.params as Id).id,
        evidenceActor(request),
        request.body as never,
      );
      return reply.status(201).send(sealed);
    },
  );

  readByIdRoute(
    app,
    '/api/v1/evidence/packages/:id',
    'A package: its signed manifest (JWS), Merkle root and state',
    (id, actor) => packages.get(id, actor),
  );

  app.post(
    '/api/v1/evidence/packages/:id/approve',
    {
      config: { access: EVIDENCE_APPROVERS },
      schema: {
        tags: ['evidence'],
        summary: 'Approve a sealed package before it leaves (four eyes: not its sealer)',
        params: IdParams,
        response: { 200: Type.Unknown(), 404: ProblemSchema, 409: ProblemSchema, ...errorResponses },
      },
    },
    async (request) => packages.approve((request.params as Id).id, evidenceActor(request)),
  );

  app.post(
    '/api/v1/evidence/packages/:id/handovers',
    {
      config: { access: EVIDENCE_HANDLERS },
      schema: {
        tags: ['evidence'],
        summary: 'Record that an approved package was exported, hand-delivered or handed to a court',
        params: IdParams,
        body: Type.Object(
          {
            kind: Type.Union(HANDOVER_KINDS.map((k) => Type.Literal(k))),
            recipient: Type.String({ minLength: 1, maxLength: 300, description: 'who received it' }),
            toState: Type.Optional(
              Type.String({
                minLength: 2,
                maxLength: 2,
                description:
                  'the State it goes to (required for a hand delivery); a third State needs the originating State’s consent (ERR_EVIDENCE_CONSENT_REQUIRED)',
              }),
            ),
            note: Type.Optional(Type.String({ maxLength: 2000 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Unknown(), 404: ProblemSchema, 409: ProblemSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const recorded = await ctx.evidence.handovers.record(
        (request.params as Id).id,
        evidenceActor(request),
        request.body as never,
      );
      return reply.status(201).send(recorded);
    },
  );

  app.get(
    '/api/v1/evidence/packages/:id/custody',
    {
      config: { access: CUSTODY_READERS },
      schema: {
        tags: ['evidence'],
        summary: 'The chain of custody of a package, each event with its audit inclusion proof (JSON or PDF)',
        params: IdParams,
        querystring: Type.Object({
          format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('pdf')])),
        }),
        response: { 200: Type.Unknown(), 404: ProblemSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const report = await custody.report((request.params as Id).id, evidenceActor(request));
      if ((request.query as { format?: string }).format !== 'pdf') return report;
      // pdf-lib comes with the first PDF, not with every start.
      const { renderCustodyPdf } = await import('../../../evidence/custody-pdf.ts');
      const pdf = await renderCustodyPdf(report);
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `inline; filename="custody-${report.package.id}.pdf"`)
        .send(Buffer.from(pdf));
    },
  );
}
