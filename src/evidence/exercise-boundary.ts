// Evidence of an exercise request is exercise material (issue #18): its uploads, items and packages
// carry the exercise id, and nothing crosses between an exercise and real work — an exercise item or
// package is never sealed into, sent for or received on a real request, nor real evidence on an
// exercise's. An ended exercise is archived: its evidence is read-only.
import { eq } from 'drizzle-orm';
import { ConflictError } from '../shared/errors.ts';
import type { Db } from '../store/database.ts';
import { exercises } from '../store/schema/index.ts';

export const BOUNDARY_CODE = 'ERR_EVIDENCE_EXERCISE_BOUNDARY';

/** Null when `material` (an item or a package) and the request are on the same side; else why not. */
export function boundaryProblem(
  what: string,
  materialExercise: string | null | undefined,
  request: { id: string; exerciseId: string | null },
): string | null {
  const mine = materialExercise ?? null;
  const theirs = request.exerciseId ?? null;
  if (mine === theirs) return null;
  if (mine === null)
    return `${what} is real evidence, and request ${request.id} belongs to exercise ${theirs}`;
  return `${what} belongs to exercise ${mine}, and request ${request.id} is ${theirs ? `of exercise ${theirs}` : 'real work'}`;
}

export function requireSameSide(
  what: string,
  materialExercise: string | null | undefined,
  request: { id: string; exerciseId: string | null },
): void {
  const problem = boundaryProblem(what, materialExercise, request);
  if (problem)
    throw new ConflictError(
      `${problem}: evidence never crosses between an exercise and real work.`,
      BOUNDARY_CODE,
    );
}

/** An exercise's evidence changes only while the exercise runs (or is paused) on this node. */
export async function requireExerciseOpen(db: Db, exerciseId: string | null): Promise<void> {
  if (!exerciseId) return;
  const [row] = await db
    .select({ status: exercises.status })
    .from(exercises)
    .where(eq(exercises.id, exerciseId));
  if (!row || row.status === 'ended')
    throw new ConflictError(
      `Exercise ${exerciseId} ${row ? 'has ended: its evidence is archived and read-only' : 'does not run on this node'}.`,
      'ERR_EXERCISE_NOT_RUNNING',
    );
}
