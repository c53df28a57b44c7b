import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { NodeContext } from '../context.ts';
import { uuidv7 } from '../shared/ids.ts';
import { type RouteRecord, registerAccessControl } from './plugins/access-control.ts';
import { answerClientError, frameworkProblem } from './plugins/client-errors.ts';
import { registerInputSafety } from './plugins/input-safety.ts';
import { lazyCompilersFactory } from './plugins/lazy-compilers.ts';
import { registerMetrics } from './plugins/metrics.ts';
import { safeNumbersPlugin } from './plugins/safe-numbers.ts';
import { problemBody, sendProblem } from './problem.ts';
import { registerRoutes } from './routes/index.ts';

/** API answers are JSON: nothing in them may load, run or be framed. */
const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
/** Swagger UI: its own scripts and styles (it sets inline styles), no framing, no other origin. */
const DOCS_CSP =
  "default-src 'self'; base-uri 'self'; img-src 'self' data:; object-src 'none'; script-src 'self'; script-src-attr 'none'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; form-action 'self'";

export type App = FastifyInstance & { routeTable: RouteRecord[] };

/** The HTTP API of a node: problem+json errors, OpenAPI at /docs, deny-by-default access on every route. */
export async function buildApp(ctx: NodeContext): Promise<App> {
  const app = Fastify({
    loggerInstance: ctx.logger as FastifyBaseLogger,
    bodyLimit: ctx.config.bodyLimitBytes,
    // Fastify's 10 s default fails a start on a busy machine (swagger-ui's static files): a slow start
    // is better than a node that does not start.
    pluginTimeout: 120_000,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : uuidv7();
    },
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
    trustProxy: false,
    // `verbose` keeps each failed keyword's schema on its error, for the bounds in the message.
    ajv: {
      customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: true, verbose: true },
      plugins: [safeNumbersPlugin],
    },
    schemaController: { compilersFactory: lazyCompilersFactory() },
    // Fastify's own message joins every error: a huge bad array would cost megabytes for nothing.
    schemaErrorFormatter: (errors, part) => new Error(`${part} is not valid (${errors.length} problems)`),
    frameworkErrors: (error, request, reply) => sendProblem(frameworkProblem(error), request, reply),
    clientErrorHandler: answerClientError,
  }).withTypeProvider<TypeBoxTypeProvider>();
  const routeTable: RouteRecord[] = [];
  // The API speaks JSON only: a text/plain body gets 415 rather than a confusing schema error.
  app.removeContentTypeParser('text/plain');

  app.setErrorHandler((error, request, reply) => sendProblem(error, request, reply));
  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .type('application/problem+json; charset=utf-8')
      .send(
        problemBody(
          request,
          404,
          'ERR_NO_ROUTE',
          `No route ${request.method} ${request.url.split('?')[0]}. The API is described at /docs.`,
        ),
      ),
  );
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', String(request.id));
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    if (!reply.hasHeader('x-frame-options')) reply.header('x-frame-options', 'DENY');
    // The web desk and /docs set their own policy; every other answer is data, never a page.
    if (!reply.hasHeader('content-security-policy')) reply.header('content-security-policy', API_CSP);
    if (!request.url.startsWith('/docs')) reply.header('cache-control', 'no-store');
  });

  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'hanoi247 node API',
        version: '1',
        description:
          'A hanoi247 node: the 24/7 point of contact and central authority of a State Party to the UN Convention against Cybercrime. Errors are application/problem+json with a stable `code` and, for bad input, an `errors` list naming each field.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'h247_session' },
          token: { type: 'http', scheme: 'bearer' },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: DOCS_CSP });
  registerAccessControl(app, ctx.auth, routeTable);
  registerInputSafety(app);
  registerMetrics(app, ctx);
  await registerRoutes(app, ctx);
  await app.ready();
  return Object.assign(app, { routeTable }) as unknown as App;
}
