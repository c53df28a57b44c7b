// The participant's view of the exercise this node takes part in: its clock, what is expected of this
// node next, the exercise's requests and alerts (never mixed with the real lists), and the score.
// Everything here is marked EXERCISE, and its deadlines count on the exercise clock.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Button, Link } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { get, query } from '../api/client.ts';
import { loadRequestTypes } from '../api/request-types.ts';
import type { RequestPage, RequestSummary } from '../api/types.ts';
import { navigate } from '../app/router.tsx';
import { useMe } from '../app/session.tsx';
import { ExerciseBadge } from '../components/ExerciseMark.tsx';
import { LiveIndicator } from '../components/LiveIndicator.tsx';
import { Problem } from '../components/Problem.tsx';
import type { RawObject } from '../forms/schema-values.ts';
import { stateName } from '../i18n/words.ts';
import { useLiveRequests } from '../live/live-requests.ts';
import { draftKey, storeDraft } from '../pages/Composer.tsx';
import { byUrgency } from '../pages/list-filters.ts';
import { RequestTable } from '../pages/RequestList.tsx';
import { useQuickActions } from '../pages/use-quick-actions.ts';
import { formatInstant, ownZone } from '../time/format.ts';
import { useRealNowMs } from '../time/now.ts';
import { ExerciseClock } from './ExerciseClock.tsx';
import {
  ActionTable,
  FinalScores,
  injectLabel,
  NextActions,
  ReportLinks,
  ScoreSummary,
} from './ExerciseParts.tsx';
import { exercisePath, useExerciseTime, useLiveExercise } from './exercise-live.ts';
import { useInsideExercise } from './exercise-presence.ts';
import { belongsIn } from './exercise-scope.ts';
import type { Exercise, ExerciseAlert } from './exercise-types.ts';
import {
  clockOf,
  currentExercise,
  elapsedNow,
  formatElapsed,
  injectLines,
  nextExpected,
  scoredActions,
  timelineOrder,
} from './exercise-view.ts';
import { fromPayload } from './prefill.ts';

