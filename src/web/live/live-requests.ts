// One server-sent-events connection per tab to GET /api/v1/requests/events, shared by every page that
// shows requests. Pages subscribe to changes; after a lost connection they are told to reload, since
// changes made meanwhile were not seen.
import { useEffect, useRef, useSyncExternalStore } from 'react';
import type { RequestSummary } from '../api/types.ts';

export type LiveChange = { kind: 'created' | 'changed'; action: string; request: RequestSummary };
export type LiveListener = (change: LiveChange | { kind: 'resync' }) => void;
export type LiveStatus = 'connecting' | 'live' | 'offline';

const EVENTS_URL = '/api/v1/requests/events';
const listeners = new Set<LiveListener>();
const statusListeners = new Set<() => void>();
let source: EventSource | null = null;
let status: LiveStatus = 'connecting';
let lostOnce = false;

function setStatus(next: LiveStatus): void {
  if (status === next) return;
  status = next;
  for (const l of statusListeners) l();
}

function dispatch(change: LiveChange | { kind: 'resync' }): void {
  for (const l of listeners) {
    try {
      l(change);
    } catch (error) {
      console.error(error);
    }
  }
}

function connect(): void {
  if (source || typeof EventSource === 'undefined') return;
  setStatus('connecting');
  const es = new EventSource(EVENTS_URL, { withCredentials: true });
  source = es;
  es.onopen = () => {
    setStatus('live');
    // Reconnected: what changed while the stream was down is read again.
    if (lostOnce) dispatch({ kind: 'resync' });
  };
  es.onerror = () => {
    lostOnce = true;
    setStatus('offline');
    // The browser retries by itself unless the server refused the stream (then it is closed).
    if (es.readyState === EventSource.CLOSED) {
      source = null;
      if (listeners.size > 0) setTimeout(connect, 5_000);
    }
  };
  const on = (kind: LiveChange['kind']) => (event: Event) => {
    try {
      const data = JSON.parse((event as MessageEvent<string>).data) as Omit<LiveChange, 'kind'>;
      dispatch({ kind, action: data.action, request: data.request });
    } catch {
      // A malformed event is skipped; the next resync catches up.
    }
  };
  es.addEventListener('request.created', on('created'));
  es.addEventListener('request.changed', on('changed'));
  // The session ended: stop; the next call to the API shows the sign-in page.
  es.addEventListener('end', () => disconnect());
}

function disconnect(): void {
  source?.close();
  source = null;
  setStatus('offline');
}

/** Subscribes for as long as the component is shown; the latest listener is always called. */
export function useLiveRequests(listener: LiveListener): void {
  const ref = useRef(listener);
  ref.current = listener;
  useEffect(() => {
    const l: LiveListener = (c) => ref.current(c);
    listeners.add(l);
    connect();
    return () => {
      listeners.delete(l);
      // Going from the list to a request keeps the connection: only a desk left alone closes it.
      setTimeout(() => {
        if (listeners.size === 0) disconnect();
      }, 10_000);
    };
  }, []);
}

/** Whether the live stream is connected, for a small indicator. */
export function useLiveStatus(): LiveStatus {
  return useSyncExternalStore(
    (l) => {
      statusListeners.add(l);
      return () => statusListeners.delete(l);
    },
    () => status,
  );
}
