import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { NodeContext } from '../../../context.ts';
import { errorResponses } from '../../schemas.ts';

const OVERSIGHT = ['AUDITOR', 'ADMIN'] as const;

const Problem = Type.Object({
  kind: Type.String(),
  size: Type.Integer(),
  witness: Type.String(),
  message: Type.String(),
});

const GuardState = Type.Object({
  status: Type.String({ description: 'checking | ok | diverged (signing refused) | unwitnessed' }),
  checkedAt: Type.Union([Type.String(), Type.Null()]),
  logSize: Type.Integer(),
  witnessed: Type.Union([
    Type.Object({ size: Type.Integer(), rootHash: Type.String(), witnesses: Type.Array(Type.String()) }),
    Type.Null(),
  ]),
  unreachable: Type.Array(Type.String()),
  problem: Type.Union([Problem, Type.Null()]),
});

/** The witnessed audit log as an administrator or auditor watches it: this node's state, and forks seen as a witness. */
export function witnessAdminRoutes(app: FastifyInstance, ctx: NodeContext): void {
  app.get(
    '/api/v1/audit/witness/status',
    {
      config: { access: OVERSIGHT },
      schema: {
        tags: ['audit'],
        summary:
          'Whether this log agrees with what its witnesses cosigned; "diverged" means the node refuses to sign it',
        response: { 200: GuardState, ...errorResponses },
      },
    },
    async () => ctx.witnessing.guard.status(),
  );

  app.post(
    '/api/v1/audit/witness/check',
    {
      config: { access: ['ADMIN'] },
      schema: {
        tags: ['audit'],
        summary: 'Compare the log with its witnesses again now (done at every start)',
        response: { 200: GuardState, ...errorResponses },
      },
    },
    async () => ctx.witnessing.guard.check(),
  );

  app.get(
    '/api/v1/audit/witness/forks',
    {
      config: { access: OVERSIGHT },
      schema: {
        tags: ['audit'],
        summary:
          "Forks seen as a witness: two checkpoints of a partner's log, both signed by it, that cannot both be true",
        querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }) }),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                id: Type.Integer(),
                node: Type.String(),
                reason: Type.String(),
                firstNote: Type.String(),
                secondNote: Type.String(),
                detectedAt: Type.String(),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => ({
      items: await ctx.witnessing.witness.listForks((request.query as { limit: number }).limit),
    }),
  );

  app.get(
    '/api/v1/audit/witness/logs',
    {
      config: { access: OVERSIGHT },
      schema: {
        tags: ['audit'],
        summary: "The latest checkpoint of each partner's log this node cosigned as a witness",
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                node: Type.String(),
                treeSize: Type.Integer(),
                rootHash: Type.String(),
                note: Type.String(),
                cosignedAt: Type.String(),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async () => ({ items: await ctx.witnessing.witness.listWitnessed() }),
  );
}
