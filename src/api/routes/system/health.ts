import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { NodeContext } from '../../../context.ts';
import { checkMetricsAccess } from '../../plugins/metrics-access.ts';
import { problemBody } from '../../problem.ts';
import { ProblemSchema } from '../../schemas.ts';

/** Liveness, readiness (the database answers and migrations ran) and Prometheus metrics. */
export function healthRoutes(app: FastifyInstance, ctx: NodeContext): void {
  app.get(
    '/healthz',
    {
      config: { access: 'public' },
      schema: {
        tags: ['system'],
        summary: 'Liveness: the process answers',
        response: { 200: Type.Object({ status: Type.Literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );
  app.get(
    '/readyz',
    {
      config: { access: 'public' },
      schema: {
        tags: ['system'],
        summary: 'Readiness: the database answers and the node is initialised',
        response: {
          200: Type.Object({ status: Type.Literal('ready'), storage: Type.String(), node: Type.String() }),
          503: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      try {
        await ctx.database.db.execute(sql`SELECT 1 FROM audit_state WHERE id = 1`);
      } catch {
        return reply
          .status(503)
          .type('application/problem+json')
          .send(problemBody(request, 503, 'ERR_NOT_READY', 'The database does not answer yet.'));
      }
      return { status: 'ready' as const, storage: ctx.database.kind, node: ctx.config.nodeState };
    },
  );
  app.get(
    '/metrics',
    {
      config: { access: 'public', ownCredentials: true },
      schema: {
        tags: ['system'],
        summary:
          'Prometheus metrics: with the bearer token of HANOI247_METRICS_TOKEN, or from this machine (loopback) when none is set',
        hide: false,
      },
    },
    async (request, reply) => {
      checkMetricsAccess(
        ctx.config.secrets.metricsToken,
        request.headers.authorization,
        request.socket.remoteAddress,
      );
      reply.type(ctx.metrics.registry.contentType);
      return ctx.metrics.registry.metrics();
    },
  );
}
