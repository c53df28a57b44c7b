// Archiving an exercise, in the transaction of its end (the administrator's, or the controller's end
// arriving over federation): the clock stops for good, the injects that never fired are cancelled,
// and every expected action is scored once, the score kept in exercise_outcomes. Afterwards every
// step on its requests is refused (exercise-clock-port.ts) and its traffic too (the exercise gate).
import { and, eq } from 'drizzle-orm';
import type { ClockState } from '../domain/exercises/index.ts';
import type { Db } from '../store/database.ts';
import { exerciseInjects, exerciseOutcomes, exercises } from '../store/schema/index.ts';
import { clockColumns, type ExerciseRow } from './exercise-store.ts';
import { scoreOf } from './exercise-view.ts';

/** `clock` is the stopped clock (paused at the exercise's last minute); `endedAt` the real instant of the end. */
export async function archiveExercise(tx: Db, row: ExerciseRow, clock: ClockState, endedAt: Date, now: Date) {
  await tx
    .update(exercises)
    .set({ status: 'ended', endedAt, ...clockColumns(clock), version: row.version + 1 })
    .where(eq(exercises.id, row.id));
  await tx
    .update(exerciseInjects)
    .set({ status: 'cancelled' })
    .where(and(eq(exerciseInjects.exerciseId, row.id), eq(exerciseInjects.status, 'pending')));
  const ended = { ...row, status: 'ended', endedAt, ...clockColumns(clock) };
  const scored = await scoreOf(tx, ended, endedAt);
  if (scored.actions.length > 0)
    await tx.insert(exerciseOutcomes).values(
      scored.actions.map((a) => ({
        exerciseId: row.id,
        actionId: a.id,
        outcome: a.outcome,
        takenMinutes: a.takenMinutes,
        detail: a.detail,
        scoredAt: now,
      })),
    );
  return scored;
}
