import type { FastifyInstance } from 'fastify';
import type { NodeContext } from '../../../context.ts';
import { alertRoutes } from './alert-routes.ts';
import { checkRoutes } from './check-routes.ts';
import { memberRoutes, webhookRoutes } from './member-routes.ts';
import { stixRoutes } from './stix-routes.ts';
import { streamRoutes } from './stream-routes.ts';

/** The early-warning hub API, in its own scope so its NDJSON parser stays here. */
export async function hubRoutes(app: FastifyInstance, ctx: NodeContext): Promise<void> {
  await app.register(async (scope) => {
    memberRoutes(scope, ctx);
    webhookRoutes(scope, ctx);
    alertRoutes(scope, ctx);
    checkRoutes(scope, ctx);
    streamRoutes(scope, ctx);
    stixRoutes(scope, ctx);
  });
}
