// The unread count the navigation shows. One shared value for the tab: the shell asks for it when
// the page changes and once a minute (timers fire deadlines without any request changing); the
// notifications page asks again after marking some read, so the count follows at once.
import { useSyncExternalStore } from 'react';
import { get, query } from '../api/client.ts';
import { type NotificationPage, UNREAD_CAP } from './notification-types.ts';

export type UnreadCount = { count: number; more: boolean } | null;

let current: UnreadCount = null;
const listeners = new Set<() => void>();
// Answers may come back out of order: only the latest question's answer is kept.
let asked = 0;

function set(next: UnreadCount): void {
  if (next?.count === current?.count && next?.more === current?.more) return;
  current = next;
  for (const l of listeners) l();
}

/** Asks the node again; a failure keeps the last count (the page itself shows problems). */
export async function refreshUnread(): Promise<void> {
  const mine = ++asked;
  try {
    const page = await get<NotificationPage>(
      `/api/v1/notifications${query({ unread: true, limit: UNREAD_CAP + 1 })}`,
    );
    // One more than shown is asked for: exactly 99 unread reads "99", a hundred "99+".
    const count = Math.min(page.items.length, UNREAD_CAP);
    if (mine === asked) set({ count, more: page.items.length > UNREAD_CAP });
  } catch {
    // Kept as it was.
  }
}

/** Forgets the count (signed out). */
export function clearUnread(): void {
  asked++;
  set(null);
}

export function useUnreadCount(): UnreadCount {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => current,
  );
}
