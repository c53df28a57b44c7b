import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { WITNESS_ADD_PATH, WITNESS_LOGS_PATH } from '../../../audit/cosignatures.ts';
import type { NodeContext } from '../../../context.ts';
import { NotFoundError } from '../../../shared/errors.ts';
import { ProblemSchema } from '../../schemas.ts';

/**
 * This node as a witness of its partners' audit logs, by the C2SP tlog-witness protocol. Public at the
 * HTTP level, as the protocol has it: the checkpoint authenticates itself (the partner's signature, by a
 * key the directory lists), and what the witness answers is public (checkpoints are hashes only).
 */
export async function witnessRoutes(app: FastifyInstance, ctx: NodeContext): Promise<void> {
  // Encapsulated: the protocol's plain-text body is read for this route only.
  await app.register(async (scope) => {
    scope.addContentTypeParser(
      'text/plain',
      { parseAs: 'string', bodyLimit: WITNESS_BODY_LIMIT },
      (_req, body, done) => done(null, body),
    );
    addCheckpointRoute(scope, ctx);
  });
  logsRoute(app, ctx);
}

/** A checkpoint note with up to 63 proof lines and a few signatures is a few kilobytes. */
const WITNESS_BODY_LIMIT = 64 * 1024;

function addCheckpointRoute(app: FastifyInstance, ctx: NodeContext): void {
  app.post(
    WITNESS_ADD_PATH,
    {
      config: { access: 'public' },
      schema: {
        tags: ['federation'],
        summary: "Cosign a partner's audit-log checkpoint (c2sp.org/tlog-witness add-checkpoint)",
        description:
          'Body (text/plain): `old <size>`, the consistency proof lines (base64), an empty line, then the checkpoint note (c2sp.org/tlog-checkpoint) signed by the partner. 200: the cosignature line (c2sp.org/tlog-cosignature). 409 (text/x.tlog.size): the size this witness last cosigned, to start from. Refusals: ERR_WITNESS_REQUEST (400), ERR_WITNESS_SIGNATURE (403), ERR_WITNESS_UNKNOWN_LOG (404), ERR_WITNESS_PROOF (422).',
        response: {
          200: Type.String(),
          400: ProblemSchema,
          403: ProblemSchema,
          404: ProblemSchema,
          409: Type.String(),
          422: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      const body = typeof request.body === 'string' ? request.body : '';
      const outcome = await ctx.witnessing.witness.addCheckpoint(body);
      if (outcome.conflict) return reply.code(409).type('text/x.tlog.size').send(`${outcome.size}\n`);
      return reply.type('text/plain; charset=utf-8').send(outcome.cosignatures);
    },
  );
}

function logsRoute(app: FastifyInstance, ctx: NodeContext): void {
  app.get(
    `${WITNESS_LOGS_PATH}/:node`,
    {
      config: { access: 'public' },
      schema: {
        tags: ['federation'],
        summary: "The latest checkpoint of a partner's audit log this node cosigned (a signed note)",
        params: Type.Object({ node: Type.String({ pattern: '^[A-Z0-9-]{2,12}$' }) }),
        response: { 200: Type.String(), 400: ProblemSchema, 404: ProblemSchema },
      },
    },
    async (request, reply) => {
      const { node } = request.params as { node: string };
      const note = await ctx.witnessing.witness.witnessedNote(node);
      if (!note) throw new NotFoundError('Witnessed log', node);
      return reply.type('text/plain; charset=utf-8').send(note);
    },
  );
}
