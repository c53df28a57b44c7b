// The 24/7 desk and the request list: filters in the address (so back and reload keep them), every
// matching request loaded page by page, overdue first then by urgency and deadline, kept up to date by
// the live stream (no reload) and drawn as a windowed table so that 10,000 rows stay smooth.
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Button, Checkbox, Link } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import type { Role } from '../../domain/codes.ts';
import { REQUEST_TYPES, URGENCIES } from '../../domain/codes.ts';
import { REQUEST_STATES } from '../../domain/requests/vocabulary.ts';
import { get, query } from '../api/client.ts';
import type { RequestPage, RequestSummary } from '../api/types.ts';
import { navigate, useLocation } from '../app/router.tsx';
import { useMe } from '../app/session.tsx';
import { Choice } from '../components/Choice.tsx';
import { Deadline } from '../components/Deadline.tsx';
import { ExerciseBadge } from '../components/ExerciseMark.tsx';
import { LiveIndicator } from '../components/LiveIndicator.tsx';
import { Problem } from '../components/Problem.tsx';
import { useWindowRange } from '../components/virtual-window.ts';
import { belongsIn } from '../exercises/exercise-scope.ts';
import { stateName } from '../i18n/words.ts';
import { useLiveRequests } from '../live/live-requests.ts';
import { useNowMs } from '../time/now.ts';
import {
  byUrgency,
  type ListFilters,
  matchesFilters,
  type QuickAction,
  quickActions,
} from './list-filters.ts';
import { useQuickActions } from './use-quick-actions.ts';

export { byUrgency };

// The API's largest page: 10,000 requests arrive in 20 calls.
const PAGE_SIZE = 500;
// Beyond this the desk asks for narrower filters rather than holding everything in the tab.
const MAX_LOADED = 20_000;
const FILTERS = ['status', 'type', 'urgency', 'direction', 'overdue'] as const;
type Filter = (typeof FILTERS)[number];
// A row keeps the same height whatever it holds, which is what makes windowing exact.
const ROW_HEIGHT = 84;
// A phone row: reference, type and partner, status and urgency, the deadline beside the actions.
const ROW_HEIGHT_NARROW = 240;
// How long a row changed by the live stream stays highlighted.
const FLASH_MS = 6_000;

function useNarrow(): boolean {
  const query = '(max-width: 50rem)';
  const [narrow, setNarrow] = useState(() => window.matchMedia(query).matches);
  useEffect(() => {
    const m = window.matchMedia(query);
    const on = () => setNarrow(m.matches);
    m.addEventListener('change', on);
    return () => m.removeEventListener('change', on);
  }, []);
  return narrow;
}

