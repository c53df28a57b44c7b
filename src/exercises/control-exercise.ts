// The controller's hands on the clock: pause, resume, jump forward, end. Each is one transaction
// with its audit entry; on the controller's node, a pause, a resume or a jump also queues the new
// clock for the nodes that joined (exercise-federation.ts), in the same transaction. Ending archives
// the exercise (archive-exercise.ts) and, on the controller's node, ends it on the joined nodes too.
import { eq } from 'drizzle-orm';
import { appendAudit } from '../audit/audit-log.ts';
import { advanceClock, elapsedMs, pauseClock, resumeClock } from '../domain/exercises/index.ts';
import { ConflictError, ValidationError } from '../shared/errors.ts';
import type { Db } from '../store/database.ts';
import { exercises } from '../store/schema/index.ts';
import { archiveExercise } from './archive-exercise.ts';
import { notRunning } from './exercise-clock-port.ts';
import type { ExerciseActor, ExerciseContext } from './exercise-context.ts';
import { sendExerciseEnd, sendFinalScore } from './exercise-end-federation.ts';
import { sendExerciseClock } from './exercise-federation.ts';
import { clockColumns, clockOf, type ExerciseRow, getExercise } from './exercise-store.ts';

/**
 * A participant that named the controller's node follows its clock (exercise-federation.ts): a
 * change made here would be undone by the controller's next one, and would make this node's clock
 * anchor a local instant, which the controller's messages must not be compared with.
 */
function followsController(row: ExerciseRow): void {
  if (row.role === 'participant' && row.controllerState)
    throw new ConflictError(
      `The clock of exercise ${row.id} follows the controller's node (${row.controllerState}): ask its controller.`,
      'ERR_EXERCISE_FOLLOWS_CONTROLLER',
    );
}

async function change(
  ctx: ExerciseContext,
  actor: ExerciseActor,
  id: string,
  action: string,
  apply: (tx: Db, row: ExerciseRow, now: Date) => Promise<Record<string, unknown>>,
) {
  const now = ctx.clock.now();
  let sentTo = 0;
  await ctx.db.transaction(async (tx) => {
    const row = await getExercise(tx, id, true);
    if (row.status === 'ended') throw notRunning(id, 'has ended: it is archived and read-only');
    const payload = await apply(tx, row, now);
    sentTo = typeof payload.sentTo === 'number' ? payload.sentTo : 0;
    await appendAudit(
      tx,
      { actor: actor.id, action: `exercise.${action}`, objectType: 'exercise', objectId: id, payload },
      now,
    );
  });
  ctx.changed(id);
  if (sentTo > 0) ctx.federation?.nudge();
  return getExercise(ctx.db, id);
}

export function pauseExercise(ctx: ExerciseContext, actor: ExerciseActor, id: string) {
  return change(ctx, actor, id, 'pause', async (tx, row, now) => {
    followsController(row);
    if (row.status !== 'running') throw notRunning(id, 'is not running');
    const clock = pauseClock(clockOf(row), now);
    await tx
      .update(exercises)
      .set({ status: 'paused', ...clockColumns(clock), version: row.version + 1 })
      .where(eq(exercises.id, id));
    return { elapsedMs: clock.anchorElapsedMs, sentTo: await sendExerciseClock(ctx, tx, row, clock, now) };
  });
}

export function resumeExercise(ctx: ExerciseContext, actor: ExerciseActor, id: string) {
  return change(ctx, actor, id, 'resume', async (tx, row, now) => {
    followsController(row);
    if (row.status !== 'paused') throw notRunning(id, 'is not paused');
    const clock = resumeClock({ ...clockOf(row), paused: true }, now);
    await tx
      .update(exercises)
      .set({ status: 'running', ...clockColumns(clock), version: row.version + 1 })
      .where(eq(exercises.id, id));
    return { elapsedMs: clock.anchorElapsedMs, sentTo: await sendExerciseClock(ctx, tx, row, clock, now) };
  });
}

/**
 * Jumps the exercise clock forward (a quiet night skipped; tests drive the script with it). Allowed
 * while paused too: a controller who prepared a paused exercise steps it along by hand.
 */
export function advanceExercise(ctx: ExerciseContext, actor: ExerciseActor, id: string, minutes: unknown) {
  if (typeof minutes !== 'number' || !Number.isFinite(minutes) || minutes <= 0 || minutes > 60 * 24 * 365)
    throw new ValidationError([
      { field: '/minutes', message: 'must be a number of exercise minutes above 0' },
    ]);
  return change(ctx, actor, id, 'advance', async (tx, row, now) => {
    followsController(row);
    const clock = advanceClock(clockOf(row), now, minutes * 60_000);
    await tx
      .update(exercises)
      .set({ ...clockColumns(clock), version: row.version + 1 })
      .where(eq(exercises.id, id));
    return {
      minutes,
      elapsedMs: clock.anchorElapsedMs,
      sentTo: await sendExerciseClock(ctx, tx, row, clock, now),
    };
  });
}

/**
 * Ends and archives the exercise here. On the controller's node the end also goes to every joined
 * node, with the controller's final score; a participant that named its controller sends its own
 * final score back (exercise-end-federation.ts), in the same transaction.
 */
export function endExercise(ctx: ExerciseContext, actor: ExerciseActor, id: string) {
  return change(ctx, actor, id, 'end', async (tx, row, now) => {
    const clock = pauseClock(clockOf(row), now);
    const { actions, score } = await archiveExercise(tx, row, clock, now, now);
    const sentTo =
      (await sendExerciseEnd(ctx, tx, row, clock, now, actions)) +
      (await sendFinalScore(ctx, tx, row, actions, now));
    return { elapsedMs: elapsedMs(clock, now), score, sentTo };
  });
}
