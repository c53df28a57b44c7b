// The notifications as GET /api/v1/notifications gives them (src/requests/notification-service.ts).

export type NotificationItem = {
  id: string;
  kind: string;
  requestId: string | null;
  /** English, for scripts. */
  message: string;
  /** In the language asked for with `?lang=`. */
  text: string;
  language: string;
  notice: { code: string; params: { reference?: string; requestId?: string } } | null;
  toRole: string | null;
  createdAt: string;
  readAt: string | null;
  exerciseId: string | null;
};

export type NotificationPage = { items: NotificationItem[]; next: string | null };

/** How many unread ones the navigation counts exactly; beyond, it says "99+". */
export const UNREAD_CAP = 99;
