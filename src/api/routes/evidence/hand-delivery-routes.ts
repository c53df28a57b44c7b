// Hand delivery to a partner without a node: record the delivery, then fetch its archive (tar).
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { NodeContext } from '../../../context.ts';
import { README_LANGUAGES } from '../../../evidence/export-readme.ts';
import { errorResponses, ProblemSchema } from '../../schemas.ts';
import { guardDownload } from '../../stream-guard.ts';
import { EVIDENCE_HANDLERS, evidenceActor, IdParams } from './evidence-access.ts';

type Id = { id: string };

export async function handDeliveryRoutes(app: FastifyInstance, ctx: NodeContext): Promise<void> {
  const { handDeliveries } = ctx.evidence;

  app.post(
    '/api/v1/evidence/packages/:id/hand-deliveries',
    {
      config: { access: EVIDENCE_HANDLERS },
      schema: {
        tags: ['evidence'],
        summary: 'Record the hand delivery of an approved package to a partner without a node',
        description:
          'Records who hands it, to whom, for which State and when in the chain of custody, then answers where to fetch the archive (tar: manifest, files, custody with proofs, sender keys, CASE/UCO, README and delivery note in the partner language). A package received from another State needs its consent to go to a third State (ERR_EVIDENCE_CONSENT_REQUIRED).',
        params: IdParams,
        body: Type.Object(
          {
            recipient: Type.String({
              minLength: 1,
              maxLength: 300,
              description: 'the person or authority receiving it',
            }),
            toState: Type.String({
              minLength: 2,
              maxLength: 2,
              description: 'the partner State (ISO 3166 alpha-2)',
            }),
            language: Type.Optional(
              Type.Union(
                README_LANGUAGES.map((l) => Type.Literal(l)),
                { description: 'language of the instructions (default: the partner State’s)' },
              ),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Unknown(), 404: ProblemSchema, 409: ProblemSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await handDeliveries.record(
            (request.params as Id).id,
            evidenceActor(request),
            request.body as never,
          ),
        ),
  );

  app.get(
    '/api/v1/evidence/packages/:id/hand-deliveries/:seq/archive',
    {
      config: { access: EVIDENCE_HANDLERS },
      schema: {
        tags: ['evidence'],
        summary: 'The archive (tar) of a recorded hand delivery, streamed',
        description:
          'Cut short (the connection closed before the last byte) once the credentials that asked for it are revoked, signed out, disabled or lose the role.',
        params: Type.Object({
          id: Type.String({ maxLength: 64 }),
          seq: Type.Integer({ minimum: 1, description: 'the audit entry of the delivery' }),
        }),
        response: { 404: ProblemSchema, 410: ProblemSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { id, seq } = request.params as { id: string; seq: number };
      const { fileName, stream } = await handDeliveries.archive(id, seq, evidenceActor(request));
      return reply
        .header('content-type', 'application/x-tar')
        .header('content-disposition', `attachment; filename="${fileName}"`)
        .send(guardDownload(ctx, request, stream, EVIDENCE_HANDLERS));
    },
  );
}
