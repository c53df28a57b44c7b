// The exercise service of a node (issue #18): scenario validation, start and join, the controller's
// clock and injects, the players' shared alerts, the live view, the timeline and the after-action
// report. Built once per node in src/main.ts; the request service meets it through the exercise
// clock port and the transition hook, the federation inbox through the exercise gate.
import { EventEmitter } from 'node:events';
import type { DirectoryService } from '../directory/directory-service.ts';
import { type ReportLanguage, scenarioJsonSchema } from '../domain/exercises/index.ts';
import type { MessageHeader } from '../domain/federation/index.ts';
import type { RequestService, TransitionChange } from '../requests/request-service.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import type { Database, Db } from '../store/database.ts';
import { advanceExercise, endExercise, pauseExercise, resumeExercise } from './control-exercise.ts';
import { alertView, recordTransition, shareAlert } from './exercise-actions.ts';
import type { ExerciseActor, ExerciseContext } from './exercise-context.ts';
import { EXERCISE_SCORE, receiveExerciseEnd, receiveFinalScore } from './exercise-end-federation.ts';
import { receiveExerciseAlert, receiveExerciseClock } from './exercise-federation.ts';
import { reportLanguage, reportOf } from './exercise-report.ts';
import { alertsOf, findExercise, getExercise, listExercises } from './exercise-store.ts';
import { exerciseView, timelineOf } from './exercise-view.ts';
import { addManualInject, fireDueInjects, fireInjectNow, startInjectLoop } from './fire-injects.ts';
import { checkScenario, joinExercise, startExercise } from './start-exercise.ts';

export type { ExerciseActor } from './exercise-context.ts';

/**
 * Refuses, in the inbox transaction, exercise traffic for an exercise this node has not joined (or
 * has ended). A participant's final score is the one message an ended exercise still takes: it
 * answers the controller's end.
 */
export async function exerciseGate(tx: Db, header: MessageHeader): Promise<void> {
  if (!header.exerciseId) return;
  const row = await findExercise(tx, header.exerciseId);
  if (!row || (row.status === 'ended' && header.type !== EXERCISE_SCORE))
    throw new AppError(
      'ERR_EXERCISE_NOT_JOINED',
      409,
      `This node has ${row ? 'ended' : 'not joined'} exercise ${header.exerciseId}; its traffic is refused.`,
    );
}

