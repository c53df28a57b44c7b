import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { SESSION_COOKIE } from '../../../auth/session-cookie.ts';
import { findUserById, toPublicUser } from '../../../auth/user-store.ts';
import type { NodeContext } from '../../../context.ts';
import { NotFoundError } from '../../../shared/errors.ts';
import { errorResponses, PublicUserSchema, RoleSchema } from '../../schemas.ts';

/** Sign-in and sign-out with a cookie session; API tokens for machines. */
export function authRoutes(app: FastifyInstance, ctx: NodeContext): void {
  app.post(
    '/api/v1/auth/login',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with username, password and (when enrolled) a TOTP code; sets the session cookie',
        body: Type.Object(
          {
            username: Type.String({ minLength: 1, maxLength: 200 }),
            password: Type.String({ minLength: 1, maxLength: 1024 }),
            totp: Type.Optional(Type.String({ pattern: '^[0-9]{6}$' })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ user: PublicUserSchema, csrfToken: Type.String(), expiresAt: Type.String() }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const body = request.body as { username: string; password: string; totp?: string };
      const result = await ctx.auth.login({ ...body, address: request.ip });
      reply.setCookie(SESSION_COOKIE, result.sessionId, {
        httpOnly: true,
        sameSite: 'strict',
        secure: ctx.config.cookieSecure,
        path: '/',
        expires: result.expiresAt,
      });
      return { user: result.user, csrfToken: result.csrfToken, expiresAt: result.expiresAt.toISOString() };
    },
  );

  app.post(
    '/api/v1/auth/logout',
    {
      config: { access: 'authenticated' },
      schema: { tags: ['auth'], summary: 'End this session', response: { 204: Type.Null() } },
    },
    async (request, reply) => {
      await ctx.auth.logout(request.principal!);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/v1/auth/me',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['auth'],
        summary: 'Who am I: the signed-in user and the roles in effect',
        response: {
          200: Type.Object({
            user: PublicUserSchema,
            via: Type.String(),
            effectiveRoles: Type.Array(RoleSchema),
            node: Type.String(),
          }),
        },
      },
    },
    async (request) => {
      const principal = request.principal!;
      const user = await findUserById(ctx.database.db, principal.userId);
      if (!user) throw new NotFoundError('User', principal.userId);
      return {
        user: toPublicUser(user),
        via: principal.via,
        effectiveRoles: principal.roles,
        node: ctx.config.nodeState,
      };
    },
  );

  app.post(
    '/api/v1/auth/tokens',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['auth'],
        summary: 'Create an API token for yourself, scoped to some of your roles and expiring; shown once',
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 100 }),
            scopes: Type.Array(RoleSchema, { minItems: 1 }),
            ttlDays: Type.Integer({ minimum: 1, maximum: 365, default: 30 }),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({ id: Type.String(), token: Type.String(), expiresAt: Type.String() }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const body = request.body as { name: string; scopes: never[]; ttlDays: number };
      const created = await ctx.auth.createToken(request.principal!.userId, body);
      return reply.status(201).send({ ...created, expiresAt: created.expiresAt.toISOString() });
    },
  );

  app.delete(
    '/api/v1/auth/tokens/:id',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['auth'],
        summary: 'Revoke one of your API tokens',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      if (!(await ctx.auth.revokeToken(request.principal!, id))) throw new NotFoundError('API token', id);
      return reply.status(204).send();
    },
  );
}
