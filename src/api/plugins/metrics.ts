import type { FastifyInstance } from 'fastify';
import type { NodeContext } from '../../context.ts';

/** Counts and times every request by route and status, for /metrics. */
export function registerMetrics(app: FastifyInstance, ctx: NodeContext): void {
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const labels = { method: request.method, route, status: String(reply.statusCode) };
    ctx.metrics.httpRequests.inc(labels);
    ctx.metrics.httpDuration.observe(labels, reply.elapsedTime / 1000);
  });
}
