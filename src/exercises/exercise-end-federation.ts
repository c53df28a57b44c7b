// The end of a joint exercise over federation (issue #18). The controller's end travels to every
// joined node on the ordinary signed, encrypted channel (`exercise_end`): a node that joined naming
// that controller archives its copy at the controller's last exercise minute and becomes read-only;
// one that named no controller takes it from a State that plays on its own node, on its own clock.
// The final scores go both ways: the end carries the controller's outcomes for its own State's
// expected actions, and each node that archives sends its own State's back (`exercise_score`), so the
// controller holds every participating node's final score. The inbox's exercise gate has already
// refused an end for an exercise this node has not joined, or has ended, when these functions run.
import {
  type ClockState,
  checkFinalScore,
  endRefusal,
  type FinalScore,
  finalScoreOf,
  type Outcome,
  pauseClock,
} from '../domain/exercises/index.ts';
import type { MessageHeader } from '../domain/federation/index.ts';
import { PeerProtocolError } from '../federation/federation-errors.ts';
import type { Db } from '../store/database.ts';
import { exerciseFinalScores } from '../store/schema/index.ts';
import { archiveExercise } from './archive-exercise.ts';
import type { ExerciseContext } from './exercise-context.ts';
import {
  auditFrom,
  type ClockMessage,
  clockMessageOf,
  enqueueTo,
  enqueueToAll,
  objectOf,
} from './exercise-federation.ts';
import { clockOf, type ExerciseRow, getExercise, participantsOf, scenarioOf } from './exercise-store.ts';

export const EXERCISE_END = 'exercise_end';
export const EXERCISE_SCORE = 'exercise_score';

type ArchivedAction = {
  id: string;
  by: string;
  outcome: Outcome;
  takenMinutes: number | null;
  detail: string | null;
};

/** In the transaction of the controller's end: the end, its stopped clock and the controller's final score. */
export async function sendExerciseEnd(
  ctx: ExerciseContext,
  tx: Db,
  exercise: ExerciseRow,
  clock: ClockState,
  endedAt: Date,
  actions: readonly ArchivedAction[],
): Promise<number> {
  if (exercise.role !== 'controller') return 0;
  const body: ClockMessage & { endedAt: string; outcomes: FinalScore['outcomes'] } = {
    status: 'paused',
    anchorReal: clock.anchorReal.toISOString(),
    anchorElapsedMs: clock.anchorElapsedMs,
    speed: clock.speed,
    endedAt: endedAt.toISOString(),
    outcomes: finalScoreOf(exercise.nodeState, actions).outcomes,
  };
  return enqueueToAll(ctx, tx, exercise, EXERCISE_END, body, endedAt);
}

/**
 * In the transaction of a participant's archive: its State's final score, for the controller it
 * named (or, `to`, the State whose end it took without having named one).
 */
export async function sendFinalScore(
  ctx: ExerciseContext,
  tx: Db,
  exercise: ExerciseRow,
  actions: readonly ArchivedAction[],
  now: Date,
  to: string | null = exercise.controllerState,
): Promise<number> {
  if (exercise.role !== 'participant' || !to) return 0;
  const { outcomes } = finalScoreOf(exercise.nodeState, actions);
  return enqueueTo(ctx, tx, exercise, to, EXERCISE_SCORE, { outcomes }, now);
}

/** Keeps another node's final score (the first one: a node archives once, a retry repeats it). */
async function keepFinalScore(tx: Db, exercise: ExerciseRow, from: string, raw: unknown, now: Date) {
  const checked = checkFinalScore(scenarioOf(exercise), from, raw);
  if (!checked.ok)
    throw new PeerProtocolError(`The final score of ${from} does not validate: ${checked.problem}.`);
  await tx
    .insert(exerciseFinalScores)
    .values({
      exerciseId: exercise.id,
      state: from,
      score: checked.score.score,
      outcomes: checked.score.outcomes,
      receivedAt: now,
    })
    .onConflictDoNothing();
  return checked.score;
}

/**
 * The controller's end on a participant: archived, the controller's final score kept, and this
 * node's own final score queued back to it. Who may send it: endRefusal (domain). A node that named
 * its controller stops at the controller's last exercise minute (the clock it sends: the one it
 * followed); one that named none kept its own clock, its deadlines ran on it, so it stops its own
 * clock now rather than take a minute its players never saw.
 */
export async function receiveExerciseEnd(
  ctx: ExerciseContext,
  tx: Db,
  header: MessageHeader,
  body: unknown,
  realNow: Date,
): Promise<string> {
  const id = header.exerciseId as string;
  const message = clockMessageOf(body);
  const raw = objectOf(body);
  const endedAt = typeof raw?.endedAt === 'string' ? new Date(raw.endedAt) : null;
  if (message.status !== 'paused' || !endedAt || Number.isNaN(endedAt.getTime()))
    throw new PeerProtocolError(
      'An exercise_end message carries { status: paused, anchorReal, anchorElapsedMs, speed, endedAt, outcomes }.',
    );
  const row = await getExercise(tx, id, true);
  const refusal = endRefusal(
    {
      role: row.role as 'controller' | 'participant',
      nodeState: row.nodeState,
      controllerState: row.controllerState,
    },
    await participantsOf(tx, id),
    header.from,
  );
  if (refusal)
    throw new PeerProtocolError(`Exercise ${id} on this node refuses the end of ${header.from}: ${refusal}.`);
  const controllerScore = await keepFinalScore(tx, row, header.from, raw?.outcomes, realNow);
  const clock: ClockState = row.controllerState
    ? {
        exerciseStart: row.exerciseStart,
        anchorReal: new Date(message.anchorReal),
        anchorElapsedMs: message.anchorElapsedMs,
        speed: message.speed,
        paused: true,
      }
    : pauseClock(clockOf(row), realNow);
  const { actions, score } = await archiveExercise(tx, row, clock, endedAt, realNow);
  const sentTo = await sendFinalScore(ctx, tx, row, actions, realNow, header.from);
  await auditFrom(
    tx,
    header,
    'exercise.end.follow',
    {
      elapsedMs: clock.anchorElapsedMs,
      ownClock: row.controllerState === null,
      score,
      controllerScore: controllerScore.score,
      sentTo,
    },
    realNow,
  );
  return id;
}

/** A participating node's final score, collected on the controller's node (running or already ended). */
export async function receiveFinalScore(
  tx: Db,
  header: MessageHeader,
  body: unknown,
  realNow: Date,
): Promise<string> {
  const id = header.exerciseId as string;
  const row = await getExercise(tx, id, true);
  if (row.role !== 'controller')
    throw new PeerProtocolError(
      `This node does not control exercise ${id}: final scores go to its controller.`,
    );
  const plays = (await participantsOf(tx, id)).some((p) => p.state === header.from && !p.simulated);
  if (!plays) throw new PeerProtocolError(`${header.from} does not play on its own node in exercise ${id}.`);
  const kept = await keepFinalScore(tx, row, header.from, objectOf(body)?.outcomes, realNow);
  await auditFrom(tx, header, 'exercise.score.receive', { state: header.from, score: kept.score }, realNow);
  return id;
}
