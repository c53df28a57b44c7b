// The four-eyes queue: outgoing requests awaiting approval that this approver did not draft, most
// urgent first. An approval is given on the request itself, opened and read, and confirmed there:
// the queue only leads to it. The drafter's own requests are counted, not offered: the node refuses
// them anyway (the person who drafted a request cannot approve it).
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { get, query } from '../api/client.ts';
import type { RequestDetail, RequestPage } from '../api/types.ts';
import { useMe } from '../app/session.tsx';
import { Deadline } from '../components/Deadline.tsx';
import { LiveIndicator } from '../components/LiveIndicator.tsx';
import { Problem } from '../components/Problem.tsx';
import { stateName } from '../i18n/words.ts';
import { useLiveRequests } from '../live/live-requests.ts';
import { byUrgency } from './list-filters.ts';

const PENDING = 'pending_approval';

export function Approvals() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const [queue, setQueue] = useState<Map<string, RequestDetail>>(new Map());
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);

  // The summary does not say who drafted a request: the detail does.
  const detailOf = useCallback(
    (id: string) => get<RequestDetail>(`/api/v1/requests/${encodeURIComponent(id)}`),
    [],
  );

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const page = await get<RequestPage>(`/api/v1/requests${query({ status: PENDING, limit: 500 })}`);
      const details = await Promise.all(page.items.map((r) => detailOf(r.id)));
      setQueue(new Map(details.filter((d) => d.status === PENDING).map((d) => [d.id, d])));
      setError(null);
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }, [detailOf]);

  useEffect(() => {
    void load();
  }, [load]);

  useLiveRequests((change) => {
    if (change.kind === 'resync') return void load();
    const { id, status } = change.request;
    if (status !== PENDING) {
      setQueue((old) => {
        if (!old.has(id)) return old;
        const next = new Map(old);
        next.delete(id);
        return next;
      });
      return;
    }
    detailOf(id).then(
      (d) => setQueue((old) => new Map(old).set(d.id, d)),
      () => {},
    );
  });

  const all = useMemo(() => [...queue.values()].sort(byUrgency), [queue]);
  const mine = all.filter((r) => r.draftedBy === me.user.id);
  const theirs = all.filter((r) => r.draftedBy !== me.user.id);

  return (
    <section aria-labelledby="approvals-title">
      <div className="page-head">
        <h1 id="approvals-title">{t('approvals.title')}</h1>
        <LiveIndicator />
      </div>
      <p className="intro">{t('approvals.intro')}</p>
      <Problem error={error} />
      {!loading && theirs.length === 0 ? <p className="empty">{t('approvals.empty')}</p> : null}
      <ul className="approval-queue" aria-busy={loading}>
        {theirs.map((r) => (
          <li key={r.id} className={`card approval${r.overdue ? ' overdue' : ''}`}>
            <div className="approval-main">
              <h2>
                <Link href={`/requests/${encodeURIComponent(r.id)}`}>{r.caseReference}</Link>
              </h2>
              <p>
                {t(`requestType.${r.type}` as 'requestType.PRESERVATION', { defaultValue: r.type })} →{' '}
                {stateName(r.partnerState, i18n.language)} ·{' '}
                <span className={`urgency urgency-${r.urgency}`}>
                  {t(`urgency.${r.urgency}` as 'urgency.URGENT', { defaultValue: r.urgency })}
                </span>
              </p>
              <p className="sub">{typeof r.body.factsSummary === 'string' ? r.body.factsSummary : ''}</p>
              {r.nextDue ? (
                <p>
                  <span className="sub">
                    {t(`deadlineKind.${r.nextDue.kind}` as 'deadlineKind.EXECUTE', {
                      defaultValue: r.nextDue.kind,
                    })}
                  </span>
                  <Deadline dueAt={r.nextDue.dueAt} partner={r.partnerState} compact />
                </p>
              ) : null}
            </div>
            <div className="actions">
              <Link
                className="button primary"
                href={`/requests/${encodeURIComponent(r.id)}`}
                aria-label={t('approvals.openOne', { reference: r.caseReference })}
              >
                {t('approvals.open')}
              </Link>
            </div>
          </li>
        ))}
      </ul>
      {mine.length > 0 ? <p className="notice">{t('approvals.yours', { count: mine.length })}</p> : null}
    </section>
  );
}
