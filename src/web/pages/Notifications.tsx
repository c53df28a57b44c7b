// The officer's notifications (deadlines, emergency approvals, preservation), newest first: the text
// in the desk's language (the node words it from the notice's codes), when, the request it concerns,
// EXERCISE when it belongs to one, and read or unread. Twenty at a time, more on request, so a node
// with years of notices stays quick on a phone.
import { useCallback, useEffect, useState } from 'react';
import { Button, Link } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { get, post, query } from '../api/client.ts';
import { ExerciseBadge } from '../components/ExerciseMark.tsx';
import { Problem } from '../components/Problem.tsx';
import { fromResources } from '../i18n/i18n.ts';
import type { NotificationItem, NotificationPage } from '../notifications/notification-types.ts';
import { refreshUnread } from '../notifications/unread-count.ts';
import { formatInstant, ownZone } from '../time/format.ts';

const PAGE_SIZE = 20;

export function Notifications() {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const [items, setItems] = useState<NotificationItem[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);

  const fetchPage = useCallback(
    (after: string | null) =>
      get<NotificationPage>(`/api/v1/notifications${query({ lang: language, limit: PAGE_SIZE, after })}`),
    [language],
  );

  // The first page again when the language changes: the texts are written by the node in it.
  useEffect(() => {
    let live = true;
    setLoading(true);
    fetchPage(null).then(
      (page) => {
        if (!live) return;
        setItems(page.items);
        setNext(page.next);
        setError(null);
        setLoading(false);
      },
      (e) => {
        if (!live) return;
        setError(e);
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
  }, [fetchPage]);

  async function loadMore() {
    if (!next) return;
    setLoading(true);
    try {
      const page = await fetchPage(next);
      // Keyed by id: a notice that arrived meanwhile does not appear twice.
      setItems((old) => {
        const seen = new Set(old.map((n) => n.id));
        return [...old, ...page.items.filter((n) => !seen.has(n.id))];
      });
      setNext(page.next);
      setError(null);
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }

  async function markRead(ids: readonly string[]) {
    try {
      for (const id of ids) await post(`/api/v1/notifications/${encodeURIComponent(id)}/read`);
      const at = new Date().toISOString();
      setItems((old) => old.map((n) => (ids.includes(n.id) && !n.readAt ? { ...n, readAt: at } : n)));
      setError(null);
    } catch (e) {
      setError(e);
    } finally {
      void refreshUnread();
    }
  }

  const unreadShown = items.filter((n) => !n.readAt);
  const zone = ownZone();

  return (
    <section aria-labelledby="notifications-title" className="notifications">
      <div className="page-head">
        <h1 id="notifications-title">{t('notifications.title')}</h1>
        {unreadShown.length > 1 ? (
          <Button className="button small" onPress={() => void markRead(unreadShown.map((n) => n.id))}>
            {t('notifications.markAllRead')}
          </Button>
        ) : null}
      </div>
      <p className="intro">{t('notifications.intro')}</p>
      <Problem error={error} />
      {!loading && !error && items.length === 0 ? <p className="empty">{t('notifications.empty')}</p> : null}
      <ul className="notification-list" aria-busy={loading}>
        {items.map((n) => {
          const requestId = n.requestId ?? n.notice?.params.requestId ?? null;
          const reference = n.notice?.params.reference;
          return (
            <li key={n.id} className={`card notification${n.readAt ? ' read' : ' unread'}`}>
              <p className="notification-head">
                <span className={`badge ${n.readAt ? 'read' : 'unread'}`}>
                  {n.readAt ? t('notifications.read') : t('notifications.unread')}
                </span>
                <ExerciseBadge exerciseId={n.exerciseId} />
                <time dateTime={n.createdAt}>{formatInstant(new Date(n.createdAt), language, zone)}</time>
              </p>
              {/* Worded by the node from this desk's own resources; older rows are plain English. */}
              {n.notice ? (
                <p className="notification-text">{fromResources(n.text)}</p>
              ) : (
                <p className="notification-text" lang="en">
                  {n.text}
                </p>
              )}
              <p className="notification-foot">
                {requestId ? (
                  <Link href={`/requests/${encodeURIComponent(requestId)}`}>
                    {reference
                      ? t('notifications.openRequestRef', { reference })
                      : t('notifications.openRequest')}
                  </Link>
                ) : null}
                {n.toRole ? (
                  <span className="sub">
                    {t('notifications.toRole', {
                      role: t(`roles.${n.toRole}` as 'roles.ADMIN', { defaultValue: n.toRole }),
                    })}
                  </span>
                ) : null}
                {n.readAt ? null : (
                  <Button
                    className="button small"
                    onPress={() => void markRead([n.id])}
                    aria-label={t('notifications.markReadOne', {
                      reference: reference ?? formatInstant(new Date(n.createdAt), language, zone),
                    })}
                  >
                    {t('notifications.markRead')}
                  </Button>
                )}
              </p>
            </li>
          );
        })}
      </ul>
      {next ? (
        <Button className="button" isDisabled={loading} onPress={() => void loadMore()}>
          {t('notifications.loadMore')}
        </Button>
      ) : null}
    </section>
  );
}
