// The request service of a node: the request use cases, one per file in use-cases/ (create and
// register, edit a draft, transition, show, list, printable form), assembled around one context.
// Each write is one transaction with its timeline event and its audit entry; any refusal happens
// before the first write, so the stored request is unchanged.

import type { DirectoryService } from '../directory/directory-service.ts';
import {
  durationMs,
  type FormLanguage,
  resolveDeadlinePolicy,
  resolvePreservationPolicy,
} from '../domain/requests/index.ts';
import type { Clock } from '../shared/clock.ts';
import type { Database } from '../store/database.ts';
import { createIdentifierHasher } from './identifier-hash.ts';
import { createNotificationService } from './notification-service.ts';
import { createRequestPreparer } from './prepare-request.ts';
import type { ListFilters } from './request-store.ts';
import { createTimerProcessor } from './request-timers.ts';
import { createRequest } from './use-cases/create-request.ts';
import { listRequestPage } from './use-cases/list-requests.ts';
import { createChangeFeed } from './use-cases/request-changes.ts';
import { requestForm } from './use-cases/request-form.ts';
import type {
  RequestActor,
  RequestContext,
  RequestServiceOptions,
  Within,
} from './use-cases/request-types.ts';
import { getRequest } from './use-cases/show-request.ts';
import { transitionRequest } from './use-cases/transition-request.ts';
import { updateDraft } from './use-cases/update-draft.ts';

export type {
  RequestActor,
  RequestChange,
  RequestChangeListener,
  RequestContext,
  RequestServiceOptions,
  TransitionChange,
  TransitionHook,
  Within,
} from './use-cases/request-types.ts';

/** The context the use cases share, from the node's database, clock, directory and options. */
export function createRequestContext(
  database: Database,
  clock: Clock,
  directory: DirectoryService,
  options: RequestServiceOptions,
) {
  const { db } = database;
  const policy = resolveDeadlinePolicy(options.deadlinePolicy);
  const hasher = options.nodeSecret ? createIdentifierHasher(options.nodeSecret) : null;
  const { prepare, duplicates } = createRequestPreparer(options.nodeState, hasher);
  const feed = createChangeFeed(db, clock, policy);
  const context: RequestContext = {
    db,
    clock,
    directory,
    policy,
    preservationPolicy: resolvePreservationPolicy(options.preservationPolicy),
    transitionOptions: { emergencyApprovalWithinMs: durationMs(policy.emergencyApprovalWithin) },
    prepare,
    duplicates,
    transitionHook: options.transitionHook,
    afterTransition: options.afterTransition,
    exercises: options.exercises,
    announce: feed.announce,
  };
  return { context, onChange: feed.onChange };
}

/** The request service of a node. */
export function createRequestService(
  database: Database,
  clock: Clock,
  directory: DirectoryService,
  options: RequestServiceOptions,
) {
  const { context: ctx, onChange } = createRequestContext(database, clock, directory, options);
  const timers = createTimerProcessor(database, clock, options.deliveryTargets);
  const notifications = createNotificationService(database, clock);

  return {
    /** Creates an outgoing draft, or registers an incoming request received outside the network. */
    create: (actor: RequestActor, input: unknown, within?: Parameters<typeof createRequest>[3]) =>
      createRequest(ctx, actor, input, within),
    /** Edits a draft: the fields given replace the stored ones; the whole request is checked again. */
    updateDraft: (actor: RequestActor, id: string, patch: unknown) => updateDraft(ctx, actor, id, patch),
    /** One step of the life cycle; refused with 409 (and the allowed steps), 403 or 400 before any write. */
    transition: (actor: RequestActor, id: string, input: Record<string, unknown>, within?: Within) =>
      transitionRequest(ctx, actor, id, input, within),
    get: (id: string) => getRequest(ctx, id),
    /** The printable request in the given language, or in the first the requested State reads. */
    form: (id: string, language?: FormLanguage) => requestForm(ctx, id, language),
    /** A page of requests matching the filters, newest first, with the cursor of the next page. */
    list: (filters: Omit<ListFilters, 'limit'> & { limit?: number }, actor?: RequestActor) =>
      listRequestPage(ctx, filters, actor),
    processDueTimers: timers.processDueTimers,
    notifications,
    /** Subscribes to committed changes (creations, edits, transitions, incoming messages). */
    onChange,
  };
}

export type RequestService = ReturnType<typeof createRequestService>;
