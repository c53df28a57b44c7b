// The inject engine: fires the injects whose exercise time has come — a partner's request arrives,
// the hub publishes an alert, a controller's message — and the simulated partners' scripted answers.
// Injects are claimed with FOR UPDATE SKIP LOCKED, so replicas never fire one twice; each fire, its
// effect and its audit entry commit together. The exercise's own request timers run here too, on the
// exercise's clock (real timers never see exercise requests).
import { and, asc, eq, lt, lte, sql } from 'drizzle-orm';
import { appendAudit } from '../audit/audit-log.ts';
import type { DirectoryDocument } from '../domain/directory/index.ts';
import { elapsedMs, exerciseNow, offsetMinutes, type ScenarioInject } from '../domain/exercises/index.ts';
import { HANDLER_ROLES } from '../domain/requests/index.ts';
import { AppError, ConflictError, ValidationError } from '../shared/errors.ts';
import { uuidv7 } from '../shared/ids.ts';
import type { Db } from '../store/database.ts';
import { exerciseAlerts, exerciseInjects } from '../store/schema/index.ts';
import { notRunning } from './exercise-clock-port.ts';
import type { ExerciseActor, ExerciseContext } from './exercise-context.ts';
import {
  activeExercises,
  clockOf,
  type ExerciseRow,
  findInject,
  getExercise,
  type InjectRow,
  participantsOf,
} from './exercise-store.ts';

const ENGINE = 'system:exercise';

/** The actor a simulated partner acts as: it holds no account, only the handler roles. */
export function simulatedActor(state: string): ExerciseActor {
  return { id: `exercise:simulated:${state}`, roles: HANDLER_ROLES };
}

type Firing = {
  tx: Db;
  exercise: ExerciseRow;
  at: Date;
  minutes: number;
  document: DirectoryDocument | null;
  afterCommit: (step: () => void) => void;
};

/** What one inject does; returns the request or alert it made. */
async function effectOf(
  ctx: ExerciseContext,
  f: Firing,
  inject: InjectRow,
): Promise<{ requestId?: string; alertId?: string; error?: string }> {
  const details = inject.details as ScenarioInject & { requestId?: string; step?: string; state?: string };
  const within = { tx: f.tx, afterCommit: f.afterCommit };
  if (inject.source === 'simulated' && details.requestId && details.step) {
    try {
      await ctx.requests.transition(
        simulatedActor(details.state ?? '??'),
        details.requestId,
        { action: details.step },
        within,
      );
    } catch (error) {
      // The players moved the request on (withdrew it…): the scripted answer no longer applies.
      if (error instanceof AppError) return { error: error.code };
      throw error;
    }
    return { requestId: details.requestId };
  }
  if (
    inject.kind === 'incoming_request' &&
    details.to === f.exercise.nodeState &&
    details.request &&
    details.from
  ) {
    const simulated = (await participantsOf(f.tx, f.exercise.id)).some(
      (p) => p.state === details.from && p.simulated,
    );
    // A real partner sends it from its own node; the inject only prompts its players there.
    if (!simulated || !f.document) return {};
    const id = uuidv7(Date.now());
    await ctx.requests.create(
      simulatedActor(details.from),
      {
        requestingState: details.from,
        requestedState: details.to,
        ...details.request,
        direction: 'INCOMING',
        exerciseId: f.exercise.id,
      },
      { ...within, document: f.document, id },
    );
    return { requestId: id };
  }
  if (inject.kind === 'partner_offline' && details.from) {
    // A simulated partner's answers due while it is offline come when it is back.
    const back = f.minutes + (offsetMinutes(details.offlineFor) ?? 0);
    await f.tx
      .update(exerciseInjects)
      .set({ atMinutes: back })
      .where(
        and(
          eq(exerciseInjects.exerciseId, f.exercise.id),
          eq(exerciseInjects.status, 'pending'),
          eq(exerciseInjects.source, 'simulated'),
          lt(exerciseInjects.atMinutes, back),
          sql`${exerciseInjects.details}->>'state' = ${details.from}`,
        ),
      );
    return {};
  }
  if (inject.kind === 'hub_alert' && details.alert) {
    const id = uuidv7(Date.now());
    await f.tx.insert(exerciseAlerts).values({
      id,
      exerciseId: f.exercise.id,
      title: inject.title,
      tlp: details.alert.tlp,
      indicators: details.alert.indicators,
      source: 'inject',
      createdBy: `exercise:simulated:${details.from ?? 'hub'}`,
      createdAt: f.at,
    });
    return { alertId: id };
  }
  return {};
}

async function fire(ctx: ExerciseContext, f: Firing, inject: InjectRow, by: string): Promise<void> {
  const effect = await effectOf(ctx, f, inject);
  await f.tx
    .update(exerciseInjects)
    .set({
      status: 'fired',
      firedAt: f.at,
      firedMinutes: f.minutes,
      firedBy: by,
      requestId: effect.requestId ?? null,
      alertId: effect.alertId ?? null,
    })
    .where(
      and(eq(exerciseInjects.exerciseId, inject.exerciseId), eq(exerciseInjects.injectId, inject.injectId)),
    );
  await appendAudit(
    f.tx,
    {
      actor: by,
      action: 'exercise.inject',
      objectType: 'exercise',
      objectId: inject.exerciseId,
      payload: {
        inject: inject.injectId,
        kind: inject.kind,
        source: inject.source,
        atMinutes: f.minutes,
        ...effect,
      },
    },
    ctx.clock.now(),
  );
}

