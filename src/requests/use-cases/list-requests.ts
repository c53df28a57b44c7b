// List requests: a page matching the filters, newest first, with the cursor of the next page.
// `assignedTo` takes 'me', an account id or a username.
import { findUserByUsername } from '../../auth/user-store.ts';
import { ValidationError } from '../../shared/errors.ts';
import { type ListFilters, listRequests } from '../request-store.ts';
import { toSummary } from '../request-view.ts';
import { UUID } from './request-guards.ts';
import type { RequestActor, RequestContext } from './request-types.ts';

export async function listRequestPage(
  ctx: RequestContext,
  filters: Omit<ListFilters, 'limit'> & { limit?: number },
  actor?: RequestActor,
) {
  const limit = Math.min(Math.max(filters.limit ?? 50, 1), 500);
  if (filters.after !== undefined && !UUID.test(filters.after)) {
    throw new ValidationError([
      { field: 'after', message: 'must be the id of the last request of the previous page' },
    ]);
  }
  let assignedTo = filters.assignedTo;
  if (assignedTo === 'me') assignedTo = actor?.id;
  else if (assignedTo !== undefined && !UUID.test(assignedTo)) {
    const user = await findUserByUsername(ctx.db, assignedTo);
    // No such account: the value may still be an actor id that is not a user (a CLI operator, 'cli:...').
    assignedTo = user ? user.id : assignedTo;
  }
  if (filters.exercise !== undefined && !UUID.test(filters.exercise)) {
    throw new ValidationError([{ field: 'exercise', message: 'must be the id of an exercise' }]);
  }
  const realNow = ctx.clock.now();
  // An exercise's requests are overdue against the exercise's clock.
  const now =
    filters.exercise && ctx.exercises
      ? await ctx.exercises.viewNow(ctx.db, filters.exercise, realNow)
      : realNow;
  const rows = await listRequests(ctx.db, { ...filters, assignedTo, limit }, now);
  const items = rows.map((r) => toSummary(r.row, r.caseReference, now, ctx.policy));
  return { items, next: items.length === limit ? items[items.length - 1]!.id : null };
}
