// Which exercise the page on screen belongs to, if any: a page showing exercise material says so here
// while it is shown, and the shell draws the persistent EXERCISE banner from it. One place, so no
// page can forget the banner and no banner outlives its page.
import { useEffect, useSyncExternalStore } from 'react';

export type ExercisePresence = {
  id: string;
  name?: string | null;
  /** Real time to the exercise's time: every countdown on the page then runs on the exercise clock. */
  time?: ((realMs: number) => number) | null;
};

const present = new Map<symbol, ExercisePresence>();
const watchers = new Set<() => void>();
let current: ExercisePresence | null = null;

function publish(): void {
  const last = [...present.values()].at(-1) ?? null;
  if (last?.id === current?.id && last?.name === current?.name && last?.time === current?.time) return;
  current = last;
  for (const w of watchers) w();
}

/** Declares, for as long as the calling component is shown, that the screen shows this exercise. */
export function useInsideExercise(exercise: ExercisePresence | null): void {
  const id = exercise?.id ?? null;
  const name = exercise?.name ?? null;
  const time = exercise?.time ?? null;
  useEffect(() => {
    if (!id) return;
    const key = Symbol(id);
    present.set(key, { id, name, time });
    publish();
    return () => {
      present.delete(key);
      publish();
    };
  }, [id, name, time]);
}

/** The exercise the screen shows now, or null for real work. */
export function useCurrentExercise(): ExercisePresence | null {
  return useSyncExternalStore(
    (w) => {
      watchers.add(w);
      return () => watchers.delete(w);
    },
    () => current,
  );
}
