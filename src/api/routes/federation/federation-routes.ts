import type { FastifyInstance } from 'fastify';
import type { NodeContext } from '../../../context.ts';
import { deadLetterRoutes } from './dead-letter-routes.ts';
import { linkRoutes } from './link-routes.ts';
import { receiveBatchRoute } from './receive-batch.ts';
import { receiveMessageRoute } from './receive-message.ts';
import { witnessRoutes } from './witness-routes.ts';

/** Federation: the peer-facing inbox and the administrator's view of the outbox. */
export async function federationRoutes(app: FastifyInstance, ctx: NodeContext): Promise<void> {
  await receiveMessageRoute(app, ctx);
  await receiveBatchRoute(app, ctx);
  deadLetterRoutes(app, ctx);
  linkRoutes(app, ctx);
  await witnessRoutes(app, ctx);
}
