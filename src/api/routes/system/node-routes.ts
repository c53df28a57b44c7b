import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { NodeContext } from '../../../context.ts';
import { DEMO_PASSWORD, DEMO_USERS } from '../../../domain/demo-accounts.ts';

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
            demoLogins: Type.Optional(
              Type.Object(
                {
                  password: Type.String(),
                  accounts: Type.Array(
                    Type.Object({ username: Type.String(), roles: Type.Array(Type.String()) }),
                  ),
                },
                { description: 'Only on a demo node: the demo accounts, shown on its sign-in page.' },
              ),
            ),
            keys: Type.Object({ signing: Type.Unknown(), encryption: Type.Unknown() }),
          }),
        },
      },
    },
    async () => ({
      state: ctx.config.nodeState,
      name: ctx.config.nodeName,
      demo: ctx.config.demo,
      // A demo node says how to sign in to it; a production node never does.
      ...(ctx.config.demo
        ? {
            demoLogins: {
              password: DEMO_PASSWORD,
              accounts: DEMO_USERS.map((u) => ({ username: u.username, roles: u.roles })),
            },
          }
        : {}),
      keys: ctx.keyring.publicKeys(),
    }),
  );
}
