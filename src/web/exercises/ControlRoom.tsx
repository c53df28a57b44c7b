// The exercise controller's page: start an exercise from a scenario (a shipped sample or a file),
// watch it live (clock, injects, expected actions and their score), pause and resume, advance the
// clock, fire an inject by hand, end it, and take the after-action report.
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import {
  Button,
  Checkbox,
  Dialog,
  FileTrigger,
  Form,
  Heading,
  Input,
  Label,
  Modal,
  NumberField,
  Text,
  TextArea,
  TextField,
} from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { ApiError, get, post } from '../api/client.ts';
import { Choice } from '../components/Choice.tsx';
import { Problem } from '../components/Problem.tsx';
import { stateName } from '../i18n/words.ts';
import { ExerciseClock } from './ExerciseClock.tsx';
import { ActionTable, FinalScores, injectLabel, ReportLinks, ScoreSummary } from './ExerciseParts.tsx';
import { exercisePath, useExerciseTime, useLiveExercise } from './exercise-live.ts';
import { useInsideExercise } from './exercise-presence.ts';
import type { Exercise, ScenarioProblem } from './exercise-types.ts';
import {
  currentExercise,
  formatElapsed,
  injectLines,
  scoredActions,
  timelineOrder,
} from './exercise-view.ts';

type Sample = { id: string; title: string; scenario: string };

