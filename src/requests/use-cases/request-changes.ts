// The live feed of committed request changes (the desk's event stream listens to it). A change is
// announced only once committed, with the request as it is stored then.
import type { DeadlinePolicy } from '../../domain/requests/index.ts';
import type { Clock } from '../../shared/clock.ts';
import type { Db } from '../../store/database.ts';
import { caseReferenceOf, findRequest } from '../request-store.ts';
import { toSummary } from '../request-view.ts';
import type { Announce, RequestChange, RequestChangeListener } from './request-types.ts';

export function createChangeFeed(db: Db, clock: Clock, policy: DeadlinePolicy) {
  const changeListeners = new Set<RequestChangeListener>();
  /** Tells listeners about a committed change, with the request as it is stored now. */
  async function publish(kind: RequestChange['kind'], action: string, id: string): Promise<void> {
    const row = await findRequest(db, id);
    if (!row) return;
    const summary = toSummary(row, await caseReferenceOf(db, row.caseId), clock.now(), policy);
    for (const listener of changeListeners) {
      try {
        listener({ kind, action, request: summary });
      } catch {
        // One listener's failure (a closed stream) must not keep the change from the others.
      }
    }
  }

  /**
   * Announces a change once it is committed: now when the use case ran the transaction itself, else
   * when the caller's transaction commits (never if it rolls back).
   */
  const announce: Announce = (kind, action, id, within) => {
    const step = () => {
      if (changeListeners.size === 0) return;
      publish(kind, action, id).catch(() => {
        // The database closed under the announcement: nobody is left to tell.
      });
    };
    if (within) within.afterCommit(step);
    else step();
  };

  /** Subscribes to committed changes (creations, edits, transitions, incoming messages). */
  function onChange(listener: RequestChangeListener): () => void {
    changeListeners.add(listener);
    return () => changeListeners.delete(listener);
  }

  return { announce, onChange };
}
