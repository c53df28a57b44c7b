// The types of the request use cases, in one place: who acts, what the node configures, the hooks
// other capabilities hang on a transition, and the context every use case (one per file here) takes.
import type { DirectoryService } from '../../directory/directory-service.ts';
import type { Role } from '../../domain/codes.ts';
import type { DeadlinePolicy, PreservationPolicy, RequestState } from '../../domain/requests/index.ts';
import type { Clock } from '../../shared/clock.ts';
import type { Db } from '../../store/database.ts';
import type { DeliveryTargets } from '../notification-delivery.ts';
import type { createRequestPreparer } from '../prepare-request.ts';
import type { RequestRow, RequestSummary } from '../request-view.ts';

export type RequestActor = { id: string; roles: readonly Role[] };

export type RequestServiceOptions = {
  nodeState: string;
  /** The node secret; identifiers are hashed under a key derived from it. */
  nodeSecret: string | null;
  deadlinePolicy?: Partial<DeadlinePolicy>;
  preservationPolicy?: Partial<PreservationPolicy>;
  /** Where notifications are delivered besides the in-app list (webhooks, e-mail). */
  deliveryTargets?: DeliveryTargets;
  /** Runs inside the transaction of every transition, e.g. to write the outbox message it causes. */
  transitionHook?: TransitionHook;
  /** Runs after a transition committed, e.g. to wake the sender. */
  afterTransition?: (request: { exerciseId?: string | null }) => void;
  /** The clock of exercise requests (issue #18), given by src/main.ts; without it none may be made. */
  exercises?: ExerciseClockPort;
};

/**
 * What the request use cases need of exercises: the exercise's own "now", read in the transaction of
 * the step, or a refusal (ERR_EXERCISE_NOT_RUNNING) when it does not run on this node. Real requests
 * never ask: they keep the node's clock.
 */
export type ExerciseClockPort = {
  now(tx: Db, exerciseId: string, realNow: Date): Promise<Date>;
  /** The exercise's time for showing its requests (frozen at its end); the real time if unknown. */
  viewNow(tx: Db, exerciseId: string, realNow: Date): Promise<Date>;
  /** Refuses a partner State that does not take part in the exercise (exercise traffic stays inside it). */
  checkPartner(tx: Db, exerciseId: string, partnerState: string, field: string): Promise<void>;
};

export type TransitionChange = {
  row: RequestRow;
  action: string;
  from: RequestState;
  to: RequestState;
  input: Record<string, unknown>;
  /** When the step happened: the exercise's time for an exercise request, else the node's. */
  now: Date;
  /** The node's own time, for what leaves the node (a federation message's created/expires). */
  realNow: Date;
};
export type TransitionHook = (tx: Db, change: TransitionChange) => Promise<void>;

/**
 * Lets another use case (a message from a peer node) run this one inside its own transaction. What
 * must wait for that transaction to commit (telling the desk) is handed to `afterCommit`, which the
 * owner of the transaction runs once it has committed and drops if it rolls back.
 */
export type Within = { tx: Db; afterCommit: (step: () => void) => void };

/** A committed change of a request, as the live desk is told of it (the summary as stored now). */
export type RequestChange = { kind: 'created' | 'changed'; action: string; request: RequestSummary };
export type RequestChangeListener = (change: RequestChange) => void;

/** Tells the live desk of a change once it is committed (request-changes.ts). */
export type Announce = (kind: RequestChange['kind'], action: string, id: string, within?: Within) => void;

type Preparer = ReturnType<typeof createRequestPreparer>;

/** What every request use case works with; built once per node by createRequestService. */
export type RequestContext = {
  db: Db;
  clock: Clock;
  directory: DirectoryService;
  policy: DeadlinePolicy;
  preservationPolicy: PreservationPolicy;
  transitionOptions: { emergencyApprovalWithinMs: number };
  prepare: Preparer['prepare'];
  duplicates: Preparer['duplicates'];
  transitionHook?: TransitionHook;
  afterTransition?: (request: { exerciseId?: string | null }) => void;
  exercises?: ExerciseClockPort;
  announce: Announce;
};
