// The one-click steps of a request list (acknowledge, take): which rows are being acted on, and the
// call; the live stream then redraws the row with its new state. Shared by the lists and the exercise view.
import { useCallback, useState } from 'react';
import { post } from '../api/client.ts';
import type { RequestSummary } from '../api/types.ts';
import { useMe } from '../app/session.tsx';
import type { QuickAction } from './list-filters.ts';

export function useQuickActions(setError: (error: unknown) => void) {
  const me = useMe();
  const [acting, setActing] = useState<Set<string>>(new Set());
  const act = useCallback(
    async (r: RequestSummary, action: QuickAction) => {
      setActing((old) => new Set(old).add(r.id));
      setError(null);
      try {
        await post(
          `/api/v1/requests/${encodeURIComponent(r.id)}/transitions`,
          action === 'take' ? { action: 'assign', assignee: me.user.username } : { action },
        );
      } catch (e) {
        setError(e);
      } finally {
        setActing((old) => {
          const next = new Set(old);
          next.delete(r.id);
          return next;
        });
      }
    },
    [me.user.username, setError],
  );
  return { acting, act };
}