export function ControlRoom() {
  const { t } = useTranslation();
  const [list, setList] = useState<Exercise[] | null>(null);
  const [listError, setListError] = useState<unknown>(null);
  // The exercise on screen: the one running, or one just ended (kept for its report), or one chosen.
  const [shownId, setShownId] = useState<string | null>(null);

  const loadList = useCallback(async () => {
    try {
      const { items } = await get<{ items: Exercise[] }>('/api/v1/exercises');
      setList(items);
      setListError(null);
      setShownId((old) => old ?? currentExercise(items)?.id ?? null);
    } catch (e) {
      setListError(e);
    }
  }, []);
  useEffect(() => {
    void loadList();
  }, [loadList]);

  const live = useLiveExercise(shownId);
  const exercise = live.exercise;
  const time = useExerciseTime(live);
  useInsideExercise(exercise ? { id: exercise.id, name: exercise.title, time } : null);

  const past = (list ?? []).filter((e) => e.status === 'ended' && e.id !== shownId);

  return (
    <section aria-labelledby="control-title" className="exercise-page">
      <div className="page-head">
        <h1 id="control-title">{t('exercise.controlTitle')}</h1>
      </div>
      <p className="intro">{t('exercise.controlIntro')}</p>
      <Problem error={listError} />
      {list === null && !listError ? <p aria-busy="true">{t('app.loading')}</p> : null}
      {list !== null && !shownId ? (
        <StartForm
          onStarted={(e) => {
            setShownId(e.id);
            live.accept(e);
            void loadList();
          }}
        />
      ) : null}
      {shownId && !exercise ? <Problem error={live.error} /> : null}
      {exercise ? (
        <Running
          exercise={exercise}
          receivedAt={live.receivedAt}
          onChange={live.accept}
          onClose={() => {
            setShownId(null);
            void loadList();
          }}
        />
      ) : null}
      {past.length > 0 ? (
        <section aria-labelledby="past-title" className="card">
          <h2 id="past-title">{t('exercise.pastTitle')}</h2>
          <ul className="past-exercises">
            {past.map((e) => (
              <li key={e.id}>
                <strong>{e.title}</strong>{' '}
                <span className="inline-sub">
                  {t('exercise.score')}: {e.score.met}/{e.score.total}
                </span>{' '}
                <Button className="button small" onPress={() => setShownId(e.id)}>
                  {t('exercise.open', { title: e.title })}
                </Button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </section>
  );
}

/** Start: a shipped sample or a scenario file; the node checks it and lists every problem. */
function StartForm({ onStarted }: { onStarted: (e: Exercise) => void }) {
  const { t } = useTranslation();
  const [samples, setSamples] = useState<Sample[]>([]);
  const [sampleId, setSampleId] = useState<string | null>(null);
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const [speed, setSpeed] = useState<number>(Number.NaN);
  const [startPaused, setStartPaused] = useState(false);
  // Joining another node's exercise: the same file, with the id, start and speed its controller gives.
  const [joining, setJoining] = useState(false);
  const [joinId, setJoinId] = useState('');
  const [joinStart, setJoinStart] = useState('');
  const [joinController, setJoinController] = useState('');
  const [problems, setProblems] = useState<ScenarioProblem[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    // Samples are optional: a node without them offers the file only.
    get<{ items: Sample[] }>('/api/v1/exercises/samples').then(
      (r) => setSamples(r.items),
      () => setSamples([]),
    );
  }, []);

  const scenario = file?.text ?? samples.find((s) => s.id === sampleId)?.scenario ?? null;

  async function pick(files: FileList | null) {
    const f = files?.[0];
    if (!f) return;
    const text = await f.text();
    setFile({ name: f.name, text });
    setSampleId(null);
    setError(null);
    // Checked at once, so the controller sees every problem before trying to start.
    try {
      const r = await post<{ valid: boolean; problems: ScenarioProblem[] }>('/api/v1/exercises/validate', {
        scenario: text,
      });
      setProblems(r.valid ? [] : r.problems);
    } catch (e) {
      setError(e);
    }
  }

  async function start(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!scenario) {
      setError(null);
      setProblems([{ message: t('exercise.chooseScenarioFirst') }]);
      return;
    }
    setBusy(true);
    setError(null);
    setProblems([]);
    try {
      const body: Record<string, unknown> = { scenario };
      if (Number.isFinite(speed)) body.speed = speed;
      if (startPaused) body.paused = true;
      if (joining) {
        body.exerciseId = joinId.trim();
        body.startedAt = joinStart.trim();
        if (joinController.trim()) body.controller = joinController.trim().toUpperCase();
      }
      onStarted(await post<Exercise>(joining ? '/api/v1/exercises/join' : '/api/v1/exercises', body));
    } catch (e) {
      if (e instanceof ApiError && e.errors.length > 0)
        setProblems(e.errors.map((p) => ({ path: p.field, message: p.message })));
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="start-title" className="card">
      <h2 id="start-title">{joining ? t('exercise.joinTitle') : t('exercise.startTitle')}</h2>
      <Checkbox className="checkbox" isSelected={joining} onChange={setJoining}>
        <span className="box" aria-hidden="true" />
        {t('exercise.joinInstead')}
      </Checkbox>
      <Form onSubmit={start} className="form start-form" validationBehavior="aria">
        {joining ? (
          <>
            <p className="hint">{t('exercise.joinIntro')}</p>
            <TextField className="field" value={joinId} onChange={setJoinId} isRequired>
              <Label>{t('exercise.exerciseId')}</Label>
              <Input className="input" dir="ltr" />
            </TextField>
            <TextField className="field" value={joinStart} onChange={setJoinStart} isRequired>
              <Label>{t('exercise.startedAt')}</Label>
              <Input className="input" dir="ltr" placeholder="2026-12-07T09:30:00.000Z" />
            </TextField>
            <TextField className="field" value={joinController} onChange={setJoinController} maxLength={2}>
              <Label>{t('exercise.controllerField')}</Label>
              <Input className="input" dir="ltr" placeholder="VN" />
              <Text slot="description" className="hint">
                {t('exercise.controllerHint')}
              </Text>
            </TextField>
          </>
        ) : null}
        {samples.length > 0 ? (
          <Choice
            label={t('exercise.sample')}
            placeholder={t('exercise.chooseSample')}
            value={sampleId}
            onChange={(v) => {
              setSampleId(v);
              setFile(null);
              setProblems([]);
            }}
            options={samples.map((s) => ({ id: s.id, label: s.title }))}
          />
        ) : null}
        <div className="field">
          <span className="label" id="scenario-file-label">
            {t('exercise.scenarioFile')}
          </span>
          <FileTrigger
            acceptedFileTypes={['.yaml', '.yml', '.json', 'application/json', 'application/yaml']}
            onSelect={(files) => void pick(files)}
          >
            <Button className="button" aria-describedby="scenario-file-label scenario-file-name">
              {t('exercise.chooseFile')}
            </Button>
          </FileTrigger>
          <span className="sub" id="scenario-file-name">
            {file ? file.name : t('exercise.noFile')}
          </span>
        </div>
        <NumberField
          className="field"
          minValue={1}
          maxValue={1000}
          value={speed}
          onChange={setSpeed}
          formatOptions={{ maximumFractionDigits: 0 }}
        >
          <Label>{t('exercise.speedField')}</Label>
          <Input className="input" />
          <Text slot="description" className="hint">
            {t('exercise.speedHint')}
          </Text>
        </NumberField>
        <Checkbox className="checkbox" isSelected={startPaused} onChange={setStartPaused}>
          {/* Joining or starting, a node may hold its clock until its players are ready. */}
          <span className="box" aria-hidden="true" />
          {t('exercise.startPaused')}
        </Checkbox>
        {problems.length > 0 ? (
          <div className="problem" role="alert">
            <p>
              <strong>{t('exercise.scenarioProblems', { n: problems.length })}</strong>
            </p>
            <ul className="scenario-problems">
              {problems.map((p, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: problems have no identity of their own
                <li key={i}>
                  {p.path || p.field ? <code dir="ltr">{p.path ?? p.field}</code> : null} {p.message}
                </li>
              ))}
            </ul>
          </div>
        ) : (
          <Problem error={error} />
        )}
        <div className="actions">
          <Button type="submit" className="button primary" isDisabled={busy}>
            {joining ? t('exercise.join') : t('exercise.start')}
          </Button>
        </div>
      </Form>
    </section>
  );
}

function Running({
  exercise,
  receivedAt,
  onChange,
  onClose,
}: {
  exercise: Exercise;
  receivedAt: number;
  onChange: (e: Exercise) => void;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const [confirmEnd, setConfirmEnd] = useState(false);
  const base = exercisePath(exercise.id);
  const ended = exercise.status === 'ended';
  const paused = exercise.status === 'paused' || exercise.clock.paused;
  // A participant that follows its controller takes pause, resume and jumps from it (the node refuses its own).
  const follows = exercise.role === 'participant' && Boolean(exercise.controller);

  async function act(path: string, body: Record<string, unknown>, note: string): Promise<boolean> {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      onChange(await post<Exercise>(`${base}${path}`, body));
      setDone(note);
      return true;
    } catch (e) {
      setError(e);
      return false;
    } finally {
      setBusy(false);
    }
  }

  const actions = scoredActions(exercise);
  const injects = timelineOrder(injectLines(exercise));
  const byId = new Map(exercise.injects.map((i) => [i.id, i]));

  return (
    <>
      <section aria-labelledby="running-title" className="card exercise-head">
        <h2 id="running-title">{exercise.title}</h2>
        {exercise.description ? <p className="intro">{exercise.description}</p> : null}
        <ExerciseClock exercise={exercise} receivedAt={receivedAt} />
        <p className="sub">
          {t('exercise.participants')}:{' '}
          {exercise.participants
            .map(
              (p) =>
                `${stateName(p.state, i18n.language)} (${p.organisation})${
                  p.simulated ? ` — ${t('exercise.simulated')}` : ''
                }`,
            )
            .join(' · ')}
        </p>
        {exercise.role === 'controller' && !ended ? (
          <details className="share">
            <summary>{t('exercise.shareTitle')}</summary>
            <p className="hint">{t('exercise.shareIntro')}</p>
            <dl className="facts">
              <dt>{t('exercise.exerciseId')}</dt>
              <dd>
                <code dir="ltr">{exercise.id}</code>
              </dd>
              <dt>{t('exercise.startedAt')}</dt>
              <dd>
                {/* The start of the exercise's time line: what a joining node's clock must share. */}
                <code dir="ltr">{exercise.clock.exerciseStart}</code>
              </dd>
              <dt>{t('exercise.speedField')}</dt>
              <dd>
                <code dir="ltr">{exercise.speed}</code>
              </dd>
            </dl>
          </details>
        ) : null}
        <div role="status" className="done">
          {done}
        </div>
        <Problem error={error} />
        {ended ? (
          <p>{t('exercise.endedNote')}</p>
        ) : (
          <div className="actions">
            {follows ? (
              <p className="hint">
                {t('exercise.followsController', {
                  state: stateName(exercise.controller ?? '', i18n.language),
                })}
              </p>
            ) : paused ? (
              <Button
                className="button primary"
                isDisabled={busy}
                onPress={() => void act('/resume', {}, t('exercise.resumed'))}
              >
                {t('exercise.resume')}
              </Button>
            ) : (
              <Button
                className="button"
                isDisabled={busy}
                onPress={() => void act('/pause', {}, t('exercise.paused'))}
              >
                {t('exercise.pause')}
              </Button>
            )}
            <Button className="button danger" isDisabled={busy} onPress={() => setConfirmEnd(true)}>
              {t('exercise.end')}
            </Button>
          </div>
        )}
      </section>

      <ScoreSummary actions={actions} id="control-score" />
      <FinalScores exercise={exercise} />

      <section aria-labelledby="injects-title" className="card">
        <h2 id="injects-title">{t('exercise.injectsTitle')}</h2>
        <div className="table-wrap">
          <table className="exercise-table">
            <caption className="visually-hidden">{t('exercise.injectsTitle')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('exercise.at')}</th>
                <th scope="col">{t('exercise.what')}</th>
                <th scope="col">{t('exercise.injectStatus')}</th>
                <th scope="col">{t('exercise.actionsColumn')}</th>
              </tr>
            </thead>
            <tbody>
              {injects.map((i) => (
                <tr key={i.id} data-inject={i.id}>
                  <td data-label={t('exercise.at')}>
                    <span dir="ltr" className="t-time">
                      {formatElapsed(i.atMs)}
                    </span>
                  </td>
                  <td data-label={t('exercise.what')}>
                    <strong>{injectLabel(i.kind, t)}</strong>
                    <span className="sub">{i.title}</span>
                    {i.message ? <span className="sub">{i.message}</span> : null}
                    {byId.get(i.id)?.from ? (
                      <span className="sub">
                        {t('exercise.from', { state: stateName(byId.get(i.id)!.from!, i18n.language) })}
                      </span>
                    ) : null}
                  </td>
                  <td data-label={t('exercise.injectStatus')}>
                    {i.cancelled ? (
                      <span className="outcome outcome-pending">{t('exercise.cancelled')}</span>
                    ) : i.firedAtMs === null ? (
                      <span className="outcome outcome-pending">{t('exercise.notFired')}</span>
                    ) : (
                      <span className="outcome outcome-fired">
                        {t('exercise.firedAt', { at: formatElapsed(i.firedAtMs) })}
                      </span>
                    )}
                  </td>
                  <td data-label={t('exercise.actionsColumn')}>
                    {i.firedAtMs === null && !i.cancelled && !ended ? (
                      <Button
                        className="button small"
                        isDisabled={busy || paused}
                        aria-label={t('exercise.fireOne', { fire: t('exercise.fire'), title: i.title })}
                        onPress={() =>
                          void act(
                            `/injects/${encodeURIComponent(i.id)}/fire`,
                            {},
                            t('exercise.fired', { title: i.title }),
                          )
                        }
                      >
                        {t('exercise.fire')}
                      </Button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {!ended ? (
          <div className="control-forms">
            <ManualInject
              busy={busy || paused}
              onInject={(body) => act('/injects', body, t('exercise.injected'))}
            />
            {/* The clock may jump while paused: the controller sets the scene before resuming. */}
            {follows ? null : (
              <Advance
                busy={busy}
                onAdvance={(minutes) => act('/advance', { minutes }, t('exercise.advanced', { minutes }))}
              />
            )}
          </div>
        ) : null}
      </section>

      <section aria-labelledby="actions-title" className="card">
        <h2 id="actions-title">{t('exercise.actionsTitle')}</h2>
        <ActionTable actions={actions} caption={t('exercise.actionsCaption')} />
      </section>

      <section aria-labelledby="report-title" className="card">
        <h2 id="report-title">{t('exercise.reportTitle')}</h2>
        <p className="intro">{ended ? t('exercise.reportFinal') : t('exercise.reportSoFar')}</p>
        <ReportLinks exercise={exercise} />
        {exercise.participants
          .filter((p) => !p.simulated)
          .map((p) => (
            <ReportLinks key={p.state} exercise={exercise} state={p.state} />
          ))}
        {ended ? (
          <Button className="button" onPress={onClose}>
            {t('exercise.backToStart')}
          </Button>
        ) : null}
      </section>

      {confirmEnd ? (
        <Modal
          isOpen
          isDismissable
          onOpenChange={(open) => (open ? null : setConfirmEnd(false))}
          className="modal"
        >
          <Dialog className="dialog" role="alertdialog">
            <Heading slot="title">{t('exercise.endConfirmTitle')}</Heading>
            <p>{t('exercise.endConfirm')}</p>
            {exercise.role === 'controller' ? <p>{t('exercise.endConfirmJoined')}</p> : null}
            <div className="actions">
              <Button
                className="button danger"
                isDisabled={busy}
                onPress={async () => {
                  if (await act('/end', {}, t('exercise.ended'))) setConfirmEnd(false);
                }}
              >
                {t('exercise.end')}
              </Button>
              <Button className="button" onPress={() => setConfirmEnd(false)}>
                {t('app.cancel')}
              </Button>
            </div>
          </Dialog>
        </Modal>
      ) : null}
    </>
  );
}

/** An inject the script does not have: a message to the participants, logged in the timeline. */
function ManualInject({
  busy,
  onInject,
}: {
  busy: boolean;
  onInject: (body: { title: string; message: string }) => Promise<boolean>;
}) {
  const { t } = useTranslation();
  const [title, setTitle] = useState('');
  const [message, setMessage] = useState('');
  const [missing, setMissing] = useState(false);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!title.trim() || !message.trim()) {
      setMissing(true);
      return;
    }
    setMissing(false);
    if (await onInject({ title: title.trim(), message: message.trim() })) {
      setTitle('');
      setMessage('');
    }
  }
  return (
    <Form onSubmit={submit} className="form" aria-labelledby="manual-title" validationBehavior="aria">
      <h3 id="manual-title">{t('exercise.manualTitle')}</h3>
      <TextField
        className="field"
        value={title}
        onChange={setTitle}
        isRequired
        isInvalid={missing && !title.trim()}
      >
        <Label>{t('exercise.injectTitle')}</Label>
        <Input className="input" />
      </TextField>
      <TextField
        className="field"
        value={message}
        onChange={setMessage}
        isRequired
        isInvalid={missing && !message.trim()}
      >
        <Label>{t('exercise.injectMessage')}</Label>
        <TextArea className="input" rows={3} />
      </TextField>
      {missing ? (
        <p className="field-error" role="alert">
          {t('detail.fieldRequired')}
        </p>
      ) : null}
      <Button type="submit" className="button" isDisabled={busy}>
        {t('exercise.injectNow')}
      </Button>
    </Form>
  );
}

/** Jumps the exercise clock forward: what falls due in between fires at once. */
function Advance({ busy, onAdvance }: { busy: boolean; onAdvance: (minutes: number) => Promise<boolean> }) {
  const { t } = useTranslation();
  const [minutes, setMinutes] = useState<number>(60);
  return (
    <Form
      className="form"
      aria-labelledby="advance-title"
      onSubmit={(event) => {
        event.preventDefault();
        if (Number.isFinite(minutes) && minutes > 0) void onAdvance(minutes);
      }}
    >
      <h3 id="advance-title">{t('exercise.advanceTitle')}</h3>
      <NumberField className="field" minValue={1} value={minutes} onChange={setMinutes}>
        <Label>{t('exercise.advanceMinutes')}</Label>
        <Input className="input" />
      </NumberField>
      <Button type="submit" className="button" isDisabled={busy}>
        {t('exercise.advance')}
      </Button>
    </Form>
  );
}
