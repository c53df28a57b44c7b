// The exercise routes (issue #18, docs/exercises.md): the controller (an administrator) starts,
// pauses, jumps, injects and ends; the players and auditors read the exercise, its timeline, its
// report and its live stream; the players share indicators inside it. Exercise requests themselves
// go through the ordinary request routes with an `exerciseId`.
import type { ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { hasAnyRole, type Principal } from '../../../auth/principal.ts';
import type { NodeContext } from '../../../context.ts';
import type { Role } from '../../../domain/codes.ts';
import { REPORT_LANGUAGES, type ReportLanguage } from '../../../domain/exercises/index.ts';
import { TLP_LEVELS } from '../../../domain/tlp/index.ts';
import {
  PDF_REPORT_LANGUAGES,
  renderReportHtml,
  renderReportPdf,
} from '../../../exercises/exercise-report.ts';
import type { ExerciseActor } from '../../../exercises/exercise-service.ts';
import { openEventStream } from '../../event-stream.ts';
import { errorResponses } from '../../schemas.ts';
import { guardStream, RECHECK_MS } from '../../stream-guard.ts';

/** The controller: the node's administrator (no new role: one more role would touch every account screen). */
export const EXERCISE_CONTROLLERS: readonly Role[] = ['ADMIN'];
/** Everyone who plays or watches: every role of the node. */
export const EXERCISE_READERS: readonly Role[] = [
  'DUTY_OFFICER',
  'CENTRAL_AUTHORITY',
  'INVESTIGATOR',
  'APPROVER',
  'PRIVATE_LIAISON',
  'CERT_ANALYST',
  'AUDITOR',
  'ADMIN',
];
/** Who may share an indicator inside an exercise: those who may publish to the hub, and the 24/7 point. */
export const EXERCISE_SHARERS: readonly Role[] = ['PRIVATE_LIAISON', 'CERT_ANALYST', 'DUTY_OFFICER', 'ADMIN'];

const Scenario = Type.Union(
  [Type.String({ minLength: 1, maxLength: 1_000_000 }), Type.Object({}, { additionalProperties: true })],
  {
    description: 'the scenario file: YAML or JSON text (or the parsed JSON object)',
  },
);
const StartPaused = Type.Boolean({ description: 'start with the clock paused at T+0 (resume to run)' });
const Speed = Type.Number({ minimum: 1, maximum: 1000, description: 'exercise minutes per real minute' });
const Id = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });
const Empty = Type.Optional(Type.Object({}, { additionalProperties: false }));
const Any = Type.Object({}, { additionalProperties: true });
const responses = { 200: Any, ...errorResponses };

function actor(request: FastifyRequest): ExerciseActor {
  const p = request.principal!;
  return { id: p.userId, roles: p.roles };
}

const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;

