// What the control room and the participant view compute from the node's exercise status, without
// I/O: the exercise clock between two readings, the score so far, and what a participant is expected
// to do next. Kept pure so the rules are tested without a browser (test/web/exercise-view.test.ts).

import type { Exercise, Outcome } from './exercise-types.ts';

export const OUTCOMES = ['met', 'late', 'missed', 'wrong', 'pending'] as const satisfies readonly Outcome[];
export type ActionStatus = Outcome;
const MINUTE = 60_000;

/** The exercise clock as the node read it: the exercise's own time at a real instant. */
export type ClockReading = {
  /** Exercise time elapsed since the start, in milliseconds, at `readAt`. */
  elapsedMs: number;
  /** Real time (ms since the epoch) the reading was taken by the node. */
  readAt: number;
  /** Exercise milliseconds per real millisecond (1: real time; 72: three days in an hour). */
  speed: number;
  /** A paused or ended exercise's clock stands still. */
  running: boolean;
};

/** The exercise time elapsed now, advanced from the node's last reading by the real time since. */
export function elapsedNow(clock: ClockReading, realNowMs: number): number {
  if (!clock.running) return clock.elapsedMs;
  // A browser clock a little behind the node's must not make the exercise clock run backwards.
  return clock.elapsedMs + Math.max(0, realNowMs - clock.readAt) * clock.speed;
}

