// The in-app list of notifications of a signed-in officer: those addressed to the account and
// those addressed to one of its roles.
import { and, desc, eq, inArray, isNull, lt, or } from 'drizzle-orm';
import type { Role } from '../domain/codes.ts';
import type { FormLanguage } from '../domain/requests/index.ts';
import type { Clock } from '../shared/clock.ts';
import { NotFoundError } from '../shared/errors.ts';
import type { Database } from '../store/database.ts';
import { notifications } from '../store/schema/index.ts';
import { decodeNotice, messageText } from './notification-text.ts';

export type Reader = { id: string; roles: readonly Role[] };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const recipientsOf = (reader: Reader) => [reader.id, ...reader.roles.map((r) => `role:${r}`)];

export function createNotificationService(database: Database, clock: Clock) {
  const { db } = database;

  /** `language`: the reader's, for `text`; `message` stays English for scripts that read it. */
  async function list(
    reader: Reader,
    options: { unread?: boolean; limit?: number; after?: string; language?: FormLanguage } = {},
  ) {
    const language = options.language ?? 'en';
    const limit = Math.min(Math.max(options.limit ?? 50, 1), 500);
    const rows = await db
      .select()
      .from(notifications)
      .where(
        and(
          inArray(notifications.recipient, recipientsOf(reader)),
          options.unread ? isNull(notifications.readAt) : undefined,
          options.after ? lt(notifications.id, options.after) : undefined,
        ),
      )
      .orderBy(desc(notifications.id))
      .limit(limit);
    const items = rows.map((n) => ({
      id: n.id,
      kind: n.kind,
      requestId: n.requestId,
      message: messageText(n.message, 'en'),
      text: messageText(n.message, language),
      language,
      notice: decodeNotice(n.message),
      toRole: n.recipient.startsWith('role:') ? n.recipient.slice(5) : null,
      createdAt: n.createdAt.toISOString(),
      readAt: n.readAt ? n.readAt.toISOString() : null,
      exerciseId: n.exerciseId ?? null,
    }));
    return { items, next: items.length === limit ? items[items.length - 1]!.id : null };
  }

  async function markRead(reader: Reader, id: string): Promise<void> {
    if (!UUID.test(id)) throw new NotFoundError('Notification', id);
    const updated = await db
      .update(notifications)
      .set({ readAt: clock.now() })
      .where(
        and(eq(notifications.id, id), or(...recipientsOf(reader).map((r) => eq(notifications.recipient, r)))),
      )
      .returning({ id: notifications.id });
    if (updated.length === 0) throw new NotFoundError('Notification', id);
  }

  return { list, markRead };
}

export type NotificationService = ReturnType<typeof createNotificationService>;
