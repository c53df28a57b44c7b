// Use cases of requests: create and edit a draft, register an incoming request, make a transition,
// list and show. Each write is one transaction with its timeline event and its audit entry; any
// refusal happens before the first write, so the stored request is unchanged.

import { eq } from 'drizzle-orm';
import { appendAudit } from '../audit/audit-log.ts';
import { findUserById, findUserByUsername } from '../auth/user-store.ts';
import type { DirectoryService } from '../directory/directory-service.ts';
import { REQUEST_TYPES, type RequestType, type Role } from '../domain/codes.ts';
import type { DirectoryDocument } from '../domain/directory/index.ts';
import {
  allowedNextSteps,
  type DeadlinePolicy,
  DIRECTIONS,
  type Direction,
  DRAFTER_ROLES,
  decideTransition,
  durationMs,
  extendPreservation,
  type FormLanguage,
  formLanguageFor,
  HANDLER_ROLES,
  initialState,
  isRequestType,
  type LifecycleSnapshot,
  type PreservationPolicy,
  preservationExpiry,
  type RequestState,
  resolveDeadlinePolicy,
  resolvePreservationPolicy,
} from '../domain/requests/index.ts';
import type { Clock } from '../shared/clock.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../shared/errors.ts';
import { uuidv7 } from '../shared/ids.ts';
import type { Database, Db } from '../store/database.ts';
import { requests } from '../store/schema/index.ts';
import { createIdentifierHasher, type IdentifierHasher } from './identifier-hash.ts';
import type { DeliveryTargets } from './notification-delivery.ts';
import { createNotificationService } from './notification-service.ts';
import { createRequestPreparer, legalBasisColumns } from './prepare-request.ts';
import { renderRequestForm } from './printable-form.ts';
import { lawOfRow } from './request-law.ts';
import {
  appendEvent,
  caseIdFor,
  caseReferenceOf,
  findRequest,
  hasUndecidedLinkedRequest,
  type ListFilters,
  listEvents,
  listRequests,
  replaceLinksAndIdentifiers,
} from './request-store.ts';
import { createTimerProcessor, scheduleTimers } from './request-timers.ts';
import {
  type DeadlineColumns,
  deadlineOfRow,
  preservationView,
  type RequestRow,
  type RequestSummary,
  toSummary,
} from './request-view.ts';

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
  afterTransition?: () => void;
};

