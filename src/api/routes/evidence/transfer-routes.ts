// Evidence transfer over federation: the officer's "send" on the requested node, and the three
// routes the requesting node answers to a peer (offer, chunk, complete). The peer routes are public at
// the HTTP level, like the other /federation/v1 routes: the offer is authenticated by the sender's
// signature from the directory, and each chunk by the transfer key that only the signed offer carried.
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { NodeContext } from '../../../context.ts';
import { recordPool } from '../../../evidence/transfer/record-pool.ts';
import { OFFERS_PATH } from '../../../evidence/transfer/transfer-wire.ts';
import { ValidationError } from '../../../shared/errors.ts';
import { errorResponses, ProblemSchema } from '../../schemas.ts';
import { JOSE_MEDIA_TYPE } from '../federation/jose-route.ts';
import { readChunkBody } from './chunk-body.ts';
import { EVIDENCE_APPROVERS, evidenceActor, IdParams, readByIdRoute, ThirdState } from './evidence-access.ts';

const CHUNK_TYPE = 'application/octet-stream';
/** A chunk record: 1 MiB of plaintext, its nonce and tag, with room to spare. */
const CHUNK_BODY_LIMIT = 1024 * 1024 + 4096;
/** Record buffers kept for chunk bodies: the sender's chunks in flight, and as many again for a second sender. */
const RECORDS_KEPT = 16;

/** A send answers the report, or why the package did not (or not all) go. */
const SEND_RESPONSES = {
  200: Type.Unknown(),
  404: ProblemSchema,
  409: ProblemSchema,
  502: ProblemSchema,
  ...errorResponses,
};

const ChunkParams = Type.Object({
  id: Type.String({ maxLength: 64 }),
  item: Type.Integer({ minimum: 0, maximum: 100000 }),
  chunk: Type.Integer({ minimum: 0 }),
});

