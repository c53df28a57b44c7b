// Resumable uploads of evidence by the tus protocol 1.0.0 (core, creation, termination), written
// into Fastify rather than mounted from @tus/server so that every route goes through the node's
// deny-by-default access control, problem+json errors and the route × role test.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type } from 'typebox';
import type { NodeContext } from '../../../context.ts';
import { AppError, ValidationError } from '../../../shared/errors.ts';
import { errorResponses, ProblemSchema } from '../../schemas.ts';
import { guardBody } from '../../stream-guard.ts';
import { EVIDENCE_HANDLERS, evidenceActor, IdParams } from './evidence-access.ts';

const TUS_VERSION = '1.0.0';
const OFFSET_TYPE = 'application/offset+octet-stream';

const UploadSchema = Type.Object({
  id: Type.String(),
  requestId: Type.String(),
  length: Type.Integer(),
  offset: Type.Integer(),
  status: Type.String({ description: 'open, complete or cancelled' }),
  itemId: Type.Union([Type.String(), Type.Null()]),
  fileName: Type.String(),
  createdAt: Type.String(),
});

function tusHeaders(reply: FastifyReply, upload: { offset: number; length: number }): void {
  reply.header('tus-resumable', TUS_VERSION);
  reply.header('upload-offset', String(upload.offset));
  reply.header('upload-length', String(upload.length));
}

export async function uploadRoutes(app: FastifyInstance, ctx: NodeContext): Promise<void> {
  const uploads = ctx.evidence.uploads;
  const maxBytes = ctx.evidence.deps.maxUploadBytes;
  await app.register(async (scoped) => {
    // The PATCH body is streamed to the upload writer as it arrives, never buffered.
    scoped.addContentTypeParser(OFFSET_TYPE, (_request, payload, done) => done(null, payload));

    scoped.options(
      '/api/v1/evidence/uploads',
      { config: { access: 'public' }, schema: { hide: true } },
      async (_request, reply) =>
        reply
          .status(204)
          .header('tus-resumable', TUS_VERSION)
          .header('tus-version', TUS_VERSION)
          .header('tus-extension', 'creation,termination')
          .header('tus-max-size', String(maxBytes))
          .send(),
    );

    scoped.post(
      '/api/v1/requests/:id/evidence/uploads',
      {
        config: { access: EVIDENCE_HANDLERS },
        schema: {
          tags: ['evidence'],
          summary: 'Start a resumable upload of an evidence item (tus creation)',
          description:
            'Headers: `Upload-Length` (bytes) and `Upload-Metadata` (tus: `key base64value` pairs) with `filename`, `filetype`, `description`, `source`, `custodian`, `domesticOrder`, `acquiredAt` (ISO 8601), `acquiredBy`, `personalData` (space-separated categories). Then PATCH the bytes to the `Location`.',
          params: IdParams,
          response: {
            201: UploadSchema,
            404: ProblemSchema,
            409: ProblemSchema,
            413: ProblemSchema,
            ...errorResponses,
          },
        },
      },
      async (request, reply) => {
        const upload = await uploads.create((request.params as { id: string }).id, evidenceActor(request), {
          length: request.headers['upload-length'] as string | undefined,
          metadata: request.headers['upload-metadata'] as string | undefined,
        });
        tusHeaders(reply, upload);
        return reply.status(201).header('location', `/api/v1/evidence/uploads/${upload.id}`).send(upload);
      },
    );

    scoped.get(
      '/api/v1/evidence/uploads/:id',
      {
        config: { access: EVIDENCE_HANDLERS },
        schema: {
          tags: ['evidence'],
          summary: 'Where an upload stands (HEAD gives the same as tus headers)',
          params: IdParams,
          response: { 200: UploadSchema, 404: ProblemSchema, ...errorResponses },
        },
      },
      async (request, reply) => {
        const upload = await uploads.status((request.params as { id: string }).id, evidenceActor(request));
        tusHeaders(reply, upload);
        return upload;
      },
    );

    scoped.patch(
      '/api/v1/evidence/uploads/:id',
      {
        config: { access: EVIDENCE_HANDLERS },
        schema: {
          tags: ['evidence'],
          summary: 'Append bytes to an upload at its offset (tus PATCH)',
          description: `Body: \`${OFFSET_TYPE}\`; header \`Upload-Offset\` must equal where the upload stands (HEAD tells). The last byte makes the item; its id comes back in \`Evidence-Item\`.`,
          params: IdParams,
          response: {
            404: ProblemSchema,
            409: ProblemSchema,
            413: ProblemSchema,
            415: ProblemSchema,
            ...errorResponses,
          },
        },
      },
      async (request, reply) => {
        if (!(request.headers['content-type'] ?? '').startsWith(OFFSET_TYPE))
          throw new AppError('ERR_UPLOAD_CONTENT_TYPE', 415, `Send the bytes as ${OFFSET_TYPE} (tus PATCH).`);
        const offsetHeader = request.headers['upload-offset'];
        const offset = Number(offsetHeader);
        if (typeof offsetHeader !== 'string' || !/^\d+$/.test(offsetHeader) || !Number.isSafeInteger(offset))
          throw new ValidationError([
            { field: 'headers/upload-offset', message: 'must be the byte offset to write at' },
          ]);
        const upload = await uploads.append(
          (request.params as { id: string }).id,
          evidenceActor(request),
          offset,
          guardBody(
            ctx,
            request,
            (request.body as AsyncIterable<Uint8Array> | undefined) ?? (async function* () {})(),
            EVIDENCE_HANDLERS,
          ),
        );
        tusHeaders(reply, upload);
        if (upload.itemId) reply.header('evidence-item', upload.itemId);
        return reply.status(204).send();
      },
    );

    scoped.delete(
      '/api/v1/evidence/uploads/:id',
      {
        config: { access: EVIDENCE_HANDLERS },
        schema: {
          tags: ['evidence'],
          summary: 'Cancel an unfinished upload and delete its bytes (tus termination)',
          params: IdParams,
          response: { 204: Type.Null(), 404: ProblemSchema, 409: ProblemSchema, ...errorResponses },
        },
      },
      async (request, reply) => {
        await uploads.cancel((request.params as { id: string }).id, evidenceActor(request));
        return reply.status(204).header('tus-resumable', TUS_VERSION).send();
      },
    );
  });
}
