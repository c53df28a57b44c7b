import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { NodeContext } from '../../../context.ts';
import { errorResponses } from '../../schemas.ts';
import { viewerOf } from './alert-routes.ts';
import { GroupKindSchema, HUB_ADMIN, HUB_ROLES, IdParams, OrgKindSchema } from './hub-schemas.ts';

const OrgSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: OrgKindSchema,
  country: Type.String(),
});
const GroupSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: GroupKindSchema,
  memberOrgIds: Type.Array(Type.String()),
});

/** Member organisations, their users and sharing groups; the caller's own organisation and group keys. */
export function memberRoutes(app: FastifyInstance, ctx: NodeContext): void {
  const m = ctx.hub.membership;

  app.get(
    '/api/v1/hub/me',
    {
      config: { access: HUB_ROLES },
      schema: {
        tags: ['hub'],
        summary: 'Your organisation and its sharing groups, with each group key for privacy-mode checks',
        response: {
          200: Type.Object({
            org: Type.Union([OrgSchema, Type.Null()]),
            groups: Type.Array(
              Type.Object({
                id: Type.String(),
                name: Type.String(),
                kind: GroupKindSchema,
                hashKey: Type.String({ description: 'hex; HMAC-SHA-256 key over the normalised value' }),
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const viewer = viewerOf(ctx, request);
      return {
        org: viewer.orgId ? m.org(viewer.orgId) : null,
        groups: viewer.groupIds.map((id) => ({ ...m.group(id), hashKey: m.groupKey(id).toString('hex') })),
      };
    },
  );

  app.get(
    '/api/v1/hub/orgs',
    {
      config: { access: HUB_ROLES },
      schema: {
        tags: ['hub'],
        summary: 'Member organisations',
        response: { 200: Type.Object({ items: Type.Array(OrgSchema) }) },
      },
    },
    async () => ({ items: m.listOrgs() }),
  );

  app.post(
    '/api/v1/hub/orgs',
    {
      config: { access: HUB_ADMIN },
      schema: {
        tags: ['hub'],
        summary: 'Add a member organisation',
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 200 }),
            kind: OrgKindSchema,
            country: Type.String({ pattern: '^[A-Z]{2}$' }),
          },
          { additionalProperties: false },
        ),
        response: { 201: OrgSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await m.createOrg(
            request.principal!.userId,
            request.body as { name: string; kind: string; country: string },
          ),
        ),
  );

  app.post(
    '/api/v1/hub/orgs/:id/members',
    {
      config: { access: HUB_ADMIN },
      schema: {
        tags: ['hub'],
        summary: 'Put a user into an organisation (a user belongs to at most one)',
        params: IdParams,
        body: Type.Object(
          { username: Type.String({ minLength: 1, maxLength: 63 }) },
          { additionalProperties: false },
        ),
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await m.addMember(
        request.principal!.userId,
        (request.params as { id: string }).id,
        (request.body as { username: string }).username,
      );
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/v1/hub/groups',
    {
      config: { access: HUB_ROLES },
      schema: {
        tags: ['hub'],
        summary: 'Sharing groups and their member organisations',
        response: { 200: Type.Object({ items: Type.Array(GroupSchema) }) },
      },
    },
    async () => ({ items: m.listGroups() }),
  );

  app.post(
    '/api/v1/hub/groups',
    {
      config: { access: HUB_ADMIN },
      schema: {
        tags: ['hub'],
        summary:
          'Create a sharing group (national, regional such as ASEAN, bilateral); its key is made here. A group shared with other nodes is created on each with the same id',
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 200 }),
            kind: GroupKindSchema,
            id: Type.Optional(Type.String({ format: 'uuid' })),
          },
          { additionalProperties: false },
        ),
        response: { 201: GroupSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await m.createGroup(
            request.principal!.userId,
            request.body as { name: string; kind: string; id?: string },
          ),
        ),
  );

  const NodesSchema = Type.Object({
    groupId: Type.String(),
    hub: Type.Union([Type.String(), Type.Null()]),
    nodes: Type.Array(Type.String()),
  });
  app.get(
    '/api/v1/hub/groups/:id/nodes',
    {
      config: { access: HUB_ROLES },
      schema: {
        tags: ['hub'],
        summary: 'The nodes that share a sharing group, and its regional hub (none: the group stays here)',
        params: IdParams,
        response: { 200: NodesSchema, ...errorResponses },
      },
    },
    async (request) => {
      const id = (request.params as { id: string }).id;
      m.group(id);
      return ctx.hub.federation.nodesView(id);
    },
  );
  app.put(
    '/api/v1/hub/groups/:id/nodes',
    {
      config: { access: HUB_ADMIN },
      schema: {
        tags: ['hub'],
        summary:
          'Share a group with other nodes: its alerts at TLP CLEAR, GREEN and AMBER travel to them over federation (RED and AMBER+STRICT never leave). With a hub, members send to the hub, which redistributes; an empty list stops sharing',
        params: IdParams,
        body: Type.Object(
          {
            hub: Type.Union([Type.String({ pattern: '^[A-Z]{2}$' }), Type.Null()]),
            nodes: Type.Array(Type.String({ pattern: '^[A-Z]{2}$' }), { maxItems: 200 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: NodesSchema, ...errorResponses },
      },
    },
    async (request) =>
      ctx.hub.federation.setGroupNodes(
        request.principal!.userId,
        (request.params as { id: string }).id,
        request.body as { hub: string | null; nodes: string[] },
      ),
  );

  app.post(
    '/api/v1/hub/groups/:id/members',
    {
      config: { access: HUB_ADMIN },
      schema: {
        tags: ['hub'],
        summary: 'Add an organisation to a sharing group',
        params: IdParams,
        body: Type.Object({ orgId: Type.String({ format: 'uuid' }) }, { additionalProperties: false }),
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await m.addGroupMember(
        request.principal!.userId,
        (request.params as { id: string }).id,
        (request.body as { orgId: string }).orgId,
      );
      return reply.status(204).send();
    },
  );
}

const WebhookSchema = Type.Object({
  id: Type.String(),
  username: Type.String(),
  url: Type.String(),
  createdAt: Type.String(),
  lastDelivery: Type.Union([
    Type.Object({
      at: Type.String(),
      ok: Type.Boolean(),
      status: Type.Union([Type.Integer(), Type.Null()]),
      error: Type.Union([Type.String(), Type.Null()]),
    }),
    Type.Null(),
  ]),
});

/** Signed webhooks: an administrator registers an endpoint for a member user; it gets what that user may read. */
export function webhookRoutes(app: FastifyInstance, ctx: NodeContext): void {
  const hooks = ctx.hub.webhooks;
  app.get(
    '/api/v1/hub/webhooks',
    {
      config: { access: HUB_ADMIN },
      schema: {
        tags: ['hub'],
        summary: 'Registered webhooks and their last delivery',
        response: { 200: Type.Object({ items: Type.Array(WebhookSchema) }) },
      },
    },
    async () => ({ items: hooks.list() }),
  );
  app.post(
    '/api/v1/hub/webhooks',
    {
      config: { access: HUB_ADMIN },
      schema: {
        tags: ['hub'],
        summary:
          'Register a webhook for a user: events that user may read are POSTed, signed x-hanoi247-signature: t=<unix>,v1=HMAC-SHA-256(secret, "<t>.<body>")',
        body: Type.Object(
          {
            username: Type.String({ minLength: 1, maxLength: 63 }),
            url: Type.String({ minLength: 8, maxLength: 2000 }),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({ webhook: WebhookSchema, secret: Type.String({ description: 'shown once' }) }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await hooks.add(request.principal!.userId, request.body as { username: string; url: string })),
  );
  app.delete(
    '/api/v1/hub/webhooks/:id',
    {
      config: { access: HUB_ADMIN },
      schema: {
        tags: ['hub'],
        summary: 'Remove a webhook',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await hooks.remove(request.principal!.userId, (request.params as { id: string }).id);
      return reply.status(204).send();
    },
  );
}
