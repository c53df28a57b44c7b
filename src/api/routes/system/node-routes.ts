import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { NodeContext } from '../../../context.ts';

/** What a node says about itself to anyone: who it is and its public keys. */
export function nodeRoutes(app: FastifyInstance, ctx: NodeContext): void {
  app.get(
    '/api/v1/node',
    {
      config: { access: 'public' },
      schema: {
        tags: ['system'],
        summary: 'This node: its State, name and public keys (Ed25519 for signatures, X25519 for encryption)',
        response: {
          200: Type.Object({
            state: Type.String(),
            name: Type.String(),
            demo: Type.Boolean(),
            keys: Type.Object({ signing: Type.Unknown(), encryption: Type.Unknown() }),
          }),
        },
      },
    },
    async () => ({
      state: ctx.config.nodeState,
      name: ctx.config.nodeName,
      demo: ctx.config.demo,
      keys: ctx.keyring.publicKeys(),
    }),
  );
}
