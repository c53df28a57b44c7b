import type { FastifyInstance } from 'fastify';
import type { NodeContext } from '../../../context.ts';
import { caseRoutes } from './case-routes.ts';
import { createRequestRoute } from './create-request.ts';
import { getRequestRoute } from './get-request.ts';
import { listRequestsRoute } from './list-requests.ts';
import { notificationRoutes } from './notification-routes.ts';
import { requestEventsRoute } from './request-events.ts';
import { requestFormRoute } from './request-form.ts';
import { requestRecordRoute } from './request-record.ts';
import { requestTypesRoute } from './request-types.ts';
import { transitionRequestRoute } from './transition-request.ts';
import { updateDraftRoute } from './update-draft.ts';

/** Requests under the Convention. */
export function requestRoutes(app: FastifyInstance, ctx: NodeContext): void {
  requestTypesRoute(app, ctx);
  createRequestRoute(app, ctx);
  listRequestsRoute(app, ctx);
  caseRoutes(app, ctx);
  requestEventsRoute(app, ctx);
  getRequestRoute(app, ctx);
  updateDraftRoute(app, ctx);
  transitionRequestRoute(app, ctx);
  notificationRoutes(app, ctx);
  requestFormRoute(app, ctx);
  requestRecordRoute(app, ctx);
}