/** Runs `fn` in one transaction with a firing context; the steps left for after the commit run after it. */
async function firing(
  ctx: ExerciseContext,
  exercise: ExerciseRow,
  fn: (f: Firing) => Promise<number>,
): Promise<number> {
  // Read before the transaction: an embedded database has one connection, held by the transaction.
  const document = (await ctx.directory.currentOrNull())?.document ?? null;
  const steps: (() => void)[] = [];
  const count = await ctx.db.transaction(async (tx) => {
    const real = ctx.clock.now();
    const clock = clockOf(exercise);
    const f: Firing = {
      tx,
      exercise,
      at: exerciseNow(clock, real),
      minutes: elapsedMs(clock, real) / 60_000,
      document,
      afterCommit: (s) => steps.push(s),
    };
    return fn(f);
  });
  for (const step of steps) step();
  if (count > 0) ctx.changed(exercise.id);
  return count;
}

/**
 * Fires every due inject of the running exercises and their due request timers; returns how many
 * injects fired. The engine's loop skips injects another pass holds; `wait` (a jump's "due injects
 * fire at once") waits for that pass instead, so that every due inject has fired when it returns.
 */
export async function fireDueInjects(ctx: ExerciseContext, limit = 20, wait = false): Promise<number> {
  let fired = 0;
  // A paused exercise's clock stands still, so only a jump made while paused makes injects due.
  for (const exercise of await activeExercises(ctx.db)) {
    fired += await firing(ctx, exercise, async (f) => {
      const due = await f.tx
        .select()
        .from(exerciseInjects)
        .where(
          and(
            eq(exerciseInjects.exerciseId, exercise.id),
            eq(exerciseInjects.status, 'pending'),
            lte(exerciseInjects.atMinutes, f.minutes),
          ),
        )
        .orderBy(asc(exerciseInjects.atMinutes), asc(exerciseInjects.injectId))
        .limit(limit)
        .for('update', wait ? {} : { skipLocked: true });
      for (const inject of due) await fire(ctx, f, inject, ENGINE);
      return due.length;
    });
    await ctx.requests.processDueTimers(100, {
      id: exercise.id,
      now: exerciseNow(clockOf(exercise), ctx.clock.now()),
    });
  }
  return fired;
}

/** The controller fires a scripted inject now, before its time (or a manual one). */
export async function fireInjectNow(
  ctx: ExerciseContext,
  actor: ExerciseActor,
  id: string,
  injectId: string,
) {
  const exercise = await getExercise(ctx.db, id);
  if (exercise.status === 'ended') throw notRunning(id, 'has ended: it is archived and read-only');
  await firing(ctx, exercise, async (f) => {
    const inject = await findInject(f.tx, id, injectId, true);
    if (!inject)
      throw new AppError('ERR_NOT_FOUND', 404, `Inject '${injectId}' does not exist in exercise ${id}.`);
    if (inject.status !== 'pending')
      throw new ConflictError(
        `Inject '${injectId}' has already ${inject.status}.`,
        'ERR_EXERCISE_INJECT_FIRED',
      );
    await fire(ctx, f, inject, actor.id);
    return 1;
  });
  return getExercise(ctx.db, id);
}

/** An unscripted message from the controller to the players, logged as a fired inject. */
export async function addManualInject(
  ctx: ExerciseContext,
  actor: ExerciseActor,
  id: string,
  input: { title?: unknown; message?: unknown },
) {
  const problems = [];
  if (typeof input.title !== 'string' || input.title.trim() === '' || input.title.length > 300)
    problems.push({ field: '/title', message: 'must be a title of 1 to 300 characters' });
  if (input.message !== undefined && (typeof input.message !== 'string' || input.message.length > 4000))
    problems.push({ field: '/message', message: 'must be a text of at most 4000 characters' });
  if (problems.length > 0) throw new ValidationError(problems);
  const exercise = await getExercise(ctx.db, id);
  if (exercise.status === 'ended') throw notRunning(id, 'has ended: it is archived and read-only');
  await firing(ctx, exercise, async (f) => {
    const injectId = `manual-${uuidv7(Date.now()).slice(-12)}`;
    const details = {
      id: injectId,
      kind: 'manual',
      title: input.title,
      message: input.message ?? null,
      at: f.minutes,
    };
    await f.tx.insert(exerciseInjects).values({
      exerciseId: id,
      injectId,
      kind: 'manual',
      title: input.title as string,
      source: 'manual',
      atMinutes: f.minutes,
      details,
    });
    const [inject] = await f.tx
      .select()
      .from(exerciseInjects)
      .where(and(eq(exerciseInjects.exerciseId, id), eq(exerciseInjects.injectId, injectId)));
    await fire(ctx, f, inject!, actor.id);
    return 1;
  });
  return getExercise(ctx.db, id);
}

/** Starts the engine's loop (every `intervalMs` of real time); returns its stop. */
export function startInjectLoop(
  ctx: ExerciseContext,
  onError: (err: unknown) => void,
  intervalMs = 2_000,
): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    fireDueInjects(ctx)
      .catch(onError)
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
