// In-process fan-out of committed hub changes to subscribers (the SSE stream, webhooks). Subscribers
// filter by visibility themselves, with canRead, at the moment they deliver.
import { uuidv7 } from '../shared/ids.ts';
import type { HubEvent } from './hub-types.ts';

export type HubListener = (event: HubEvent) => void;

export function createHubEvents(onListenerError: (error: unknown) => void = () => {}) {
  const listeners = new Set<HubListener>();
  let replaying = false;
  return {
    /** Runs `apply` (which emits synchronously) marking its events as another replica's change. */
    fromOtherReplica(apply: () => void): void {
      replaying = true;
      try {
        apply();
      } finally {
        replaying = false;
      }
    },
    subscribe(listener: HubListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit(input: Omit<HubEvent, 'id' | 'at'> & { at: Date }): void {
      const event: HubEvent = { ...input, id: uuidv7(input.at.getTime()), at: input.at.toISOString() };
      if (replaying) event.replicated = true;
      for (const listener of listeners) {
        try {
          listener(event);
        } catch (error) {
          onListenerError(error);
        }
      }
    },
    get subscriberCount() {
      return listeners.size;
    },
  };
}

export type HubEvents = ReturnType<typeof createHubEvents>;

/** What a subscriber is told about a change: the alert's headline and the indicators added/removed. */
export function eventPayload(event: HubEvent) {
  const a = event.alert;
  return {
    id: event.id,
    event: event.event,
    at: event.at,
    alert: {
      id: a.id,
      kind: a.kind,
      title: a.title,
      confidence: a.confidence,
      tlp: a.tlp,
      groupId: a.groupId,
      status: a.status,
      version: a.version,
      validFrom: a.validFrom.toISOString(),
      validUntil: a.validUntil?.toISOString() ?? null,
    },
    added: event.added,
    removed: event.removed,
    ...(event.feedback ? { feedback: event.feedback } : {}),
  };
}
