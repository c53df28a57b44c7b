import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { hasAnyRole } from '../../../auth/principal.ts';
import type { NodeContext } from '../../../context.ts';
import { eventPayload } from '../../../hub/hub-events.ts';
import { mayReceive } from '../../../hub/visibility.ts';
import { openEventStream } from '../../event-stream.ts';
import { guardStream } from '../../stream-guard.ts';
import { HUB_ROLES } from './hub-schemas.ts';

const HEARTBEAT_MS = 15_000;

/** Server-sent events of new, updated and revoked alerts and indicators, filtered by TLP per subscriber. */
export function streamRoutes(app: FastifyInstance, ctx: NodeContext): void {
  const open = new Set<ServerResponse>();
  // A stream never ends on its own: end them before the server waits for its connections to close.
  app.addHook('preClose', async () => {
    for (const res of open) res.end();
  });

  app.get(
    '/api/v1/hub/stream',
    {
      config: { access: HUB_ROLES },
      schema: {
        tags: ['hub'],
        summary:
          'Server-sent events (send Accept: text/event-stream): alert.published, alert.updated, alert.revoked, alert.expired — only what you may read — and alert.feedback (sightings, false positives) for the publisher',
        response: { 200: Type.String({ description: 'text/event-stream' }) },
      },
    },
    async (request, reply) => {
      const res = openEventStream(request, reply, 5_000);
      open.add(res);
      // Credentials are checked again before each event (signed out, revoked, disabled: the stream ends).
      const guard = guardStream(ctx, request, res, (p) => p !== null && hasAnyRole(p, HUB_ROLES));
      const unsubscribe = ctx.hub.events.subscribe((event) => {
        guard.send((principal) => {
          // Membership is read again at each event: a user who left the organisation stops receiving.
          const viewer = ctx.hub.membership.viewerFor(principal);
          if (!mayReceive(viewer, event)) return;
          res.write(
            `id: ${event.id}\nevent: ${event.event}\ndata: ${JSON.stringify(eventPayload(event))}\n\n`,
          );
        });
      });
      const heartbeat = setInterval(() => guard.send(() => res.write(': keep-alive\n\n')), HEARTBEAT_MS);
      heartbeat.unref();
      // The response closes when the subscriber goes away (or the server stops).
      res.on('close', () => {
        clearInterval(heartbeat);
        guard.stop();
        unsubscribe();
        open.delete(res);
      });
    },
  );
}
