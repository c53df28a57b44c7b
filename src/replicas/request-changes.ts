// The live desk of every replica: a request changed through another replica reaches the request
// event streams here as it does on the replica that changed it, with the summary read back from
// the database.
import { type DeadlinePolicy, resolveDeadlinePolicy } from '../domain/requests/index.ts';
import type { RequestChange, RequestChangeListener, RequestService } from '../requests/request-service.ts';
import { caseReferenceOf, findRequest } from '../requests/request-store.ts';
import { toSummary } from '../requests/request-view.ts';
import type { Clock } from '../shared/clock.ts';
import type { Database } from '../store/database.ts';

export function createRemoteRequestChanges(
  database: Database,
  clock: Clock,
  deadlines: Partial<DeadlinePolicy> | undefined,
) {
  const policy = resolveDeadlinePolicy(deadlines);
  const listeners = new Set<RequestChangeListener>();

  /** Tells this replica's subscribers of a change another replica committed. */
  async function announce(id: string, action: string, created: boolean): Promise<void> {
    if (listeners.size === 0) return;
    const row = await findRequest(database.db, id);
    if (!row) return;
    const change: RequestChange = {
      kind: created ? 'created' : 'changed',
      action,
      request: toSummary(row, await caseReferenceOf(database.db, row.caseId), clock.now(), policy),
    };
    for (const listener of listeners) {
      try {
        listener(change);
      } catch {
        // One listener's failure (a closed stream) must not keep the change from the others.
      }
    }
  }

  /** The request service whose subscribers hear the changes of every replica, not only this one's. */
  function withRemoteChanges(requests: RequestService): RequestService {
    return {
      ...requests,
      onChange(listener) {
        const local = requests.onChange(listener);
        listeners.add(listener);
        return () => {
          local();
          listeners.delete(listener);
        };
      },
    };
  }

  return { announce, withRemoteChanges };
}

export type RemoteRequestChanges = ReturnType<typeof createRemoteRequestChanges>;