export type TransitionChange = {
  row: RequestRow;
  action: string;
  from: RequestState;
  to: RequestState;
  input: Record<string, unknown>;
  now: Date;
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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The request service of a node. */
export function createRequestService(
  database: Database,
  clock: Clock,
  directory: DirectoryService,
  options: RequestServiceOptions,
) {
  const { db } = database;
  const policy = resolveDeadlinePolicy(options.deadlinePolicy);
  const preservationPolicy = resolvePreservationPolicy(options.preservationPolicy);
  const hasher: IdentifierHasher | null = options.nodeSecret
    ? createIdentifierHasher(options.nodeSecret)
    : null;
  const transitionOptions = { emergencyApprovalWithinMs: durationMs(policy.emergencyApprovalWithin) };

  function requireRole(actor: RequestActor, roles: readonly Role[], what: string): void {
    if (!actor.roles.some((r) => roles.includes(r))) {
      throw new ForbiddenError(`${what} needs one of the roles ${roles.join(', ')}.`, 'ERR_FORBIDDEN', {
        requiredRoles: [...roles],
      });
    }
  }

  const { prepare, duplicates } = createRequestPreparer(options.nodeState, hasher);

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
   * Announces a change once it is committed: now when this service ran the transaction itself, else
   * when the caller's transaction commits (never if it rolls back).
   */
  function announce(kind: RequestChange['kind'], action: string, id: string, within?: Within): void {
    const step = () => {
      if (changeListeners.size === 0) return;
      publish(kind, action, id).catch(() => {
        // The database closed under the announcement: nobody is left to tell.
      });
    };
    if (within) within.afterCommit(step);
    else step();
  }

  function deadlineFields(row: DeadlineColumns) {
    const d = deadlineOfRow(row, policy);
    return { nextDueAt: d?.dueAt ?? null, nextDueKind: d?.kind ?? null };
  }

  /** Creates an outgoing draft, or registers an incoming request received outside the network. */
  async function create(
    actor: RequestActor,
    input: unknown,
    within?: Within & { document: DirectoryDocument; id: string },
  ) {
    if (input === null || typeof input !== 'object' || Array.isArray(input)) {
      throw new ValidationError([{ field: '', message: 'a request must be a JSON object' }]);
    }
    const { type, direction: rawDirection, ...fields } = input as Record<string, unknown>;
    if (!isRequestType(type)) {
      throw new ValidationError([
        { field: '/type', message: `must be one of ${REQUEST_TYPES.join(', ')}`, article: 'art. 40' },
      ]);
    }
    const direction = (rawDirection ?? 'OUTGOING') as Direction;
    if (!(DIRECTIONS as readonly string[]).includes(direction)) {
      throw new ValidationError([{ field: '/direction', message: 'must be OUTGOING or INCOMING' }]);
    }
    requireRole(
      actor,
      direction === 'OUTGOING' ? DRAFTER_ROLES : HANDLER_ROLES,
      `Creating an ${direction.toLowerCase()} request`,
    );
    const now = clock.now();
    // A request received from a peer node keeps the id it has on the requesting node.
    const id = within?.id ?? uuidv7(now.getTime());
    // Read before the transaction: an embedded database has one connection, held by the transaction.
    const { document } = within ?? (await directory.current());
    const run = <T>(fn: (tx: Db) => Promise<T>): Promise<T> => (within ? fn(within.tx) : db.transaction(fn));
    const created = await run(async (tx) => {
      const prepared = await prepare(tx, type, direction, fields, now, document);
      const body = prepared.body;
      const caseId = await caseIdFor(tx, body.caseReference as string, uuidv7(now.getTime()), now, actor.id);
      const status = initialState(direction);
      const partnerState = (direction === 'OUTGOING' ? body.requestedState : body.requestingState) as string;
      const base = {
        direction,
        type,
        urgency: body.urgency as string,
        status,
        startedAt: direction === 'INCOMING' ? now : null,
        requestedDeadline: typeof body.deadline === 'string' ? new Date(body.deadline) : null,
        postponedUntil: null,
      };
      await tx.insert(requests).values({
        id,
        caseId,
        ...base,
        requestingState: body.requestingState as string,
        requestedState: body.requestedState as string,
        partnerState,
        body,
        ...legalBasisColumns(prepared),
        draftedBy: actor.id,
        assignedTo: actor.id,
        ...deadlineFields(base),
        createdAt: now,
        updatedAt: now,
      });
      await replaceLinksAndIdentifiers(tx, id, prepared.links, prepared.identifiers);
      await scheduleTimers(tx, id, now, preservationPolicy);
      const action = direction === 'OUTGOING' ? 'create' : 'register_incoming';
      await appendEvent(tx, {
        requestId: id,
        at: now,
        actor: actor.id,
        action,
        fromStatus: null,
        toStatus: status,
        details: { legalBasis: prepared.choice.basis },
      });
      await appendAudit(
        tx,
        {
          actor: actor.id,
          action: `request.${action}`,
          objectType: 'request',
          objectId: id,
          payload: { type, direction, status, body },
        },
        now,
      );
      const warnings = await duplicates(tx, id, partnerState, prepared);
      return { request: await show(tx, id, now), duplicates: warnings };
    });
    announce('created', direction === 'OUTGOING' ? 'create' : 'register_incoming', id, within);
    return created;
  }

  /** Edits a draft: the fields given replace the stored ones; the whole request is checked again. */
  async function updateDraft(actor: RequestActor, id: string, patch: unknown) {
    requireRole(actor, DRAFTER_ROLES, 'Editing a draft');
    if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) {
      throw new ValidationError([{ field: '', message: 'the changes must be a JSON object' }]);
    }
    const changes = patch as Record<string, unknown>;
    for (const fixed of ['type', 'direction'] as const) {
      if (fixed in changes)
        throw new ValidationError([{ field: `/${fixed}`, message: 'cannot change; create a new request' }]);
    }
    const now = clock.now();
    const { document } = await directory.current();
    const updated = await db.transaction(async (tx) => {
      const row = await getRow(tx, id, true);
      if (row.status !== 'draft') {
        throw new ConflictError(
          `Only a draft can be edited; this request is '${row.status}'.`,
          'ERR_NOT_DRAFT',
        );
      }
      const merged = { ...(row.body as Record<string, unknown>), ...changes };
      for (const [k, v] of Object.entries(changes)) if (v === null) delete merged[k];
      const prepared = await prepare(
        tx,
        row.type as RequestType,
        row.direction as Direction,
        merged,
        now,
        document,
      );
      const body = prepared.body;
      const caseId = await caseIdFor(tx, body.caseReference as string, uuidv7(now.getTime()), now, actor.id);
      const base = {
        direction: row.direction,
        type: row.type,
        urgency: body.urgency as string,
        status: row.status,
        startedAt: row.startedAt,
        requestedDeadline: typeof body.deadline === 'string' ? new Date(body.deadline) : null,
        postponedUntil: row.postponedUntil,
      };
      await tx
        .update(requests)
        .set({
          caseId,
          urgency: base.urgency,
          requestedState: body.requestedState as string,
          partnerState: body.requestedState as string,
          body,
          ...legalBasisColumns(prepared),
          requestedDeadline: base.requestedDeadline,
          ...deadlineFields(base),
          version: row.version + 1,
          updatedAt: now,
        })
        .where(eq(requests.id, id));
      await replaceLinksAndIdentifiers(tx, id, prepared.links, prepared.identifiers);
      await scheduleTimers(tx, id, now, preservationPolicy);
      await appendEvent(tx, {
        requestId: id,
        at: now,
        actor: actor.id,
        action: 'update',
        fromStatus: row.status,
        toStatus: row.status,
        details: { fields: Object.keys(changes) },
      });
      await appendAudit(
        tx,
        { actor: actor.id, action: 'request.update', objectType: 'request', objectId: id, payload: { body } },
        now,
      );
      const warnings = await duplicates(tx, id, body.requestedState as string, prepared);
      return { request: await show(tx, id, now), duplicates: warnings };
    });
    announce('changed', 'update', id);
    return updated;
  }

  /** One step of the life cycle; refused with 409 (and the allowed steps), 403 or 400 before any write. */
  async function transition(
    actor: RequestActor,
    id: string,
    input: Record<string, unknown>,
    within?: Within,
  ) {
    const now = clock.now();
    const run = <T>(fn: (tx: Db) => Promise<T>): Promise<T> => (within ? fn(within.tx) : db.transaction(fn));
    const result = await run(async (tx) => {
      const row = await getRow(tx, id, true);
      if (typeof input.expectedVersion === 'number' && input.expectedVersion !== row.version) {
        throw new ConflictError(
          `The request changed since you read it (version ${row.version}, you had ${input.expectedVersion}).`,
          'ERR_STALE',
        );
      }
      const snapshot = snapshotOf(row);
      const decision = decideTransition(snapshot, input as never, actor, now, transitionOptions);
      if (!decision.ok) {
        if (decision.kind === 'illegal') {
          throw new ConflictError(decision.message, 'ERR_ILLEGAL_TRANSITION', {
            currentStatus: row.status,
            allowed: decision.allowed,
          });
        }
        if (decision.kind === 'forbidden') {
          throw new ForbiddenError(
            decision.message,
            decision.code,
            decision.requiredRoles ? { requiredRoles: [...decision.requiredRoles] } : undefined,
          );
        }
        throw new ValidationError(decision.errors);
      }
      const { outcome } = decision;
      const changes: Partial<typeof requests.$inferInsert> = { ...outcome.changes };
      if (outcome.action === 'assign') {
        const assignee = String(input.assignee);
        const user = UUID.test(assignee)
          ? await findUserById(tx, assignee)
          : await findUserByUsername(tx, assignee);
        if (!user || user.disabled)
          throw new ValidationError([{ field: '/assignee', message: `no active account '${assignee}'` }]);
        changes.assignedTo = user.id;
      }
      if (outcome.action === 'extend_preservation' || outcome.action === 'record_extension') {
        if (!row.preservationExpiresAt)
          throw new ConflictError('This preservation has no expiry yet.', 'ERR_NOT_PRESERVED');
        try {
          changes.preservationExpiresAt = extendPreservation(
            row.preservationExpiresAt,
            now,
            preservationPolicy,
          );
        } catch (error) {
          throw new ValidationError([
            { field: '/action', message: (error as Error).message, article: 'art. 42' },
          ]);
        }
        changes.preservationExtensions = row.preservationExtensions + 1;
        outcome.details.expiresAt = changes.preservationExpiresAt.toISOString();
      }
      if (outcome.to === 'sent' && outcome.from !== 'sent') changes.startedAt = now;
      if (outcome.to === 'executed' && outcome.from !== 'executed') {
        changes.executedAt = now;
        if (row.type === 'PRESERVATION')
          changes.preservationExpiresAt = preservationExpiry(now, 0, preservationPolicy);
      }
      const next = {
        direction: row.direction,
        type: row.type,
        urgency: row.urgency,
        status: outcome.to,
        startedAt: changes.startedAt ?? row.startedAt,
        requestedDeadline: row.requestedDeadline,
        postponedUntil:
          changes.postponedUntil === undefined ? row.postponedUntil : (changes.postponedUntil ?? null),
      };
      await tx
        .update(requests)
        .set({
          ...changes,
          status: outcome.to,
          ...deadlineFields(next),
          version: row.version + 1,
          updatedAt: now,
        })
        .where(eq(requests.id, id));
      await scheduleTimers(tx, id, now, preservationPolicy);
      await appendEvent(tx, {
        requestId: id,
        at: now,
        actor: actor.id,
        action: outcome.action,
        fromStatus: outcome.from,
        toStatus: outcome.to,
        details: outcome.details,
      });
      await appendAudit(
        tx,
        {
          actor: actor.id,
          action: `request.${outcome.action}`,
          objectType: 'request',
          objectId: id,
          payload: { from: outcome.from, to: outcome.to, roles: actor.roles, details: outcome.details },
        },
        now,
      );
      await options.transitionHook?.(tx, {
        row,
        action: outcome.action,
        from: outcome.from,
        to: outcome.to,
        input,
        now,
      });
      return show(tx, id, now);
    });
    if (options.afterTransition) {
      if (within) within.afterCommit(options.afterTransition);
      else options.afterTransition();
    }
    announce('changed', String(input.action), id, within);
    return result;
  }

  async function getRow(tx: Db, id: string, lock = false): Promise<RequestRow> {
    if (!UUID.test(id)) throw new NotFoundError('Request', id);
    const row = await findRequest(tx, id, lock);
    if (!row) throw new NotFoundError('Request', id);
    return row;
  }

  function snapshotOf(row: RequestRow): LifecycleSnapshot {
    return {
      direction: row.direction as Direction,
      type: row.type as RequestType,
      urgency: row.urgency,
      state: row.status as RequestState,
      draftedBy: row.draftedBy,
      emergencyApprovalPending: row.emergencyApprovalPending,
      scopeResult: row.scopeResult,
      ...lawOfRow(row),
    };
  }

  async function show(tx: Db, id: string, now = clock.now()) {
    const row = await getRow(tx, id);
    const caseReference = await caseReferenceOf(tx, row.caseId);
    const events = await listEvents(tx, id);
    const held = row.type === 'PRESERVATION' ? await hasUndecidedLinkedRequest(tx, id) : false;
    return {
      ...toSummary(row, caseReference, now, policy),
      body: row.body as Record<string, unknown>,
      scope: { result: row.scopeResult, reason: row.scopeReason },
      legalBasisCandidates: row.legalBasisCandidates,
      draftedBy: row.draftedBy,
      approvedBy: row.approvedBy,
      executedAt: row.executedAt ? row.executedAt.toISOString() : null,
      postponedUntil: row.postponedUntil ? row.postponedUntil.toISOString() : null,
      preservation: preservationView(row, held, now),
      version: row.version,
      nextSteps: allowedNextSteps(snapshotOf(row)),
      timeline: events.map((e) => ({
        at: e.at.toISOString(),
        actor: e.actor,
        action: e.action,
        from: e.fromStatus,
        to: e.toStatus,
        details: e.details,
      })),
    };
  }

  async function get(id: string) {
    return show(db, id);
  }

  /** The printable request in the given language, or in the first the requested State reads. */
  async function form(
    id: string,
    language?: FormLanguage,
  ): Promise<{ html: string; language: FormLanguage }> {
    const r = await show(db, id);
    const current = await directory.currentOrNull();
    const party = current?.document.parties.find((p) => p.code === r.requestedState);
    const lang = language ?? formLanguageFor(party ? party.authorities.flatMap((a) => a.languages) : []);
    return { html: renderRequestForm(r, lang, { demo: current?.document.demo === true }), language: lang };
  }

  /** A page of requests matching the filters, newest first, with the cursor of the next page. */
  async function list(filters: Omit<ListFilters, 'limit'> & { limit?: number }, actor?: RequestActor) {
    const limit = Math.min(Math.max(filters.limit ?? 50, 1), 500);
    if (filters.after !== undefined && !UUID.test(filters.after)) {
      throw new ValidationError([
        { field: 'after', message: 'must be the id of the last request of the previous page' },
      ]);
    }
    let assignedTo = filters.assignedTo;
    if (assignedTo === 'me') assignedTo = actor?.id;
    else if (assignedTo !== undefined && !UUID.test(assignedTo)) {
      const user = await findUserByUsername(db, assignedTo);
      // No such account: the value may still be an actor id that is not a user (a CLI operator, 'cli:...').
      assignedTo = user ? user.id : assignedTo;
    }
    const now = clock.now();
    const rows = await listRequests(db, { ...filters, assignedTo, limit }, now);
    const items = rows.map((r) => toSummary(r.row, r.caseReference, now, policy));
    return { items, next: items.length === limit ? items[items.length - 1]!.id : null };
  }

  const timers = createTimerProcessor(database, clock, options.deliveryTargets);
  const notifications = createNotificationService(database, clock);

  return {
    create,
    updateDraft,
    transition,
    get,
    form,
    list,
    processDueTimers: timers.processDueTimers,
    notifications,
    /** Subscribes to committed changes (creations, edits, transitions, incoming messages). */
    onChange(listener: RequestChangeListener): () => void {
      changeListeners.add(listener);
      return () => changeListeners.delete(listener);
    },
  };
}

export type RequestService = ReturnType<typeof createRequestService>;