export async function transferRoutes(app: FastifyInstance, ctx: NodeContext): Promise<void> {
  const { sender, receiver } = ctx.evidence.transfer;

  app.post(
    '/api/v1/evidence/packages/:id/send',
    {
      config: { access: EVIDENCE_APPROVERS },
      schema: {
        tags: ['evidence'],
        summary: 'Send an approved package to the requesting node (resumes where a cut transfer stopped)',
        params: IdParams,
        response: SEND_RESPONSES,
      },
    },
    async (request) => sender.send((request.params as { id: string }).id, evidenceActor(request)),
  );

  app.post(
    '/api/v1/evidence/packages/:id/onward',
    {
      config: { access: EVIDENCE_APPROVERS },
      schema: {
        tags: ['evidence'],
        summary:
          'Send a package received from another State on to a third State’s node, under the originating State’s consent (art. 36)',
        description:
          'The manifest stays signed by the originating node; the offer carries the consent it signed and this node’s custody of the package. The request is one between this node and the third State in which evidence may travel (an incoming request in execution, or spontaneous information). Without a granted consent: 409 ERR_EVIDENCE_CONSENT_REQUIRED (audited). Run again to resume a cut transfer.',
        params: IdParams,
        body: Type.Object(
          {
            toState: ThirdState,
            requestId: Type.String({
              maxLength: 64,
              description: 'the request with the third State that the package goes to',
            }),
          },
          { additionalProperties: false },
        ),
        response: SEND_RESPONSES,
      },
    },
    async (request) =>
      ctx.evidence.onward.send(
        (request.params as { id: string }).id,
        evidenceActor(request),
        request.body as never,
      ),
  );

  readByIdRoute(
    app,
    '/api/v1/evidence/packages/:id/onward',
    'Onward transfers this node made of a received package, to third States’ nodes',
    (id, actor) => ctx.evidence.onward.list(id, actor),
  );

  await app.register(async (scope) => {
    const records = recordPool(CHUNK_BODY_LIMIT, RECORDS_KEPT);
    scope.addContentTypeParser(
      JOSE_MEDIA_TYPE,
      { parseAs: 'string', bodyLimit: 4 * 1024 * 1024 },
      (_r, body, done) => done(null, body),
    );
    scope.addContentTypeParser(CHUNK_TYPE, (request: FastifyRequest, payload: IncomingMessage) =>
      readChunkBody(payload, request.headers['content-length'], CHUNK_BODY_LIMIT, records),
    );
    scope.post(
      OFFERS_PATH,
      {
        config: { access: 'public' },
        schema: {
          tags: ['federation'],
          summary: 'A peer node offers an evidence package (compact JWE to this node, signed by the sender)',
          description:
            'Answers, per item, a bitmap of the chunks already held and checked, so the sender resumes. An onward offer (claim `onward`) carries a manifest signed by the originating node and the consent grant that node signed. Refusals: ERR_PEER_ENVELOPE, ERR_PEER_UNKNOWN, ERR_PEER_SIGNATURE, ERR_EVIDENCE_MANIFEST_SIGNATURE, ERR_EVIDENCE_WRONG_NODE, ERR_EVIDENCE_REQUEST_STATE, ERR_EVIDENCE_CONSENT_INVALID, ERR_VALIDATION.',
          response: {
            200: Type.Unknown(),
            400: ProblemSchema,
            401: ProblemSchema,
            409: ProblemSchema,
            415: ProblemSchema,
            422: ProblemSchema,
          },
        },
      },
      async (request) => {
        if (typeof request.body !== 'string')
          throw new ValidationError([{ field: '/', message: `must be a compact JWE (${JOSE_MEDIA_TYPE})` }]);
        return receiver.accept(request.body);
      },
    );
    scope.post(
      '/federation/v1/evidence/packages/:id/items/:item/chunks/:chunk',
      {
        bodyLimit: CHUNK_BODY_LIMIT,
        config: { access: 'public' },
        schema: {
          tags: ['federation'],
          summary: 'One chunk of an offered package, sealed under the transfer key, with its Merkle path',
          description:
            'Header x-merkle-proof: the audit path (hex, comma-separated) of the chunk to its item chunk root in the signed manifest. Refusals: ERR_EVIDENCE_CHUNK_INVALID (truncated, altered, or not matching the manifest: send it again), ERR_NOT_FOUND.',
          params: ChunkParams,
          response: {
            200: Type.Unknown(),
            400: ProblemSchema,
            404: ProblemSchema,
            415: ProblemSchema,
            422: ProblemSchema,
          },
        },
      },
      async (request) => {
        const { id, item, chunk } = request.params as { id: string; item: number; chunk: number };
        if (!Buffer.isBuffer(request.body))
          throw new ValidationError([{ field: '/', message: `must be a chunk record (${CHUNK_TYPE})` }]);
        const header = request.headers['x-merkle-proof'];
        const proof = typeof header === 'string' && header ? header.split(',') : [];
        if (proof.some((h) => !/^[0-9a-f]{64}$/.test(h)))
          throw new ValidationError([
            { field: 'x-merkle-proof', message: 'must be hex SHA-256 hashes, comma-separated' },
          ]);
        // The body is the receiver's to decrypt and seal in place; it goes back to the pool once the
        // chunk is stored (after a failure it is left to the collector: a write may still hold it).
        const stored = await receiver.chunk(id, item, chunk, request.body, proof);
        records.give(request.body);
        return stored;
      },
    );
    scope.post(
      '/federation/v1/evidence/packages/:id/complete',
      {
        config: { access: 'public' },
        schema: {
          tags: ['federation'],
          summary: 'Ask for the signed receipt once every chunk was sent',
          description:
            'Answers the receipt signed by this node, or 409 ERR_EVIDENCE_INCOMPLETE with the number of chunks missing.',
          params: IdParams,
          response: { 200: Type.Unknown(), 404: ProblemSchema, 409: ProblemSchema, 422: ProblemSchema },
        },
      },
      async (request) => receiver.complete((request.params as { id: string }).id),
    );
  });
}
