// The exercise clock: exercise time runs `speed` times faster than real time from an anchor, and
// stands still while paused; the controller may jump it forward. Stored as an anchor (the real
// instant and the exercise minutes elapsed then) so pausing, resuming, jumping and a change of speed
// never rewrite what already happened. Pure: the real instant is a parameter.

export type ClockState = {
  /** Exercise T+0, also the real instant the exercise started. */
  exerciseStart: Date;
  /** Real instant of the last change of the clock (start, pause, resume, advance). */
  anchorReal: Date;
  /** Exercise milliseconds elapsed at the anchor. */
  anchorElapsedMs: number;
  /** Exercise milliseconds per real millisecond (1 = real time; 72 = 72 hours in one hour). */
  speed: number;
  paused: boolean;
};

export function startClock(realNow: Date, speed: number): ClockState {
  return { exerciseStart: realNow, anchorReal: realNow, anchorElapsedMs: 0, speed, paused: false };
}

/** Exercise milliseconds elapsed since T+0 at a real instant. */
export function elapsedMs(state: ClockState, realNow: Date): number {
  if (state.paused) return state.anchorElapsedMs;
  const real = Math.max(0, realNow.getTime() - state.anchorReal.getTime());
  return state.anchorElapsedMs + real * state.speed;
}

/** The exercise's own "now" at a real instant. */
export function exerciseNow(state: ClockState, realNow: Date): Date {
  return new Date(state.exerciseStart.getTime() + elapsedMs(state, realNow));
}

export function pauseClock(state: ClockState, realNow: Date): ClockState {
  if (state.paused) return state;
  return { ...state, anchorReal: realNow, anchorElapsedMs: elapsedMs(state, realNow), paused: true };
}

export function resumeClock(state: ClockState, realNow: Date): ClockState {
  if (!state.paused) return state;
  return { ...state, anchorReal: realNow, paused: false };
}

/** Jumps the exercise forward by `ms` exercise milliseconds (the controller skipping a quiet night). */
export function advanceClock(state: ClockState, realNow: Date, ms: number): ClockState {
  return { ...state, anchorReal: realNow, anchorElapsedMs: elapsedMs(state, realNow) + Math.max(0, ms) };
}

/** Exercise minutes between T+0 and an exercise instant. */
export function minutesAfterStart(state: ClockState, exerciseInstant: Date): number {
  return (exerciseInstant.getTime() - state.exerciseStart.getTime()) / 60_000;
}
