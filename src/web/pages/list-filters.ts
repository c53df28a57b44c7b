// The desk's order and filters as pure functions: the list sorts with them, and a change pushed by
// the live stream is kept or dropped by the same rules the API applied to the first load.
import type { Role } from '../../domain/codes.ts';
import { TRANSITIONS } from '../../domain/requests/lifecycle.ts';
import type { RequestSummary } from '../api/types.ts';

export type ListFilters = {
  status: string;
  type: string;
  urgency: string;
  direction: string;
  overdue: string;
};

const URGENCY_RANK: Record<string, number> = { EMERGENCY: 0, URGENT: 1, ROUTINE: 2 };

/** Overdue first, then the most urgent, then the nearest deadline, then the latest change. */
export function byUrgency(a: RequestSummary, b: RequestSummary): number {
  if (a.overdue !== b.overdue) return a.overdue ? -1 : 1;
  const u = (URGENCY_RANK[a.urgency] ?? 3) - (URGENCY_RANK[b.urgency] ?? 3);
  if (u !== 0) return u;
  const da = a.nextDue ? Date.parse(a.nextDue.dueAt) : Number.POSITIVE_INFINITY;
  const db = b.nextDue ? Date.parse(b.nextDue.dueAt) : Number.POSITIVE_INFINITY;
  if (da !== db) return da - db;
  return b.updatedAt.localeCompare(a.updatedAt);
}

/** Whether a request belongs in a list with these filters at `nowMs`. */
export function matchesFilters(r: RequestSummary, f: ListFilters, nowMs: number): boolean {
  if (f.status && r.status !== f.status) return false;
  if (f.type && r.type !== f.type) return false;
  if (f.urgency && r.urgency !== f.urgency) return false;
  if (f.direction && r.direction !== f.direction) return false;
  if (f.overdue === 'true') {
    const late = r.overdue || (r.nextDue !== null && Date.parse(r.nextDue.dueAt) < nowMs);
    if (!late) return false;
  }
  return true;
}

export type QuickAction = 'acknowledge' | 'take';

function allowed(action: string, r: RequestSummary, roles: readonly Role[]): boolean {
  return TRANSITIONS.some(
    (rule) =>
      rule.action === action &&
      rule.direction === r.direction &&
      (rule.from as readonly string[]).includes(r.status) &&
      rule.roles.some((role) => roles.includes(role)),
  );
}

/** The one-click steps a row offers: acknowledge what was received, take what is someone else's. */
export function quickActions(r: RequestSummary, roles: readonly Role[], me: string): QuickAction[] {
  const out: QuickAction[] = [];
  if (r.direction === 'INCOMING' && allowed('acknowledge', r, roles)) out.push('acknowledge');
  if (r.assignedTo !== me && allowed('assign', r, roles)) out.push('take');
  return out;
}