export function ExerciseView() {
  const { t } = useTranslation();
  const [list, setList] = useState<Exercise[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(() => {
    get<{ items: Exercise[] }>('/api/v1/exercises').then(
      (r) => {
        setList(r.items);
        setError(null);
      },
      (e) => setError(e),
    );
  }, []);
  useEffect(load, [load]);

  const current = list ? currentExercise(list) : null;
  // Nothing running yet: look again every few seconds, so the exercise appears when the controller starts it.
  const waiting = list !== null && !current;
  useEffect(() => {
    if (!waiting) return;
    const timer = setInterval(load, 5_000);
    return () => clearInterval(timer);
  }, [waiting, load]);
  const past = (list ?? []).filter((e) => e.status === 'ended');

  return (
    <section aria-labelledby="exercise-title" className="exercise-page">
      <div className="page-head">
        <h1 id="exercise-title">{t('exercise.viewTitle')}</h1>
      </div>
      <Problem error={error} />
      {list === null && !error ? <p aria-busy="true">{t('app.loading')}</p> : null}
      {list !== null && !current ? <p className="empty">{t('exercise.noneRunning')}</p> : null}
      {current ? <Participant key={current.id} id={current.id} /> : null}
      {past.length > 0 ? (
        <section aria-labelledby="archive-title" className="card">
          <h2 id="archive-title">{t('exercise.pastTitle')}</h2>
          {past.map((e) => (
            <div key={e.id} className="past-exercise">
              <h3>{e.title}</h3>
              <ReportLinks exercise={e} state={e.nodeState} />
            </div>
          ))}
        </section>
      ) : null}
    </section>
  );
}

function Participant({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const live = useLiveExercise(id);
  const exercise = live.exercise;
  // Inside the exercise every deadline on the page counts on its clock.
  useInsideExercise({ id, name: exercise?.title ?? null, time: useExerciseTime(live) });
  const real = useRealNowMs();
  // A step on one of the exercise's requests (here, on its page, by a colleague or by the simulated
  // partner) is scored by the node in the step's transaction: read the score again at once.
  useLiveRequests((change) => {
    if (change.kind === 'resync' || belongsIn(change.request, id)) void live.reload();
  });

  if (!exercise)
    return live.error ? <Problem error={live.error} /> : <p aria-busy="true">{t('app.loading')}</p>;

  const actions = scoredActions(exercise);
  const own = actions.filter((a) => a.actor === exercise.nodeState);
  // What the script has brought so far, newest first: requests, alerts, the controller's messages.
  const fired = timelineOrder(injectLines(exercise))
    .filter((i) => i.firedAtMs !== null)
    .reverse();
  const next = nextExpected(
    actions,
    [exercise.nodeState],
    elapsedNow(clockOf(exercise, live.receivedAt), real),
  );

  return (
    <>
      <section aria-labelledby="participant-title" className="card exercise-head">
        <h2 id="participant-title">
          <ExerciseBadge exerciseId={exercise.id} /> {exercise.title}
        </h2>
        {exercise.description ? <p className="intro">{exercise.description}</p> : null}
        <ExerciseClock exercise={exercise} receivedAt={live.receivedAt} />
        <p className="sub">
          {t('exercise.youPlay', { state: stateName(exercise.nodeState, i18n.language) })}
        </p>
        {/* A node that joined naming its controller: its clock, and its end, come from there. */}
        {exercise.role === 'participant' && exercise.controller ? (
          <p className="sub exercise-follows">
            {t('exercise.followsController', { state: stateName(exercise.controller, i18n.language) })}
          </p>
        ) : null}
      </section>

      <section aria-labelledby="next-title" className="card">
        <h2 id="next-title">{t('exercise.nextTitle')}</h2>
        <NextActions next={next} />
      </section>

      <section aria-labelledby="happened-title" className="card">
        <h2 id="happened-title">{t('exercise.happenedTitle')}</h2>
        {fired.length === 0 ? (
          <p>{t('exercise.nothingHappened')}</p>
        ) : (
          <ol className="happened" reversed>
            {fired.map((i) => (
              <li key={i.id} data-inject={i.id}>
                <span dir="ltr" className="t-time">
                  {formatElapsed(i.firedAtMs ?? i.atMs)}
                </span>{' '}
                <strong>{injectLabel(i.kind, t)}</strong>: {i.title}
                {i.message ? <span className="sub">{i.message}</span> : null}
              </li>
            ))}
          </ol>
        )}
      </section>

      <ToSend exercise={exercise} />
      <ExerciseRequests
        exerciseId={exercise.id}
        fired={exercise.injects.filter((i) => i.status === 'fired').length}
      />
      <ExerciseAlerts exercise={exercise} />

      <ScoreSummary actions={own} id="own-score" />
      <FinalScores exercise={exercise} />
      <section aria-labelledby="own-actions-title" className="card">
        <h2 id="own-actions-title">{t('exercise.ownActionsTitle')}</h2>
        <ActionTable actions={own} caption={t('exercise.ownActionsCaption')} />
        <ReportLinks exercise={exercise} state={exercise.nodeState} />
      </section>
    </>
  );
}

/** The exercise's requests only, kept up to date by the live stream (which carries real ones too). */
function ExerciseRequests({ exerciseId, fired }: { exerciseId: string; fired: number }) {
  const { t } = useTranslation();
  const me = useMe();
  const [rows, setRows] = useState<Map<string, RequestSummary>>(new Map());
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const { acting, act } = useQuickActions(setError);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const next = new Map<string, RequestSummary>();
      let after: string | null = null;
      do {
        const page: RequestPage = await get<RequestPage>(
          `/api/v1/requests${query({ exercise: exerciseId, after, limit: 500 })}`,
        );
        for (const r of page.items) if (belongsIn(r, exerciseId)) next.set(r.id, r);
        after = page.next;
      } while (after);
      setRows(next);
      setError(null);
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }, [exerciseId]);
  // Read again when an inject fires: it may have brought a request.
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-read when an inject fires
  useEffect(() => {
    void load();
  }, [load, fired]);

  useLiveRequests((change) => {
    if (change.kind === 'resync') {
      void load();
      return;
    }
    const r = change.request;
    if (!belongsIn(r, exerciseId)) return;
    setRows((old) => new Map(old).set(r.id, r));
  });

  const items = useMemo(() => [...rows.values()].sort(byUrgency), [rows]);
  return (
    <section aria-labelledby="exercise-requests-title" className="card">
      <div className="page-head">
        <h2 id="exercise-requests-title">{t('exercise.requestsTitle')}</h2>
        <LiveIndicator />
        <Link href={`/composer?exercise=${encodeURIComponent(exerciseId)}`} className="button primary">
          {t('exercise.newRequest')}
        </Link>
      </div>
      <Problem error={error} />
      <RequestTable
        items={items}
        flash={new Map()}
        busy={loading}
        acting={acting}
        onAct={act}
        roles={me.effectiveRoles}
        me={me.user.id}
      />
      {!loading && items.length === 0 ? <p className="empty">{t('exercise.noRequests')}</p> : null}
    </section>
  );
}

