// Storage of exercises: every function takes the transaction (or the database) first. The clock is
// stored as its anchor (exercise-clock.ts), so every replica computes the same exercise time.
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { type ClockState, offsetMinutes, type Scenario } from '../domain/exercises/index.ts';
import { NotFoundError } from '../shared/errors.ts';
import type { Db } from '../store/database.ts';
import {
  exerciseActions,
  exerciseAlerts,
  exerciseFinalScores,
  exerciseInjects,
  exerciseOutcomes,
  exerciseParticipants,
  exercises,
} from '../store/schema/index.ts';

export type ExerciseRow = typeof exercises.$inferSelect;
export type InjectRow = typeof exerciseInjects.$inferSelect;
export type ActionRow = typeof exerciseActions.$inferSelect;
export type AlertRow = typeof exerciseAlerts.$inferSelect;
export type OutcomeRow = typeof exerciseOutcomes.$inferSelect;
export type ParticipantRow = typeof exerciseParticipants.$inferSelect;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function clockOf(row: ExerciseRow): ClockState {
  return {
    exerciseStart: row.exerciseStart,
    anchorReal: row.anchorReal,
    anchorElapsedMs: row.anchorElapsedMs,
    speed: row.speed,
    paused: row.status !== 'running',
  };
}

export function clockColumns(state: ClockState) {
  return { anchorReal: state.anchorReal, anchorElapsedMs: state.anchorElapsedMs, speed: state.speed };
}

export function scenarioOf(row: ExerciseRow): Scenario {
  return (typeof row.scenario === 'string' ? JSON.parse(row.scenario) : row.scenario) as Scenario;
}

export async function findExercise(tx: Db, id: string, lock = false): Promise<ExerciseRow | undefined> {
  if (!UUID.test(id)) return undefined;
  const query = tx.select().from(exercises).where(eq(exercises.id, id));
  const [row] = lock ? await query.for('update') : await query;
  return row;
}

export async function getExercise(tx: Db, id: string, lock = false): Promise<ExerciseRow> {
  const row = await findExercise(tx, id, lock);
  if (!row) throw new NotFoundError('Exercise', id);
  return row;
}

/** The exercises not yet ended on this node (one at most, by the start rule). */
export async function activeExercises(tx: Db): Promise<ExerciseRow[]> {
  return tx
    .select()
    .from(exercises)
    .where(inArray(exercises.status, ['running', 'paused']));
}

export async function listExercises(tx: Db, status?: string): Promise<ExerciseRow[]> {
  return tx
    .select()
    .from(exercises)
    .where(status ? eq(exercises.status, status) : undefined)
    .orderBy(desc(exercises.id))
    .limit(200);
}

export async function injectsOf(tx: Db, id: string): Promise<InjectRow[]> {
  return tx
    .select()
    .from(exerciseInjects)
    .where(eq(exerciseInjects.exerciseId, id))
    .orderBy(asc(exerciseInjects.atMinutes), asc(exerciseInjects.injectId));
}

export async function actionsOf(tx: Db, id: string): Promise<ActionRow[]> {
  return tx
    .select()
    .from(exerciseActions)
    .where(eq(exerciseActions.exerciseId, id))
    .orderBy(asc(exerciseActions.id));
}

export async function alertsOf(tx: Db, id: string): Promise<AlertRow[]> {
  return tx
    .select()
    .from(exerciseAlerts)
    .where(eq(exerciseAlerts.exerciseId, id))
    .orderBy(asc(exerciseAlerts.id));
}

export async function participantsOf(tx: Db, id: string): Promise<ParticipantRow[]> {
  return tx
    .select()
    .from(exerciseParticipants)
    .where(eq(exerciseParticipants.exerciseId, id))
    .orderBy(asc(exerciseParticipants.position));
}

export async function outcomesOf(tx: Db, id: string): Promise<OutcomeRow[]> {
  return tx.select().from(exerciseOutcomes).where(eq(exerciseOutcomes.exerciseId, id));
}

/**
 * The exercise minute a simulated partner is back online after its last `partner_offline` inject
 * that covers `minute`, or null when it is online then.
 */
export async function backOnline(tx: Db, id: string, state: string, minute: number): Promise<number | null> {
  const offline = await tx
    .select()
    .from(exerciseInjects)
    .where(
      and(
        eq(exerciseInjects.exerciseId, id),
        eq(exerciseInjects.kind, 'partner_offline'),
        eq(exerciseInjects.status, 'fired'),
      ),
    );
  let back: number | null = null;
  for (const o of offline) {
    const details = o.details as { from?: string; offlineFor?: unknown };
    if (details.from !== state || o.firedMinutes === null) continue;
    const until = o.firedMinutes + (offsetMinutes(details.offlineFor) ?? 0);
    if (o.firedMinutes <= minute && minute < until) back = Math.max(back ?? until, until);
  }
  return back;
}

export async function findInject(tx: Db, id: string, injectId: string, lock = false) {
  const query = tx
    .select()
    .from(exerciseInjects)
    .where(and(eq(exerciseInjects.exerciseId, id), eq(exerciseInjects.injectId, injectId)));
  const [row] = lock ? await query.for('update') : await query;
  return row;
}

/** The final scores other participating nodes sent (exercise-end-federation.ts), by State. */
export async function finalScoresOf(tx: Db, id: string) {
  return tx
    .select()
    .from(exerciseFinalScores)
    .where(eq(exerciseFinalScores.exerciseId, id))
    .orderBy(asc(exerciseFinalScores.state));
}
