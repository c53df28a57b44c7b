import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { NodeContext } from '../../../context.ts';
import { NotFoundError } from '../../../shared/errors.ts';
import { errorResponses } from '../../schemas.ts';

const VersionMeta = {
  version: Type.Integer(),
  sha256: Type.String(),
  importedAt: Type.String(),
  source: Type.String(),
  demo: Type.Boolean({ description: 'true when this is demo data, which every screen must say' }),
};

/** The directory of Parties and their authorities. */
export function directoryRoutes(app: FastifyInstance, ctx: NodeContext): void {
  app.get(
    '/api/v1/directory',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['directory'],
        summary: 'The directory in force: every Party, its Convention status, instruments and authorities',
        response: { 200: Type.Object({ ...VersionMeta, document: Type.Unknown() }), ...errorResponses },
      },
    },
    async () => {
      const current = await ctx.directory.current();
      return { ...current, demo: current.document.demo };
    },
  );

  app.get(
    '/api/v1/directory/parties/:code',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['directory'],
        summary: 'One Party by its ISO 3166-1 alpha-2 code',
        params: Type.Object({ code: Type.String({ pattern: '^[A-Za-z]{2}$' }) }),
        response: { 200: Type.Object({ demo: Type.Boolean(), party: Type.Unknown() }), ...errorResponses },
      },
    },
    async (request) => {
      const code = (request.params as { code: string }).code.toUpperCase();
      const { document } = await ctx.directory.current();
      const party = document.parties.find((p) => p.code === code);
      if (!party) throw new NotFoundError('Party', code);
      return { demo: document.demo, party };
    },
  );

  app.get(
    '/api/v1/directory/signed',
    {
      config: { access: ['ADMIN', 'AUDITOR'] },
      schema: {
        tags: ['directory'],
        summary:
          'The signed directory document of a version as received (compact JWS), with its publisher key and validity: which signed document the node used',
        querystring: Type.Object({
          version: Type.Optional(
            Type.Integer({ minimum: 1, description: 'a directory version (default: the one in force)' }),
          ),
        }),
        response: {
          200: Type.Object({
            version: Type.Integer(),
            sha256: Type.String({ description: 'SHA-256 of the canonical JSON of the document' }),
            source: Type.String(),
            importedAt: Type.String(),
            importedBy: Type.String(),
            issuedAt: Type.String(),
            validUntil: Type.Union([Type.String(), Type.Null()]),
            publisherKid: Type.Union([Type.String(), Type.Null()]),
            publisherJwk: Type.Unknown(),
            jwsSha256: Type.String(),
            jws: Type.String({ description: 'the compact JWS as received' }),
            refused: Type.Union([
              Type.Object({
                at: Type.String(),
                code: Type.Union([Type.String(), Type.Null()]),
                reason: Type.Union([Type.String(), Type.Null()]),
              }),
              Type.Null(),
            ]),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => ctx.directory.signedVersion((request.query as { version?: number }).version),
  );

  app.put(
    '/api/v1/directory',
    {
      config: { access: ['ADMIN'] },
      bodyLimit: 10 * 1024 * 1024,
      schema: {
        tags: ['directory'],
        summary:
          'Import a new directory document (validated as a whole; nothing is stored if any part is wrong)',
        body: Type.Object({}, { additionalProperties: true }),
        response: {
          200: Type.Object({ version: Type.Integer(), unchanged: Type.Boolean() }),
          ...errorResponses,
        },
      },
    },
    async (request) => ctx.directory.importDocument(request.principal!.userId, request.body, 'api'),
  );
}
