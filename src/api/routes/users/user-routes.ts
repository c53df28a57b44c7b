import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { NodeContext } from '../../../context.ts';
import type { Role } from '../../../domain/codes.ts';
import { errorResponses, PublicUserSchema, RoleSchema } from '../../schemas.ts';

const ADMIN = ['ADMIN'] as const;
const UsernameParams = Type.Object({ username: Type.String({ minLength: 1, maxLength: 63 }) });

/** Account administration. */
export function userRoutes(app: FastifyInstance, ctx: NodeContext): void {
  app.get(
    '/api/v1/users',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['users'],
        summary: 'List accounts, by username, a page at a time',
        querystring: Type.Object({
          limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
          after: Type.Optional(Type.String({ description: 'the last username of the previous page' })),
        }),
        response: {
          200: Type.Object({
            items: Type.Array(PublicUserSchema),
            next: Type.Union([Type.String(), Type.Null()]),
          }),
        },
      },
    },
    async (request) => {
      const { limit, after } = request.query as { limit: number; after?: string };
      const items = await ctx.users.list(limit, after ?? null);
      return { items, next: items.length === limit ? items[items.length - 1]!.username : null };
    },
  );

  app.post(
    '/api/v1/users',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['users'],
        summary: 'Create an account',
        body: Type.Object(
          {
            username: Type.String({ minLength: 2, maxLength: 63 }),
            displayName: Type.Optional(Type.String({ maxLength: 200 })),
            password: Type.String({ minLength: 12, maxLength: 1024 }),
            roles: Type.Array(RoleSchema, { minItems: 1 }),
            withTotp: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({ user: PublicUserSchema, totpUri: Type.Union([Type.String(), Type.Null()]) }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const body = request.body as {
        username: string;
        displayName?: string;
        password: string;
        roles: Role[];
        withTotp?: boolean;
      };
      const created = await ctx.users.addUser(request.principal!.userId, body);
      return reply.status(201).send({ user: created.user, totpUri: created.totpUri });
    },
  );

  for (const [verb, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    app.post(
      `/api/v1/users/:username/${verb}`,
      {
        config: { access: ADMIN },
        schema: {
          tags: ['users'],
          summary: `${verb === 'disable' ? 'Disable an account and end its sessions' : 'Enable an account again'}`,
          params: UsernameParams,
          response: { 200: PublicUserSchema, ...errorResponses },
        },
      },
      async (request) =>
        ctx.users.setDisabled(
          request.principal!.userId,
          (request.params as { username: string }).username,
          disabled,
        ),
    );
  }
}