/** T+hh:mm:ss (hours past 24 go on counting: a 72-hour scenario ends at T+72:00:00). */
export function formatElapsed(ms: number): string {
  const sign = ms < 0 ? '−' : '+';
  const total = Math.floor(Math.abs(ms) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return `T${sign}${two(h)}:${two(m)}:${two(s)}`;
}

/** One expected action of the script, as scored so far. */
export type ScoredAction = {
  id: string;
  /** Who must act: a State code or an organisation id of the scenario. */
  actor: string;
  /** What kind of action (acknowledge, legal basis, refuse, preserve, share…), for its label. */
  kind: string;
  /** The inject it answers, if any. */
  inject: string | null;
  /** The scenario's own words for it, if any. */
  title: string | null;
  /** What the node said about the way it was scored (e.g. the legal basis chosen instead). */
  detail: string | null;
  /** Exercise time, from the start, by which it is due. */
  dueMs: number;
  status: ActionStatus;
  /** Exercise time the participant took to act, once they did. */
  takenMs: number | null;
  /** The request or alert the action is about, when the node knows it. */
  subjectId?: string | null;
};

export type ScoreCounts = Record<ActionStatus, number>;

/** How many actions are in each status. */
export function scoreCounts(actions: readonly ScoredAction[]): ScoreCounts {
  const counts: ScoreCounts = { pending: 0, met: 0, late: 0, missed: 0, wrong: 0 };
  for (const a of actions) counts[a.status] += 1;
  return counts;
}

/** The share of the scored actions that were met in time, 0–100, or null while nothing is scored. */
export function scorePercent(actions: readonly ScoredAction[]): number | null {
  const scored = actions.filter((a) => a.status !== 'pending');
  if (scored.length === 0) return null;
  return Math.round((scored.filter((a) => a.status === 'met').length / scored.length) * 100);
}

export type NextAction = ScoredAction & { remainingMs: number; overdue: boolean };

/**
 * What is still expected of these actors (all of them when `actors` is empty), soonest first, with
 * the exercise time left; an action past its target stays in the list, marked overdue, until the
 * node scores it.
 */
export function nextExpected(
  actions: readonly ScoredAction[],
  actors: readonly string[],
  elapsedMs: number,
): NextAction[] {
  return actions
    .filter((a) => a.status === 'pending' && (actors.length === 0 || actors.includes(a.actor)))
    .map((a) => ({ ...a, remainingMs: a.dueMs - elapsedMs, overdue: a.dueMs < elapsedMs }))
    .sort((a, b) => a.dueMs - b.dueMs || a.id.localeCompare(b.id));
}

/** One inject of the script: fired already, or still to come at its exercise time. */
export type InjectLine = {
  id: string;
  kind: string;
  title: string;
  message: string | null;
  cancelled: boolean;
  atMs: number;
  firedAtMs: number | null;
};

/** The script's timeline in order: fired injects by when they fired, the rest by when they are due. */
export function timelineOrder(injects: readonly InjectLine[]): InjectLine[] {
  const when = (i: InjectLine) => i.firedAtMs ?? i.atMs;
  return [...injects].sort(
    (a, b) =>
      Number(a.firedAtMs === null) - Number(b.firedAtMs === null) ||
      when(a) - when(b) ||
      a.id.localeCompare(b.id),
  );
}

/** Exercise time as "3 h 05 min" parts, for how long is left or how long an action took. */
export function durationParts(ms: number): { days: number; hours: number; minutes: number } {
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  return {
    days: Math.floor(minutes / 1440),
    hours: Math.floor((minutes % 1440) / 60),
    minutes: minutes % 60,
  };
}

/** Exercise time of an instant of the exercise, as elapsed milliseconds since T+0. */
function elapsedAt(exercise: Exercise, at: string): number {
  return Date.parse(at) - Date.parse(exercise.clock.exerciseStart);
}

/** The clock as read in this answer of the node, received at `receivedAtMs` (real time). */
export function clockOf(exercise: Exercise, receivedAtMs: number): ClockReading {
  return {
    elapsedMs: exercise.clock.elapsedMinutes * MINUTE,
    readAt: receivedAtMs,
    speed: exercise.speed,
    running: exercise.status === 'running' && !exercise.clock.paused,
  };
}

/** The script's injects on the exercise's time line. */
export function injectLines(exercise: Exercise): InjectLine[] {
  return exercise.injects.map((i) => ({
    id: i.id,
    kind: i.kind,
    title: i.title,
    message: i.message ?? null,
    cancelled: i.status === 'cancelled',
    atMs: i.atMinutes * MINUTE,
    firedAtMs: firedMs(exercise, i),
  }));
}

/** When an inject fired, in exercise milliseconds from T+0 (null: not fired). */
function firedMs(exercise: Exercise, i: Exercise['injects'][number]): number | null {
  if (i.status !== 'fired') return null;
  if (typeof i.firedMinutes === 'number') return i.firedMinutes * MINUTE;
  return i.firedAt ? elapsedAt(exercise, i.firedAt) : null;
}

/**
 * The expected actions with their absolute target: a target counts from the moment its inject fired
 * (or, before it fires, from when the script has it fire; without an inject, from T+0), unless the
 * node gives the reference itself.
 */
export function scoredActions(exercise: Exercise): ScoredAction[] {
  const injects = new Map(exercise.injects.map((i) => [i.id, i]));
  return exercise.actions.map((a) => {
    const inject = a.inject ? injects.get(a.inject) : undefined;
    const fired = inject ? firedMs(exercise, inject) : null;
    const from =
      typeof a.referenceMinutes === 'number'
        ? a.referenceMinutes * MINUTE
        : inject
          ? (fired ?? inject.atMinutes * MINUTE)
          : 0;
    return {
      id: a.id,
      actor: a.by,
      kind: a.kind,
      inject: a.inject ?? null,
      title: a.title ?? null,
      detail: a.detail ?? null,
      dueMs: from + a.targetMinutes * MINUTE,
      status: a.outcome,
      takenMs: a.takenMinutes === null ? null : a.takenMinutes * MINUTE,
      subjectId: inject?.requestId ?? inject?.alertId ?? null,
    };
  });
}

/** The exercise a participant sees first: the newest one still running or paused, else none. */
export function currentExercise(exercises: readonly Exercise[]): Exercise | null {
  const open = exercises.filter((e) => e.status !== 'ended');
  return [...open].sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt))[0] ?? null;
}

/** A function from real time to the exercise's time (ms since the epoch), from one reading. */
export function exerciseTimeFn(exercise: Exercise, receivedAtMs: number): (realMs: number) => number {
  const start = Date.parse(exercise.clock.exerciseStart);
  const clock = clockOf(exercise, receivedAtMs);
  return (realMs) => start + elapsedNow(clock, realMs);
}
