// What every exercise use case works with: the node's database and real clock, the request service
// (injects register requests, simulated partners answer through it), the directory (its States
// validate scenarios), a way to tell live screens that an exercise changed, and the federation
// outbox's settings for the exercise traffic to the other participating nodes.
import type { DirectoryService } from '../directory/directory-service.ts';
import type { Role } from '../domain/codes.ts';
import type { RequestService } from '../requests/request-service.ts';
import type { Clock } from '../shared/clock.ts';
import type { Db } from '../store/database.ts';

export type ExerciseActor = { id: string; roles: readonly Role[] };

export type ExerciseContext = {
  db: Db;
  clock: Clock;
  requests: RequestService;
  directory: DirectoryService;
  nodeState: string;
  /** Tells the live screens, once the change committed. */
  changed: (exerciseId: string) => void;
  /**
   * Exercise traffic to the other participating nodes: how long a message may wait, and a nudge to
   * send it now (a no-op in the console: the running node's sender carries what it queued). Null:
   * nothing is queued.
   */
  federation: { lifetimeMs: number; nudge: () => void } | null;
};
