// Storage of requests: every function takes the transaction (or the database) first.
import { and, desc, eq, inArray, isNull, lt, ne, notInArray, sql } from 'drizzle-orm';
import { holdsPreservation, type LinkedRequest, SETTLED_STATES } from '../domain/requests/index.ts';
import type { Db } from '../store/database.ts';
import { cases, requestEvents, requestIdentifiers, requestLinks, requests } from '../store/schema/index.ts';
import type { RequestRow } from './request-view.ts';

export type EventRow = typeof requestEvents.$inferSelect;

/** The case with this reference, created if new. */
export async function caseIdFor(
  tx: Db,
  reference: string,
  id: string,
  at: Date,
  actor: string,
): Promise<string> {
  await tx.insert(cases).values({ id, reference, createdAt: at, createdBy: actor }).onConflictDoNothing();
  const [row] = await tx.select({ id: cases.id }).from(cases).where(eq(cases.reference, reference));
  return row!.id;
}

export async function caseReferenceOf(tx: Db, caseId: string): Promise<string> {
  const [row] = await tx.select({ reference: cases.reference }).from(cases).where(eq(cases.id, caseId));
  return row?.reference ?? '';
}

export async function findRequest(tx: Db, id: string, lock = false): Promise<RequestRow | undefined> {
  const query = tx.select().from(requests).where(eq(requests.id, id));
  const [row] = lock ? await query.for('update') : await query;
  return row;
}

export async function existingIds(tx: Db, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await tx.select({ id: requests.id }).from(requests).where(inArray(requests.id, ids));
  return new Set(rows.map((r) => r.id));
}

export async function appendEvent(tx: Db, event: typeof requestEvents.$inferInsert): Promise<void> {
  await tx.insert(requestEvents).values(event);
}

export async function listEvents(tx: Db, requestId: string): Promise<EventRow[]> {
  return tx
    .select()
    .from(requestEvents)
    .where(eq(requestEvents.requestId, requestId))
    .orderBy(requestEvents.id);
}

/** Replaces the links and identifier hashes of a request (drafts may change them). */
export async function replaceLinksAndIdentifiers(
  tx: Db,
  requestId: string,
  links: string[],
  identifiers: { kind: string; keyedHash: string }[],
): Promise<void> {
  await tx.delete(requestLinks).where(eq(requestLinks.requestId, requestId));
  await tx.delete(requestIdentifiers).where(eq(requestIdentifiers.requestId, requestId));
  if (links.length > 0)
    await tx.insert(requestLinks).values(links.map((linkedId) => ({ requestId, linkedId })));
  const unique = [...new Map(identifiers.map((i) => [i.keyedHash, i])).values()];
  if (unique.length > 0) await tx.insert(requestIdentifiers).values(unique.map((i) => ({ requestId, ...i })));
}

/** Open requests to the same partner State that name one of these keyed hashes. */
export async function findDuplicates(
  tx: Db,
  requestId: string,
  partnerState: string,
  hashes: string[],
): Promise<{ keyedHash: string; requestId: string }[]> {
  if (hashes.length === 0) return [];
  return tx
    .select({ keyedHash: requestIdentifiers.keyedHash, requestId: requests.id })
    .from(requestIdentifiers)
    .innerJoin(requests, eq(requests.id, requestIdentifiers.requestId))
    .where(
      and(
        inArray(requestIdentifiers.keyedHash, hashes),
        ne(requests.id, requestId),
        eq(requests.partnerState, partnerState),
        notInArray(requests.status, [...SETTLED_STATES]),
      ),
    );
}

