import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { NodeContext } from '../../../context.ts';
import type { Role } from '../../../domain/codes.ts';
import { errorResponses, PublicUserSchema, RoleSchema } from '../../schemas.ts';

const ADMIN = ['ADMIN'] as const;
const Password = Type.String({ minLength: 1, maxLength: 1024 });
const SessionView = Type.Object({
  id: Type.String({ description: 'a handle for revoking it, not the session itself' }),
  createdAt: Type.String(),
  expiresAt: Type.String(),
  current: Type.Boolean(),
});
const TokenView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  scopes: Type.Array(RoleSchema),
  createdAt: Type.String(),
  expiresAt: Type.String(),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
});
const SessionParam = { sessionId: Type.String({ pattern: '^[0-9a-f]{32}$' }) };
const Username = { username: Type.String({ minLength: 1, maxLength: 63 }) };

/** One's own password, sessions and tokens; an administrator's resets, role changes and revocations. */
export function accountRoutes(app: FastifyInstance, ctx: NodeContext): void {
  ownAccountRoutes(app, ctx);
  adminAccountRoutes(app, ctx);
}

function ownAccountRoutes(app: FastifyInstance, ctx: NodeContext): void {
  app.post(
    '/api/v1/auth/password',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['auth'],
        summary: 'Change your own password (the current one is needed); your other sessions end',
        body: Type.Object(
          { currentPassword: Password, newPassword: Type.String({ minLength: 12, maxLength: 1024 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ user: PublicUserSchema }), ...errorResponses },
      },
    },
    async (request) => {
      const body = request.body as { currentPassword: string; newPassword: string };
      const principal = request.principal!;
      const user = await ctx.accounts.changePassword(principal.userId, {
        ...body,
        keepSessionHash: principal.sessionIdHash,
      });
      return { user };
    },
  );

  app.post(
    '/api/v1/auth/password-reset',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Choose a new password with the one-time link an administrator made',
        body: Type.Object(
          {
            token: Type.String({ minLength: 10, maxLength: 200 }),
            newPassword: Type.String({ minLength: 12, maxLength: 1024 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ username: Type.String() }), ...errorResponses },
      },
    },
    async (request) => {
      const body = request.body as { token: string; newPassword: string };
      const user = await ctx.accounts.redeemReset(body.token, body.newPassword);
      return { username: user.username };
    },
  );

  app.get(
    '/api/v1/auth/sessions',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['auth'],
        summary: 'Your open sessions (this one is marked current)',
        response: { 200: Type.Object({ items: Type.Array(SessionView) }) },
      },
    },
    async (request) => {
      const principal = request.principal!;
      return { items: await ctx.accounts.listSessions(principal.userId, principal.sessionIdHash) };
    },
  );

  app.delete(
    '/api/v1/auth/sessions/:sessionId',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['auth'],
        summary: 'End one of your sessions; its live streams stop',
        params: Type.Object(SessionParam),
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const principal = request.principal!;
      const { sessionId } = request.params as { sessionId: string };
      await ctx.accounts.revokeSession(principal.userId, principal.userId, sessionId);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/v1/auth/tokens',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['auth'],
        summary: 'Your API tokens (never the token itself)',
        response: { 200: Type.Object({ items: Type.Array(TokenView) }) },
      },
    },
    async (request) => ({ items: await ctx.accounts.listTokens(request.principal!.userId) }),
  );
}

function adminAccountRoutes(app: FastifyInstance, ctx: NodeContext): void {
  app.post(
    '/api/v1/users/:username/password-reset',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['users'],
        summary:
          'Reset a password: a one-time link (valid 24 h) or a one-time password to change at the next sign-in; the sessions end',
        params: Type.Object(Username),
        body: Type.Object(
          { mode: Type.Union([Type.Literal('link'), Type.Literal('password')]) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            mode: Type.String(),
            token: Type.Optional(Type.String()),
            expiresAt: Type.Optional(Type.String()),
            password: Type.Optional(Type.String()),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { username } = request.params as { username: string };
      const { mode } = request.body as { mode: 'link' | 'password' };
      return ctx.accounts.resetPassword(request.principal!.userId, username, mode);
    },
  );

  app.put(
    '/api/v1/users/:username/roles',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['users'],
        summary:
          'Replace the roles of an account (audited with before and after; the last administrator stays)',
        params: Type.Object(Username),
        body: Type.Object(
          { roles: Type.Array(RoleSchema, { minItems: 1 }) },
          { additionalProperties: false },
        ),
        response: { 200: PublicUserSchema, ...errorResponses },
      },
    },
    async (request) => {
      const { username } = request.params as { username: string };
      const { roles } = request.body as { roles: Role[] };
      return ctx.accounts.setRoles(request.principal!.userId, username, [...new Set(roles)]);
    },
  );

  app.get(
    '/api/v1/users/:username/sessions',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['users'],
        summary: "An account's open sessions",
        params: Type.Object(Username),
        response: { 200: Type.Object({ items: Type.Array(SessionView) }), ...errorResponses },
      },
    },
    async (request) => {
      const userId = await ctx.accounts.userIdOf((request.params as { username: string }).username);
      return { items: await ctx.accounts.listSessions(userId, request.principal!.sessionIdHash) };
    },
  );

  app.delete(
    '/api/v1/users/:username/sessions/:sessionId',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['users'],
        summary: "End one of an account's sessions; its live streams stop",
        params: Type.Object({ ...Username, ...SessionParam }),
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { username, sessionId } = request.params as { username: string; sessionId: string };
      const userId = await ctx.accounts.userIdOf(username);
      await ctx.accounts.revokeSession(request.principal!.userId, userId, sessionId);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/v1/users/:username/tokens',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['users'],
        summary: "An account's API tokens",
        params: Type.Object(Username),
        response: { 200: Type.Object({ items: Type.Array(TokenView) }), ...errorResponses },
      },
    },
    async (request) => {
      const userId = await ctx.accounts.userIdOf((request.params as { username: string }).username);
      return { items: await ctx.accounts.listTokens(userId) };
    },
  );

  app.delete(
    '/api/v1/users/:username/tokens/:id',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['users'],
        summary: "Revoke one of an account's API tokens",
        params: Type.Object({ ...Username, id: Type.String({ format: 'uuid' }) }),
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { username, id } = request.params as { username: string; id: string };
      const userId = await ctx.accounts.userIdOf(username);
      await ctx.accounts.revokeToken(request.principal!.userId, userId, id);
      return reply.status(204).send();
    },
  );
}