export function createExerciseService(deps: {
  database: Database;
  clock: Clock;
  requests: () => RequestService;
  directory: DirectoryService;
  nodeState: string;
  /** The federation outbox's message lifetime and sender (exercise alerts and the controller's clock). */
  federation?: { lifetimeMs: number; nudge: () => void };
}) {
  const events = new EventEmitter();
  events.setMaxListeners(0);
  const ctx: ExerciseContext = {
    db: deps.database.db,
    clock: deps.clock,
    get requests() {
      return deps.requests();
    },
    directory: deps.directory,
    nodeState: deps.nodeState,
    changed: (id) => events.emit('changed', id),
    federation: deps.federation ?? null,
  };
  const view = async (id: string) => exerciseView(ctx.db, await getExercise(ctx.db, id), ctx.clock.now());
  const then =
    <A extends unknown[]>(fn: (...args: A) => Promise<{ id: string }>) =>
    async (...args: A) =>
      view((await fn(...args)).id);

  return {
    scenarioSchema: scenarioJsonSchema,
    validate: async (text: unknown) => {
      const checked = await checkScenario(ctx, text);
      return checked.ok
        ? { valid: true, problems: [], scenario: checked.scenario }
        : { valid: false, problems: checked.problems, scenario: null };
    },
    start: then((actor: ExerciseActor, input: { scenario?: unknown; speed?: number; paused?: boolean }) =>
      startExercise(ctx, actor, input),
    ),
    join: then((actor: ExerciseActor, input: Parameters<typeof joinExercise>[2]) =>
      joinExercise(ctx, actor, input),
    ),
    pause: then((actor: ExerciseActor, id: string) => pauseExercise(ctx, actor, id)),
    resume: then((actor: ExerciseActor, id: string) => resumeExercise(ctx, actor, id)),
    advance: then((actor: ExerciseActor, id: string, minutes: unknown) =>
      advanceExercise(ctx, actor, id, minutes),
    ),
    end: then((actor: ExerciseActor, id: string) => endExercise(ctx, actor, id)),
    fireInject: then((actor: ExerciseActor, id: string, injectId: string) =>
      fireInjectNow(ctx, actor, id, injectId),
    ),
    addInject: then((actor: ExerciseActor, id: string, input: { title?: unknown; message?: unknown }) =>
      addManualInject(ctx, actor, id, input),
    ),
    shareAlert: (actor: ExerciseActor, id: string, input: Parameters<typeof shareAlert>[3]) =>
      shareAlert(ctx, actor, id, input),
    alerts: async (id: string) => {
      await getExercise(ctx.db, id);
      return { items: (await alertsOf(ctx.db, id)).map(alertView) };
    },
    get: view,
    list: async (status?: string) => {
      const now = ctx.clock.now();
      const items = [];
      for (const row of await listExercises(ctx.db, status)) items.push(await exerciseView(ctx.db, row, now));
      return { items };
    },
    timeline: async (id: string) => ({ items: await timelineOf(ctx.db, await getExercise(ctx.db, id)) }),
    report: async (id: string, options: { lang?: ReportLanguage; state?: string }) => {
      const row = await getExercise(ctx.db, id);
      const lang = await reportLanguage(ctx.db, row, options.lang, options.state);
      return reportOf(ctx.db, row, ctx.clock.now(), lang, options.state);
    },
    /** Fires the due injects now (the loop does it every few seconds; tests and the CLI call it). */
    fireDue: (wait = false) => fireDueInjects(ctx, 20, wait),
    startLoop: (onError: (err: unknown) => void, intervalMs?: number) =>
      startInjectLoop(ctx, onError, intervalMs),
    /** The transition hook's part: records an exercise step; false when its message must not leave (simulated partner). */
    recordTransition: (tx: Db, change: TransitionChange) => recordTransition(tx, deps.nodeState, change),
    /** Applies an 'exercise_alert' message (registered with the federation in src/main.ts). */
    receiveAlert: async (tx: Db, header: MessageHeader, body: unknown) => {
      const id = await receiveExerciseAlert(tx, header, body, ctx.clock.now());
      return () => ctx.changed(id);
    },
    /** Applies an 'exercise_clock' message from the controller's node; the inject loop fires what fell due. */
    receiveClock: async (tx: Db, header: MessageHeader, body: unknown) => {
      const id = await receiveExerciseClock(tx, header, body, ctx.clock.now());
      return () => {
        if (id) ctx.changed(id);
      };
    },
    /** Applies the controller's 'exercise_end': archives the exercise here and sends this node's final score back. */
    receiveEnd: async (tx: Db, header: MessageHeader, body: unknown) => {
      const id = await receiveExerciseEnd(ctx, tx, header, body, ctx.clock.now());
      return () => {
        ctx.changed(id);
        ctx.federation?.nudge();
      };
    },
    /** Keeps a participating node's 'exercise_score' on the controller's node. */
    receiveScore: async (tx: Db, header: MessageHeader, body: unknown) => {
      const id = await receiveFinalScore(tx, header, body, ctx.clock.now());
      return () => ctx.changed(id);
    },
    /** Tells live screens an exercise changed (a request step of it committed). */
    notifyChanged: (id: string) => ctx.changed(id),
    onChange: (listener: (id: string) => void) => {
      events.on('changed', listener);
      return () => events.off('changed', listener);
    },
  };
}

export type ExerciseService = ReturnType<typeof createExerciseService>;