/** The exercise's alerts: the injected hub alerts and the participants' own, never the real hub's. */
function ExerciseAlerts({ exercise }: { exercise: Exercise }) {
  const { t, i18n } = useTranslation();
  const [alerts, setAlerts] = useState<ExerciseAlert[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  // A fired inject may have published an alert: read them again whenever the exercise changes.
  const fired = exercise.injects.filter((i) => i.status === 'fired').length;
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-read when an inject fires
  useEffect(() => {
    get<{ items: ExerciseAlert[] }>(`${exercisePath(exercise.id)}/alerts`).then((r) => {
      setAlerts(r.items);
      setError(null);
    }, setError);
  }, [exercise.id, fired]);
  return (
    <section aria-labelledby="exercise-alerts-title" className="card">
      <h2 id="exercise-alerts-title">{t('exercise.alertsTitle')}</h2>
      <Problem error={error} />
      {alerts && alerts.length === 0 ? <p className="empty">{t('exercise.noAlerts')}</p> : null}
      {alerts && alerts.length > 0 ? (
        <div className="table-wrap">
          <table className="exercise-table">
            <caption className="visually-hidden">{t('exercise.alertsTitle')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('exercise.alertTitle')}</th>
                <th scope="col">TLP</th>
                <th scope="col">{t('exercise.indicators')}</th>
                <th scope="col">{t('exercise.published')}</th>
              </tr>
            </thead>
            <tbody>
              {alerts.map((a) => (
                <tr key={a.id}>
                  <td data-label={t('exercise.alertTitle')}>
                    <ExerciseBadge exerciseId={a.exerciseId} /> {a.title}
                  </td>
                  <td data-label="TLP">
                    <span className={`tlp tlp-${a.tlp.replace('+', '-')}`}>TLP:{a.tlp}</span>
                  </td>
                  <td data-label={t('exercise.indicators')}>
                    <ul className="values">
                      {a.indicators.map((x) => (
                        <li key={`${x.type}:${x.value}`}>
                          <span className="inline-sub">{x.type}</span> <code dir="ltr">{x.value}</code>
                        </li>
                      ))}
                    </ul>
                  </td>
                  <td data-label={t('exercise.published')}>
                    <time dateTime={a.createdAt}>
                      {formatInstant(new Date(a.createdAt), i18n.language, ownZone())}
                    </time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

/** Requests the script has this node send (to a partner with its own node): prepared in the composer. */
function ToSend({ exercise }: { exercise: Exercise }) {
  const { t } = useTranslation();
  const [error, setError] = useState<unknown>(null);
  const due = exercise.injects.filter((i) => i.status === 'fired' && i.request && !i.requestId);
  if (due.length === 0) return null;
  async function prepare(body: Record<string, unknown>) {
    try {
      const info = (await loadRequestTypes()).find((x) => x.type === body.type);
      if (!info) throw new Error(String(body.type));
      storeDraft(draftKey(exercise.id), {
        type: info.type,
        value: fromPayload(info.schema, body) as RawObject,
      });
      navigate(`/composer?exercise=${encodeURIComponent(exercise.id)}`);
    } catch (e) {
      setError(e);
    }
  }
  return (
    <section aria-labelledby="to-send-title" className="card">
      <h2 id="to-send-title">{t('exercise.toSendTitle')}</h2>
      <Problem error={error} />
      <ul className="to-send">
        {due.map((i) => (
          <li key={i.id}>
            {i.title}{' '}
            <Button
              className="button small"
              aria-label={t('exercise.prepareOne', { prepare: t('exercise.prepare'), title: i.title })}
              onPress={() => void prepare(i.request!)}
            >
              {t('exercise.prepare')}
            </Button>
          </li>
        ))}
      </ul>
    </section>
  );
}
