// What the request view adds for people reading it: who took each step (display name and roles,
// or the partner's node), and the legal-basis and scope reasons as codes the desk words in the
// reader's language. The English texts stay in place for API clients that show them.
import { inArray } from 'drizzle-orm';
import type { OffenceCode, RequestType } from '../domain/codes.ts';
import { type LegalBasisCandidate, type ReasonPart, scopeGate } from '../domain/legal-basis/index.ts';
import type { Db } from '../store/database.ts';
import { users } from '../store/schema/index.ts';

/** Who an actor id stands for: an account of this node, a partner's node, or the node itself. */
export type ActorInfo =
  | { kind: 'user'; displayName: string; username: string; roles: string[] }
  | { kind: 'node'; state: string }
  | { kind: 'system' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The people and nodes behind a list of actor ids, looked up in one query. */
export async function actorsOf(db: Db, ids: readonly (string | null)[]): Promise<Map<string, ActorInfo>> {
  const out = new Map<string, ActorInfo>();
  const userIds = [...new Set(ids.filter((id): id is string => typeof id === 'string' && UUID.test(id)))];
  if (userIds.length > 0) {
    const rows = await db
      .select({ id: users.id, displayName: users.displayName, username: users.username, roles: users.roles })
      .from(users)
      .where(inArray(users.id, userIds));
    for (const r of rows)
      out.set(r.id, { kind: 'user', displayName: r.displayName, username: r.username, roles: r.roles });
  }
  for (const id of ids) {
    if (typeof id !== 'string' || out.has(id)) continue;
    const node = /^node:([A-Z]{2})$/.exec(id);
    out.set(id, node ? { kind: 'node', state: node[1]! } : { kind: 'system' });
  }
  return out;
}

type ViewIn = {
  body: Record<string, unknown>;
  type: string;
  legalBasis: { basis: string; treatyRef: string | null; reason: string };
  scope: { result: string; reason: string };
  legalBasisCandidates: unknown;
  timeline: { actor: string | null }[];
  draftedBy?: string | null;
  approvedBy?: string | null;
};

/** The chosen basis's reason codes, found among the candidates stored with the request. */
function chosenReasons(view: ViewIn): ReasonPart[] | null {
  if (!Array.isArray(view.legalBasisCandidates)) return null;
  const chosen = (view.legalBasisCandidates as LegalBasisCandidate[]).find(
    (c) => c.basis === view.legalBasis.basis && (c.treatyRef ?? null) === (view.legalBasis.treatyRef ?? null),
  );
  return chosen?.reasons ?? null;
}

/** The scope reasons as codes, from the same pure gate the request was checked with when saved. */
function scopeReasons(view: ViewIn): ReasonPart[] | null {
  const offences = view.body.offences;
  if (!Array.isArray(offences)) return null;
  const list = offences
    .filter((o): o is { code: OffenceCode; maxPenaltyMonths?: number } => typeof o?.code === 'string')
    .map((o) => ({
      code: o.code,
      ...(typeof o.maxPenaltyMonths === 'number' ? { maxPenaltyMonths: o.maxPenaltyMonths } : {}),
    }));
  const decision = scopeGate({ offences: list, requestType: view.type as RequestType });
  // Only when it still says what was stored: a changed threshold must not rewrite the record.
  return decision.result === view.scope.result ? decision.reasons : null;
}

/** The request view with actors named and reasons coded. */
export async function withPeopleAndReasons<V extends ViewIn>(db: Db, view: V) {
  const actors = await actorsOf(db, [
    ...view.timeline.map((e) => e.actor),
    view.draftedBy ?? null,
    view.approvedBy ?? null,
  ]);
  const info = (id: string | null | undefined) => (id ? (actors.get(id) ?? null) : null);
  return {
    ...view,
    legalBasis: { ...view.legalBasis, reasons: chosenReasons(view) },
    scope: { ...view.scope, reasons: scopeReasons(view) },
    draftedByInfo: info(view.draftedBy),
    approvedByInfo: info(view.approvedBy),
    timeline: view.timeline.map((e) => ({ ...e, actorInfo: info(e.actor) })),
  };
}
