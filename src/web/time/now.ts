// One clock for the whole page: every countdown reads it, so a list of many deadlines costs one
// timer, not one per row. It ticks every second while someone is watching. Inside an exercise the
// page's time is the exercise's own (accelerated, paused): its deadlines count down on that clock.
import { useSyncExternalStore } from 'react';
import { useCurrentExercise } from '../exercises/exercise-presence.ts';

const watchers = new Set<() => void>();
let now = Date.now();
let timer: ReturnType<typeof setInterval> | null = null;

function subscribe(watcher: () => void): () => void {
  watchers.add(watcher);
  if (!timer) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const w of watchers) w();
    }, 1_000);
  }
  return () => {
    watchers.delete(watcher);
    if (watchers.size === 0 && timer) {
      clearInterval(timer);
      timer = null;
    }
  };
}

/** The current time in milliseconds, updated every second (the exercise's, inside an exercise). */
export function useNowMs(): number {
  const real = useSyncExternalStore(subscribe, () => now);
  const shift = useCurrentExercise()?.time;
  return shift ? shift(real) : real;
}

/** Real time, even inside an exercise (for the exercise clock itself). */
export function useRealNowMs(): number {
  return useSyncExternalStore(subscribe, () => now);
}