export function RequestList({ variant }: { variant: 'desk' | 'requests' }) {
  const { t, i18n } = useTranslation();
  const { pathname, search } = useLocation();
  const params = new URLSearchParams(search);
  const filters: ListFilters = {
    status: params.get('status') ?? '',
    type: params.get('type') ?? '',
    urgency: params.get('urgency') ?? '',
    direction: params.get('direction') ?? '',
    overdue: params.get('overdue') === 'true' ? 'true' : '',
  };
  const filterKey = JSON.stringify(filters);
  const [rows, setRows] = useState<Map<string, RequestSummary>>(new Map());
  const [flash, setFlash] = useState<Map<string, number>>(new Map());
  const [announcement, setAnnouncement] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [truncated, setTruncated] = useState(false);
  const generation = useRef(0);
  const me = useMe();
  const { acting, act } = useQuickActions(setError);

  const load = useCallback(async () => {
    const mine = ++generation.current;
    setLoading(true);
    const next = new Map<string, RequestSummary>();
    let after: string | null = null;
    try {
      for (;;) {
        const page: RequestPage = await get<RequestPage>(
          `/api/v1/requests${query({ ...JSON.parse(filterKey), after, limit: PAGE_SIZE })}`,
        );
        if (mine !== generation.current) return;
        for (const r of page.items) if (belongsIn(r, null)) next.set(r.id, r);
        // The first page paints at once; the rest fills in behind it.
        setRows(new Map(next));
        after = page.next;
        if (!after || next.size >= MAX_LOADED) break;
      }
      setTruncated(Boolean(after));
      setError(null);
    } catch (e) {
      if (mine === generation.current) setError(e);
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, [filterKey]);

  useEffect(() => {
    setRows(new Map());
    void load();
  }, [load]);

  useLiveRequests((change) => {
    if (change.kind === 'resync') {
      void load();
      return;
    }
    const r = change.request;
    const parsed = JSON.parse(filterKey) as ListFilters;
    // Exercise requests come by the same stream; they belong in the exercise view only.
    const shown = belongsIn(r, null) && matchesFilters(r, parsed, Date.now());
    setRows((old) => {
      const next = new Map(old);
      if (shown) next.set(r.id, r);
      else next.delete(r.id);
      return next;
    });
    if (shown) {
      setFlash((old) => new Map(old).set(r.id, Date.now()));
      if (change.kind === 'created')
        setAnnouncement(
          t('live.arrived', {
            reference: r.caseReference,
            partner: stateName(r.partnerState, i18n.language),
          }),
        );
    }
  });

  // Highlights fade by themselves.
  useEffect(() => {
    if (flash.size === 0) return;
    const timer = setTimeout(() => {
      const now = Date.now();
      setFlash((old) => new Map([...old].filter(([, at]) => now - at < FLASH_MS)));
    }, FLASH_MS);
    return () => clearTimeout(timer);
  }, [flash]);

  function setFilter(name: Filter, value: string | null) {
    const next = new URLSearchParams(search);
    if (value) next.set(name, value);
    else next.delete(name);
    const q = next.toString();
    navigate(`${pathname}${q ? `?${q}` : ''}`, { replace: true });
  }

  const items = useMemo(() => [...rows.values()].sort(byUrgency), [rows]);
  const any = { id: '', label: t('requestList.any') };
  const title = variant === 'desk' ? t('requestList.deskTitle') : t('requestList.title');

  return (
    <section aria-labelledby="list-title">
      <div className="page-head">
        <h1 id="list-title">{title}</h1>
        <LiveIndicator />
        <Link href="/composer" className="button primary">
          {t('requestList.newRequest')}
        </Link>
      </div>
      <p className="intro">{variant === 'desk' ? t('requestList.deskIntro') : t('requestList.intro')}</p>
      <search className="filters" aria-label={t('requestList.filters')}>
        <Choice
          label={t('requestList.status')}
          value={filters.status}
          onChange={(v) => setFilter('status', v)}
          options={[
            any,
            ...REQUEST_STATES.map((s) => ({
              id: s,
              label: t(`status.${s}` as 'status.draft', { defaultValue: s }),
            })),
          ]}
        />
        <Choice
          label={t('requestList.type')}
          value={filters.type}
          onChange={(v) => setFilter('type', v)}
          options={[
            any,
            ...REQUEST_TYPES.map((s) => ({
              id: s,
              label: t(`requestType.${s}` as 'requestType.PRESERVATION', { defaultValue: s }),
            })),
          ]}
        />
        <Choice
          label={t('requestList.urgency')}
          value={filters.urgency}
          onChange={(v) => setFilter('urgency', v)}
          options={[
            any,
            ...URGENCIES.map((s) => ({
              id: s,
              label: t(`urgency.${s}` as 'urgency.URGENT', { defaultValue: s }),
            })),
          ]}
        />
        <Choice
          label={t('requestList.direction')}
          value={filters.direction}
          onChange={(v) => setFilter('direction', v)}
          options={[
            any,
            { id: 'INCOMING', label: t('direction.INCOMING') },
            { id: 'OUTGOING', label: t('direction.OUTGOING') },
          ]}
        />
        <Checkbox
          className="checkbox"
          isSelected={filters.overdue === 'true'}
          onChange={(on) => setFilter('overdue', on ? 'true' : null)}
        >
          <span className="box" aria-hidden="true" />
          {t('requestList.overdueOnly')}
        </Checkbox>
        <Button className="button" onPress={() => void load()}>
          {t('requestList.refresh')}
        </Button>
      </search>
      <Problem error={error} />
      <div className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </div>
      <RequestTable
        items={items}
        flash={flash}
        busy={loading}
        acting={acting}
        onAct={act}
        roles={me.effectiveRoles}
        me={me.user.id}
      />
      {!loading && items.length === 0 ? <p className="empty">{t('requestList.empty')}</p> : null}
      <p className="pager" aria-live="polite">
        {t('requestList.count', { count: items.length })}
        {loading ? ` · ${t('app.loading')}` : ''}
        {truncated ? ` · ${t('requestList.truncated', { max: MAX_LOADED })}` : ''}
      </p>
    </section>
  );
}

/** The table, windowed: a scrolling box whose rows outside the view are replaced by their height. */
export function RequestTable({
  items,
  flash,
  busy,
  acting,
  onAct,
  roles,
  me,
}: {
  items: RequestSummary[];
  flash: Map<string, number>;
  busy: boolean;
  acting: Set<string>;
  onAct: (r: RequestSummary, action: QuickAction) => void;
  roles: readonly Role[];
  me: string;
}) {
  const { t } = useTranslation();
  const box = useRef<HTMLElement>(null);
  const rowHeight = useNarrow() ? ROW_HEIGHT_NARROW : ROW_HEIGHT;
  const range = useWindowRange(box, items.length, rowHeight, 40);
  return (
    <section
      ref={box}
      className="table-scroll"
      // The scrolling box is reachable by keyboard, so arrow keys and Page Down scroll it.
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be focusable
      tabIndex={0}
      aria-label={t('requestList.caption')}
    >
      <table className="requests virtual" aria-rowcount={items.length + 1}>
        <caption className="visually-hidden">{t('requestList.caption')}</caption>
        <thead>
          <tr aria-rowindex={1}>
            <th scope="col">{t('requestList.reference')}</th>
            <th scope="col">{t('requestList.type')}</th>
            <th scope="col">{t('requestList.partner')}</th>
            <th scope="col">{t('requestList.status')}</th>
            <th scope="col">{t('requestList.urgency')}</th>
            <th scope="col">{t('requestList.deadline')}</th>
            <th scope="col">{t('requestList.actions')}</th>
          </tr>
        </thead>
        <tbody aria-busy={busy}>
          {range.padTop > 0 ? (
            <tr className="spacer">
              <td colSpan={7} style={{ blockSize: range.padTop }} />
            </tr>
          ) : null}
          {items.slice(range.start, range.end).map((r, i) => (
            <Row
              key={r.id}
              r={r}
              index={range.start + i}
              height={rowHeight}
              flashing={flash.has(r.id)}
              actions={quickActions(r, roles, me)}
              acting={acting.has(r.id)}
              mine={r.assignedTo === me}
              onAct={onAct}
            />
          ))}
          {range.padBottom > 0 ? (
            <tr className="spacer">
              <td colSpan={7} style={{ blockSize: range.padBottom }} />
            </tr>
          ) : null}
        </tbody>
      </table>
    </section>
  );
}

const Row = memo(function Row({
  r,
  index,
  height,
  flashing,
  actions,
  acting,
  mine,
  onAct,
}: {
  r: RequestSummary;
  index: number;
  height: number;
  flashing: boolean;
  actions: QuickAction[];
  acting: boolean;
  mine: boolean;
  onAct: (r: RequestSummary, action: QuickAction) => void;
}) {
  const { t, i18n } = useTranslation();
  const now = useNowMs();
  // A deadline that passes while the desk is open makes the row overdue at once, without a reload.
  const late = r.overdue || (r.nextDue !== null && Date.parse(r.nextDue.dueAt) < now);
  const classes = [late ? 'overdue' : '', flashing ? 'flash' : ''].filter(Boolean).join(' ');
  return (
    <tr className={classes || undefined} style={{ blockSize: height }} aria-rowindex={index + 2}>
      <td>
        <Link href={`/requests/${encodeURIComponent(r.id)}`} className="row-link">
          {r.caseReference}
        </Link>
        <ExerciseBadge exerciseId={r.exerciseId} />
        <span className="sub">
          {t(`direction.${r.direction}`)}
          {mine ? ` · ${t('requestList.yours')}` : ''}
        </span>
      </td>
      <td>{t(`requestType.${r.type}` as 'requestType.PRESERVATION', { defaultValue: r.type })}</td>
      <td>
        <abbr title={r.partnerState} className="state-name">
          {stateName(r.partnerState, i18n.language)}
        </abbr>
      </td>
      <td>
        <span className={`status status-${r.status}`}>
          {t(`status.${r.status}` as 'status.draft', { defaultValue: r.status })}
        </span>
        {late ? <span className="badge late">{t('requestList.overdue')}</span> : null}
      </td>
      <td>
        <span className={`urgency urgency-${r.urgency}`}>
          {t(`urgency.${r.urgency}` as 'urgency.URGENT', { defaultValue: r.urgency })}
        </span>
      </td>
      <td>
        {r.nextDue ? (
          <>
            <span className="sub deadline-kind">
              {t(`deadlineKind.${r.nextDue.kind}` as 'deadlineKind.EXECUTE', {
                defaultValue: r.nextDue.kind,
              })}
            </span>
            <Deadline dueAt={r.nextDue.dueAt} partner={r.partnerState} compact />
          </>
        ) : (
          <span className="sub">{t('requestList.noDeadline')}</span>
        )}
      </td>
      <td className="row-actions">
        {actions.map((a) => (
          <Button
            key={a}
            className="button small"
            isDisabled={acting}
            onPress={() => onAct(r, a)}
            aria-label={t(`requestList.${a}One`, { reference: r.caseReference })}
          >
            {a === 'take' ? t('requestList.take') : t('action.acknowledge')}
          </Button>
        ))}
      </td>
    </tr>
  );
});
