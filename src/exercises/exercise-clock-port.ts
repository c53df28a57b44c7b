// The exercise clock as the request use cases see it (ExerciseClockPort): the exercise's own time,
// read from its row in the step's transaction, so every replica agrees and a pause or a jump is seen
// at once. Real requests never come here: they keep the node's clock.
import { exerciseNow } from '../domain/exercises/index.ts';
import type { ExerciseClockPort } from '../requests/use-cases/request-types.ts';
import { ConflictError, ValidationError } from '../shared/errors.ts';
import { clockOf, findExercise, participantsOf } from './exercise-store.ts';

export function notRunning(id: string, why: string): ConflictError {
  return new ConflictError(`Exercise ${id} ${why}.`, 'ERR_EXERCISE_NOT_RUNNING');
}

export const exerciseClockPort: ExerciseClockPort = {
  async now(tx, exerciseId, realNow) {
    const row = await findExercise(tx, exerciseId);
    if (!row) throw notRunning(exerciseId, 'does not run on this node');
    if (row.status === 'ended') throw notRunning(exerciseId, 'has ended: it is archived and read-only');
    return exerciseNow(clockOf(row), realNow);
  },
  async checkPartner(tx, exerciseId, partnerState, field) {
    const playing = await participantsOf(tx, exerciseId);
    if (!playing.some((p) => p.state === partnerState))
      throw new ValidationError([
        { field, message: `${partnerState} does not take part in exercise ${exerciseId}` },
      ]);
  },
  async viewNow(tx, exerciseId, realNow) {
    const row = await findExercise(tx, exerciseId);
    if (!row) return realNow;
    return exerciseNow(clockOf(row), row.endedAt ?? realNow);
  },
};