/** The requests that link to this one (e.g. the MLA following a preservation), as the hold rule reads them. */
export async function linkedRequestsOf(
  tx: Db,
  requestId: string,
): Promise<(LinkedRequest & { id: string })[]> {
  const rows = await tx
    .select({
      id: requests.id,
      type: requests.type,
      status: requests.status,
      startedAt: requests.startedAt,
      body: requests.body,
    })
    .from(requestLinks)
    .innerJoin(requests, eq(requests.id, requestLinks.requestId))
    .where(eq(requestLinks.linkedId, requestId));
  return rows.map((r) => {
    const sought = (r.body as Record<string, unknown>).assistanceSought;
    return {
      id: r.id,
      type: r.type,
      status: r.status,
      startedAt: r.startedAt,
      measures: Array.isArray(sought) ? (sought as string[]) : undefined,
    };
  });
}

/**
 * True when this preservation is held past its expiry: its follow-up request for search, seizure
 * or disclosure was made before expiry and is not yet decided (art. 42; Budapest art. 29(7)).
 */
export async function hasUndecidedLinkedRequest(tx: Db, requestId: string): Promise<boolean> {
  const [own] = await tx
    .select({ expiresAt: requests.preservationExpiresAt })
    .from(requests)
    .where(eq(requests.id, requestId));
  if (!own) return false;
  return (await linkedRequestsOf(tx, requestId)).some((l) => holdsPreservation(l, own.expiresAt));
}

export type ListFilters = {
  type?: string;
  status?: string;
  partnerState?: string;
  urgency?: string;
  direction?: string;
  assignedTo?: string;
  caseReference?: string;
  overdue?: boolean;
  /** Only this exercise's requests; without it, only real requests (never an exercise's). */
  exercise?: string;
  /** The id of the last item of the previous page. */
  after?: string;
  limit: number;
};

/**
 * A page of requests, newest first (ids are UUIDv7, so id order is creation order). The page is
 * chosen from the requests table alone and its case references fetched after, for its rows only:
 * joining first made PostgreSQL join every matching row (thousands for "overdue in one State")
 * before sorting and keeping fifty.
 */
export async function listRequests(
  tx: Db,
  f: ListFilters,
  now: Date,
): Promise<{ row: RequestRow; caseReference: string }[]> {
  let caseId: string | undefined;
  if (f.caseReference !== undefined) {
    const [found] = await tx.select({ id: cases.id }).from(cases).where(eq(cases.reference, f.caseReference));
    if (!found) return [];
    caseId = found.id;
  }
  const conditions = [
    f.type ? eq(requests.type, f.type) : undefined,
    f.status ? eq(requests.status, f.status) : undefined,
    f.partnerState ? eq(requests.partnerState, f.partnerState) : undefined,
    f.urgency ? eq(requests.urgency, f.urgency) : undefined,
    f.direction ? eq(requests.direction, f.direction) : undefined,
    f.assignedTo ? eq(requests.assignedTo, f.assignedTo) : undefined,
    caseId ? eq(requests.caseId, caseId) : undefined,
    f.exercise ? eq(requests.exerciseId, f.exercise) : isNull(requests.exerciseId),
    // Written as the expression of requests_overdue_idx (with its predicate) so the index serves it.
    f.overdue
      ? sql`((${requests.nextDueAt} IS NOT NULL OR ${requests.emergencyApprovalPending}) AND LEAST(${requests.nextDueAt}, CASE WHEN ${requests.emergencyApprovalPending} THEN ${requests.emergencyApprovalDueAt} END) < ${now.toISOString()}::timestamptz)`
      : undefined,
    f.after ? lt(requests.id, f.after) : undefined,
  ].filter((c) => c !== undefined);
  const rows = await tx
    .select()
    .from(requests)
    .where(conditions.length > 0 ? and(...conditions) : undefined)
    .orderBy(desc(requests.id))
    .limit(f.limit);
  const caseIds = [...new Set(rows.map((r) => r.caseId))];
  const references =
    caseIds.length === 0
      ? []
      : await tx
          .select({ id: cases.id, reference: cases.reference })
          .from(cases)
          .where(inArray(cases.id, caseIds));
  const referenceOf = new Map(references.map((c) => [c.id, c.reference]));
  return rows.map((row) => ({ row, caseReference: referenceOf.get(row.caseId) ?? '' }));
}