export function exerciseRoutes(app: FastifyInstance, ctx: NodeContext): void {
  const ex = ctx.exercises;
  const tags = ['exercises'];

  app.get(
    '/api/v1/exercises/scenario-schema',
    {
      config: { access: 'authenticated' },
      schema: { tags, summary: 'The JSON schema of an exercise scenario file', response: responses },
    },
    async () => ex.scenarioSchema(),
  );
  app.post(
    '/api/v1/exercises/validate',
    {
      config: { access: EXERCISE_READERS },
      schema: {
        tags,
        summary: 'Validate a scenario file: every problem listed (path, code, message)',
        body: Type.Object({ scenario: Scenario }, { additionalProperties: false }),
        response: responses,
      },
    },
    async (request) => ex.validate((request.body as { scenario: unknown }).scenario),
  );
  app.get(
    '/api/v1/exercises',
    {
      config: { access: EXERCISE_READERS },
      schema: {
        tags,
        summary: 'The exercises of this node, newest first',
        querystring: Type.Object(
          { status: Type.Optional(Type.Enum(['running', 'paused', 'ended'])) },
          { additionalProperties: false },
        ),
        response: responses,
      },
    },
    async (request) => ex.list((request.query as { status?: string }).status),
  );
  app.post(
    '/api/v1/exercises',
    {
      config: { access: EXERCISE_CONTROLLERS },
      schema: {
        tags,
        summary: 'Start an exercise from a scenario file (this node controls it; T+0 is now)',
        body: Type.Object(
          {
            scenario: Scenario,
            speed: Type.Optional(Speed),
            paused: Type.Optional(StartPaused),
          },
          { additionalProperties: false },
        ),
        response: { 201: Any, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await ex.start(actor(request), request.body as never)),
  );
  app.post(
    '/api/v1/exercises/join',
    {
      config: { access: EXERCISE_CONTROLLERS },
      schema: {
        tags,
        summary: "Join another node's exercise with the same scenario file, id, start and speed",
        body: Type.Object(
          {
            exerciseId: Type.String({ format: 'uuid' }),
            scenario: Scenario,
            startedAt: Type.String({ format: 'date-time' }),
            speed: Type.Optional(Speed),
            controller: Type.Optional(
              Type.String({
                pattern: '^[A-Z]{2}$',
                description:
                  "the State of the controller's node: its pause, resume and jumps then drive this node's clock",
              }),
            ),
            paused: Type.Optional(StartPaused),
          },
          { additionalProperties: false },
        ),
        response: { 201: Any, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await ex.join(actor(request), request.body as never)),
  );
  app.get(
    '/api/v1/exercises/:id',
    {
      config: { access: EXERCISE_READERS },
      schema: {
        tags,
        summary: 'An exercise: clock, injects, expected actions with their live score',
        params: Id,
        response: responses,
      },
    },
    async (request) => ex.get(idOf(request)),
  );
  const control = (
    path: string,
    summary: string,
    run: (a: ExerciseActor, id: string, body: Record<string, unknown>) => Promise<unknown>,
    body: ReturnType<typeof Type.Object> | typeof Empty = Empty,
  ) =>
    app.post(
      `/api/v1/exercises/:id/${path}`,
      {
        config: { access: EXERCISE_CONTROLLERS },
        schema: { tags, summary, params: Id, body, response: responses },
      },
      async (request) => run(actor(request), idOf(request), (request.body ?? {}) as Record<string, unknown>),
    );
  control('pause', 'Pause the exercise clock', (a, id) => ex.pause(a, id));
  control('resume', 'Resume the exercise clock', (a, id) => ex.resume(a, id));
  control(
    'advance',
    'Jump the exercise clock forward by some exercise minutes (due injects fire at once)',
    async (a, id, body) => {
      await ex.advance(a, id, body.minutes);
      await ex.fireDue(true);
      return ex.get(id);
    },
    Type.Object(
      { minutes: Type.Number({ exclusiveMinimum: 0, maximum: 525600 }) },
      { additionalProperties: false },
    ),
  );
  control('end', 'End the exercise: scored for good, archived, read-only', (a, id) => ex.end(a, id));
  app.post(
    '/api/v1/exercises/:id/injects/:injectId/fire',
    {
      config: { access: EXERCISE_CONTROLLERS },
      schema: {
        tags,
        summary: 'Fire a scripted inject now',
        params: Type.Object(
          { id: Type.String({ maxLength: 64 }), injectId: Type.String({ maxLength: 200 }) },
          { additionalProperties: false },
        ),
        body: Empty,
        response: responses,
      },
    },
    async (request) =>
      ex.fireInject(actor(request), idOf(request), (request.params as { injectId: string }).injectId),
  );
  app.post(
    '/api/v1/exercises/:id/injects',
    {
      config: { access: EXERCISE_CONTROLLERS },
      schema: {
        tags,
        summary: 'An unscripted message from the controller to the players (logged as a fired inject)',
        params: Id,
        body: Type.Object(
          {
            title: Type.String({ minLength: 1, maxLength: 300 }),
            message: Type.Optional(Type.String({ maxLength: 4000 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Any, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await ex.addInject(actor(request), idOf(request), request.body as never)),
  );
  app.get(
    '/api/v1/exercises/:id/timeline',
    {
      config: { access: EXERCISE_READERS },
      schema: {
        tags,
        summary: 'What happened, in exercise time, against the script',
        params: Id,
        response: responses,
      },
    },
    async (request) => ex.timeline(idOf(request)),
  );
  app.get(
    '/api/v1/exercises/:id/alerts',
    {
      config: { access: EXERCISE_READERS },
      schema: {
        tags,
        summary: 'The alerts of the exercise (injected and shared by the players)',
        params: Id,
        response: responses,
      },
    },
    async (request) => ex.alerts(idOf(request)),
  );
  app.post(
    '/api/v1/exercises/:id/alerts',
    {
      config: { access: EXERCISE_SHARERS },
      schema: {
        tags,
        summary: 'Share indicators inside the exercise (never with the real hub)',
        params: Id,
        body: Type.Object(
          {
            title: Type.String({ minLength: 1, maxLength: 300 }),
            tlp: Type.Enum(TLP_LEVELS),
            indicators: Type.Array(
              Type.Object(
                { type: Type.String(), value: Type.String({ maxLength: 500 }) },
                { additionalProperties: false },
              ),
              { minItems: 1, maxItems: 50 },
            ),
          },
          { additionalProperties: false },
        ),
        response: { 201: Any, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await ex.shareAlert(actor(request), idOf(request), request.body as never)),
  );
  app.get(
    '/api/v1/exercises/:id/report',
    {
      config: { access: EXERCISE_READERS },
      schema: {
        tags,
        summary: 'The after-action report: JSON, or PDF (en, fr, vi, ru, es) / printable HTML (ar, zh)',
        params: Id,
        querystring: Type.Object(
          {
            format: Type.Optional(Type.Enum(['json', 'pdf', 'html'])),
            lang: Type.Optional(Type.Enum(REPORT_LANGUAGES)),
            state: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Unknown(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const q = request.query as { format?: string; lang?: ReportLanguage; state?: string };
      const report = await ex.report(idOf(request), { lang: q.lang, state: q.state });
      reply.header('content-language', report.language);
      if (q.format === 'pdf' && PDF_REPORT_LANGUAGES.includes(report.language))
        return reply.type('application/pdf').send(Buffer.from(await renderReportPdf(report)));
      if (q.format === 'pdf' || q.format === 'html')
        return reply
          .header(
            'content-security-policy',
            "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'",
          )
          .type('text/html; charset=utf-8')
          .send(renderReportHtml(report));
      return report;
    },
  );
  exerciseEventsRoute(app, ctx);
}

const mayWatch = (principal: Principal | null) =>
  principal !== null && hasAnyRole(principal, EXERCISE_READERS);

/** GET /api/v1/exercises/:id/events: the exercise as it stands after every change, as server-sent events. */
function exerciseEventsRoute(app: FastifyInstance, ctx: NodeContext): void {
  const open = new Set<ServerResponse>();
  app.addHook('preClose', async () => {
    for (const res of open) res.end();
  });
  app.get(
    '/api/v1/exercises/:id/events',
    {
      config: { access: EXERCISE_READERS },
      schema: {
        tags: ['exercises'],
        summary:
          "Server-sent events (Accept: text/event-stream): 'exercise' with the whole exercise after each change",
        params: Id,
        response: { 200: Type.String({ description: 'text/event-stream' }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const id = idOf(request);
      const first = await ctx.exercises.get(id);
      const res = openEventStream(request, reply, 3_000);
      open.add(res);
      const guard = guardStream(ctx, request, res, mayWatch, RECHECK_MS);
      let sequence = 0;
      const push = (view: unknown) =>
        guard.send(() => {
          sequence += 1;
          res.write(`id: ${sequence}\nevent: exercise\ndata: ${JSON.stringify(view)}\n\n`);
        });
      push(first);
      const unsubscribe = ctx.exercises.onChange((changed) => {
        if (changed !== id) return;
        ctx.exercises.get(id).then(push, () => undefined);
      });
      // Another replica's changes and the clock's own progress: a fresh view every few seconds.
      const refresh = setInterval(() => {
        ctx.exercises.get(id).then(push, () => undefined);
      }, ctx.config.eventsHeartbeatSeconds * 1000);
      refresh.unref();
      res.on('close', () => {
        clearInterval(refresh);
        guard.stop();
        unsubscribe();
        open.delete(res);
      });
    },
  );
}
