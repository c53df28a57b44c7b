// One clock for the whole page: every countdown reads it, so a list of many deadlines costs one
// timer, not one per row. It ticks every second while someone is watching.
import { useSyncExternalStore } from 'react';

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

/** The current time in milliseconds, updated every second. */
export function useNowMs(): number {
  return useSyncExternalStore(subscribe, () => now);
}
