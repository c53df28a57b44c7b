// An exercise kept up to date on screen: read once, then every change pushed by the node's exercise
// stream (GET /api/v1/exercises/:id/events); while the stream is down the page reads it every few
// seconds instead, so the control room never shows a stale clock or score for long.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { get } from '../api/client.ts';
import type { Exercise } from './exercise-types.ts';
import { exerciseTimeFn } from './exercise-view.ts';

const FALLBACK_POLL_MS = 5_000;

export type LiveExercise = {
  exercise: Exercise | null;
  /** Real time (browser clock) the exercise above was received: the clock runs on from it. */
  receivedAt: number;
  error: unknown;
  live: boolean;
  /** Takes an answer of the node (after a change made from this page) as the latest state. */
  accept: (exercise: Exercise) => void;
  reload: () => Promise<void>;
};

export function exercisePath(id: string): string {
  return `/api/v1/exercises/${encodeURIComponent(id)}`;
}

export function useLiveExercise(id: string | null): LiveExercise {
  const [state, setState] = useState<{ exercise: Exercise | null; receivedAt: number }>({
    exercise: null,
    receivedAt: Date.now(),
  });
  const [error, setError] = useState<unknown>(null);
  const [live, setLive] = useState(false);
  const current = useRef(id);
  current.current = id;

  const accept = useCallback((exercise: Exercise) => {
    if (exercise.id !== current.current) return;
    setState({ exercise, receivedAt: Date.now() });
    setError(null);
  }, []);

  const reload = useCallback(async () => {
    if (!id) return;
    try {
      accept(await get<Exercise>(exercisePath(id)));
    } catch (e) {
      if (id === current.current) setError(e);
    }
  }, [id, accept]);

  useEffect(() => {
    setState({ exercise: null, receivedAt: Date.now() });
    if (!id) return;
    void reload();
    if (typeof EventSource === 'undefined') return;
    const es = new EventSource(`${exercisePath(id)}/events`, { withCredentials: true });
    es.onopen = () => {
      setLive(true);
      // What changed before the stream opened is read once.
      void reload();
    };
    es.onerror = () => setLive(false);
    es.addEventListener('exercise', (event) => {
      try {
        accept(JSON.parse((event as MessageEvent<string>).data) as Exercise);
      } catch {
        // A malformed event is skipped; the next one or the fallback read catches up.
      }
    });
    return () => {
      es.close();
      setLive(false);
    };
  }, [id, reload, accept]);

  // The stream is down (or refused): read the exercise every few seconds until it is back.
  useEffect(() => {
    if (!id || live) return;
    const timer = setInterval(() => void reload(), FALLBACK_POLL_MS);
    return () => clearInterval(timer);
  }, [id, live, reload]);

  return { ...state, error, live, accept, reload };
}

/** Real time to this exercise's time, from its latest reading (null until it is read). */
export function useExerciseTime(live: LiveExercise): ((realMs: number) => number) | null {
  const { exercise, receivedAt } = live;
  return useMemo(() => (exercise ? exerciseTimeFn(exercise, receivedAt) : null), [exercise, receivedAt]);
}
