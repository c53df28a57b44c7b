// GET /api/v1/requests/events: the live desk. Each committed change of a request (a draft, a step, a
// message from a peer node) is pushed as a server-sent event carrying the request's summary, so the
// list and the detail page update without reloading. The caller's credentials are checked again at
// every event, every few seconds and at once on a revocation: a session that ended or lost its roles
// stops receiving.
import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { hasAnyRole, type Principal } from '../../../auth/principal.ts';
import type { NodeContext } from '../../../context.ts';
import type { RequestChange } from '../../../requests/request-service.ts';
import { openEventStream } from '../../event-stream.ts';
import { errorResponses } from '../../schemas.ts';
import { guardStream, RECHECK_MS } from '../../stream-guard.ts';
import { REQUEST_READERS } from './request-access.ts';

/** The event a subscriber receives: which change, and the request as it stands after it. */
export function changeEvent(change: RequestChange) {
  return {
    event: change.kind === 'created' ? 'request.created' : 'request.changed',
    data: { action: change.action, request: change.request },
  };
}

/** Every reader may list every request (request-access.ts); the roles are what decides. */
export function mayReceive(principal: Principal | null): boolean {
  return principal !== null && hasAnyRole(principal, REQUEST_READERS);
}

export function requestEventsRoute(app: FastifyInstance, ctx: NodeContext): void {
  const heartbeatMs = ctx.config.eventsHeartbeatSeconds * 1000;
  const open = new Set<ServerResponse>();
  // A stream never ends on its own: end them before the server waits for its connections to close.
  app.addHook('preClose', async () => {
    for (const res of open) res.end();
  });
  let sequence = 0;

  app.get(
    '/api/v1/requests/events',
    {
      config: { access: REQUEST_READERS },
      schema: {
        tags: ['requests'],
        summary:
          'Server-sent events (send Accept: text/event-stream) of committed request changes: request.created and request.changed, each with the request summary',
        response: { 200: Type.String({ description: 'text/event-stream' }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const res = openEventStream(request, reply, 3_000);
      open.add(res);
      const guard = guardStream(ctx, request, res, mayReceive, Math.min(heartbeatMs, RECHECK_MS));
      const unsubscribe = ctx.requests.onChange((change) => {
        guard.send(() => {
          const { event, data } = changeEvent(change);
          sequence += 1;
          res.write(`id: ${sequence}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
        });
      });
      const heartbeat = setInterval(() => guard.send(() => res.write(': keep-alive\n\n')), heartbeatMs);
      heartbeat.unref();
      res.on('close', () => {
        clearInterval(heartbeat);
        guard.stop();
        unsubscribe();
        open.delete(res);
      });
    },
  );
}
