// One request: what it is, how late it is, what the user may do next (one primary step, the others
// secondary; a confirmation before a step that cannot be taken back; a dialog when the step needs a
// ground, reasons or a date; "waiting for" the partner when the next move is theirs) and everything
// that happened to it.
import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import {
  Button,
  Dialog,
  FieldError,
  Form,
  Heading,
  Input,
  Label,
  Link,
  Modal,
  Text,
  TextArea,
  TextField,
} from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { REQUEST_TYPES } from '../../domain/codes.ts';
import { type Requirement, TRANSITIONS } from '../../domain/requests/lifecycle.ts';
import { refusalGroundsFor } from '../../domain/requests/refusal-grounds.ts';
import { ApiError, get, post } from '../api/client.ts';
import { inSchemaOrder, loadRequestTypes } from '../api/request-types.ts';
import type { RequestDetail as Detail, NextStep, RequestRecord, RequestTypeInfo } from '../api/types.ts';
import { useLocation } from '../app/router.tsx';
import { useMe, useSession } from '../app/session.tsx';
import { Choice } from '../components/Choice.tsx';
import { Deadline } from '../components/Deadline.tsx';
import { ExerciseBadge } from '../components/ExerciseMark.tsx';
import { enumLabel, fieldLabel } from '../components/FieldLabels.ts';
import { FieldValue } from '../components/FieldValue.tsx';
import { LiveIndicator } from '../components/LiveIndicator.tsx';
import { Problem, problemText } from '../components/Problem.tsx';
import { ReasonText } from '../components/ReasonText.tsx';
import { EvidenceSection } from '../evidence/EvidenceSection.tsx';
import { useExerciseTime, useLiveExercise } from '../exercises/exercise-live.ts';
import { useInsideExercise } from '../exercises/exercise-presence.ts';
import { stateName } from '../i18n/words.ts';
import { useLiveRequests } from '../live/live-requests.ts';
import { useNowMs } from '../time/now.ts';
import { DANGER, IRREVERSIBLE, rankSteps } from './next-steps.ts';
import { RequestTimeline } from './RequestTimeline.tsx';

const RELOAD_ON = new Set(['ERR_ILLEGAL_TRANSITION', 'ERR_STALE']);
const KNOWN_NEEDS = new Set<string>(['ground', 'reason', 'message', 'until', 'assignee']);

// Art. 40: assistance may be postponed because it would interfere with an ongoing investigation,
// prosecution or judicial proceeding; those are the only grounds the desk offers for it.
export const POSTPONEMENT_GROUNDS = [
  'ONGOING_INVESTIGATION',
  'ONGOING_PROSECUTION',
  'ONGOING_JUDICIAL_PROCEEDINGS',
] as const;

// The desk asks for more than the node requires where the officer must say why: a postponement
// names its ground, and a consultation the ground (of refusal or postponement) it is about. The
// node records the ground given with the step.
const DESK_REQUIRES: Record<string, readonly Requirement[]> = {
  postpone: ['ground'],
  open_consultation: ['ground'],
};

/** The grounds offered for a step: refusal grounds are those of the request's legal basis and type. */
export function groundsFor(
  action: string,
  request?: { legalBasis: { basis: string }; type: string },
): readonly string[] {
  if (action === 'postpone') return POSTPONEMENT_GROUNDS;
  const type = (REQUEST_TYPES as readonly string[]).includes(request?.type ?? '')
    ? (request!.type as (typeof REQUEST_TYPES)[number])
    : 'MLA_GENERAL';
  const refusal = refusalGroundsFor(request?.legalBasis.basis, type).grounds;
  if (action === 'open_consultation') return [...refusal, ...POSTPONEMENT_GROUNDS];
  return refusal;
}

/** What a step needs besides a click: the life-cycle table the node enforces, and the desk's own. */
function requirementsOf(action: string, direction: string): readonly Requirement[] {
  const node = TRANSITIONS.find((r) => r.action === action && r.direction === direction)?.requires ?? [];
  const desk = DESK_REQUIRES[action] ?? [];
  return [...desk.filter((k) => !node.includes(k)), ...node];
}

export function RequestDetail({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const { parties } = useSession();
  const [request, setRequest] = useState<Detail | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [dialog, setDialog] = useState<NextStep | null>(null);
  const [confirming, setConfirming] = useState<NextStep | null>(null);
  const [types, setTypes] = useState<RequestTypeInfo[]>([]);
  const { search } = useLocation();
  const created = new URLSearchParams(search).get('created') === '1';
  const duplicates = new URLSearchParams(search).get('duplicates') === '1';

  const [record, setRecord] = useState<RequestRecord | null>(null);
  const [liveNote, setLiveNote] = useState<string | null>(null);
  // The step this tab just took: its own echo from the live stream is not news.
  const ownAction = useRef<string | null>(null);
  const nowMs = useNowMs();

  const load = useCallback(async () => {
    try {
      setRequest(await get<Detail>(`/api/v1/requests/${encodeURIComponent(id)}`));
      setLoadError(null);
    } catch (e) {
      setLoadError(e);
      return;
    }
    // The evidence (receipts, proofs) is secondary: the page shows without it if it fails.
    get<RequestRecord>(`/api/v1/requests/${encodeURIComponent(id)}/record`).then(setRecord, () => {});
  }, [id]);

  useEffect(() => {
    void load();
  }, [load]);

  // A message on its way to the partner: its receipt is shown as soon as it comes back.
  const delivering = record?.messages.some((m) => m.direction === 'sent' && m.status === 'pending') ?? false;
  useEffect(() => {
    if (!delivering) return;
    const timer = setInterval(() => {
      get<RequestRecord>(`/api/v1/requests/${encodeURIComponent(id)}/record`).then(setRecord, () => {});
    }, 2_000);
    return () => clearInterval(timer);
  }, [delivering, id]);

  // Another officer or the partner node changed this request: show it at once.
  useLiveRequests((change) => {
    if (change.kind === 'resync' || change.request.id === id) {
      if (change.kind !== 'resync' && change.action === ownAction.current) ownAction.current = null;
      else if (change.kind !== 'resync' && change.request.status !== request?.status) {
        setDone(null);
        setLiveNote(
          t('live.statusChanged', {
            status: t(`status.${change.request.status}` as 'status.draft', {
              defaultValue: change.request.status,
            }),
          }),
        );
      }
      void load();
    }
  });
  useEffect(() => {
    loadRequestTypes().then(setTypes, () => setTypes([]));
  }, []);

  async function take(step: NextStep, extra: Record<string, unknown> = {}): Promise<boolean> {
    if (!request) return false;
    setBusy(true);
    setActionError(null);
    setDone(null);
    setLiveNote(null);
    ownAction.current = step.action;
    try {
      await post(`/api/v1/requests/${encodeURIComponent(request.id)}/transitions`, {
        action: step.action,
        expectedVersion: request.version,
        ...extra,
      });
      setDone(t('detail.done', { action: t(`action.${step.action}` as 'action.submit') }));
      await load();
      return true;
    } catch (e) {
      setActionError(e);
      if (e instanceof ApiError && RELOAD_ON.has(e.code)) await load();
      return false;
    } finally {
      setBusy(false);
    }
  }

  // An exercise request: the page says EXERCISE, and its deadlines count on the exercise's clock.
  const exercise = useLiveExercise(request?.exerciseId ?? null);
  const exerciseTime = useExerciseTime(exercise);
  useInsideExercise(
    request?.exerciseId
      ? { id: request.exerciseId, name: exercise.exercise?.title, time: exerciseTime }
      : null,
  );

  if (loadError) return <Problem error={loadError} />;
  if (!request) return <p aria-busy="true">{t('app.loading')}</p>;

  const mine = request.nextSteps.filter((s) => s.roles.some((r) => me.effectiveRoles.includes(r)));
  // A partner with its own node reports its steps itself: the desk waits for them.
  const partnerHasNode = (parties.get(request.partnerState)?.authorities ?? []).some((a) => a.node);
  const ranked = rankSteps(mine, request, partnerHasNode);
  const partner = stateName(request.partnerState, i18n.language);
  const stepButton = (step: NextStep, primary: boolean) => {
    const needs = requirementsOf(step.action, request.direction);
    const label = t(`action.${step.action}` as 'action.submit', { defaultValue: step.action });
    return (
      <Button
        key={step.action}
        className={`button${primary ? ' primary' : DANGER.has(step.action) ? ' danger' : ''}`}
        isDisabled={busy}
        onPress={() =>
          needs.length > 0
            ? setDialog(step)
            : IRREVERSIBLE.has(step.action)
              ? setConfirming(step)
              : void take(step)
        }
      >
        {needs.length > 0
          ? // The ellipsis belongs to the translated text so it ends the label on the reading side (RTL too).
            t('detail.needsInput', { action: label })
          : label}
      </Button>
    );
  };
  const typeName = (REQUEST_TYPES as readonly string[]).includes(request.type)
    ? t(`requestType.${request.type}` as 'requestType.PRESERVATION')
    : request.type;
  const late = request.overdue || (request.nextDue !== null && Date.parse(request.nextDue.dueAt) < nowMs);

  return (
    <article aria-labelledby="request-title" className="request-detail">
      <div className="page-head">
        <Link href={request.exerciseId ? '/exercise' : '/requests'} className="back-link">
          <span className="back-arrow" aria-hidden="true">
            ←
          </span>{' '}
          {request.exerciseId ? t('exercise.backToExercise') : t('detail.back')}
        </Link>
        <LiveIndicator />
        {request.direction === 'OUTGOING' ? (
          <Link href={`/requests/${encodeURIComponent(request.id)}/print`} className="button">
            {t('print.open')}
          </Link>
        ) : null}
      </div>
      <h1 id="request-title">
        {typeName} — {request.caseReference}
      </h1>
      <div className="badges">
        <ExerciseBadge exerciseId={request.exerciseId} />
        <span className={`status status-${request.status}`}>
          {t(`status.${request.status}` as 'status.draft', { defaultValue: request.status })}
        </span>
        <span className={`urgency urgency-${request.urgency}`}>
          {t(`urgency.${request.urgency}` as 'urgency.URGENT', { defaultValue: request.urgency })}
        </span>
        {late ? <span className="badge late">{t('requestList.overdue')}</span> : null}
      </div>
      <div className="live-note" role="status">
        {liveNote}
      </div>

      <section aria-labelledby="steps-title" className="card steps">
        <h2 id="steps-title">{t('detail.nextSteps')}</h2>
        <div role="status" className="done">
          {done ?? (created ? t('composer.created') : null)}
        </div>
        {duplicates ? <p className="notice">{t('composer.duplicates')}</p> : null}
        {actionError ? <Problem error={actionError} /> : null}
        {ranked.waitingFor ? (
          <p className="waiting">{t('detail.waitingFor', { partner })}</p>
        ) : mine.length === 0 ? (
          <p>{t('detail.noSteps')}</p>
        ) : null}
        {ranked.primary ? (
          <div className="actions primary-step">{stepButton(ranked.primary, true)}</div>
        ) : null}
        {ranked.secondary.length > 0 ? (
          <div className="actions secondary-steps">
            {ranked.secondary.map((step) => stepButton(step, false))}
          </div>
        ) : null}
        {ranked.byHand.length > 0 ? (
          <details className="by-hand">
            <summary>{t('detail.byHand', { partner })}</summary>
            <div className="actions">{ranked.byHand.map((step) => stepButton(step, false))}</div>
          </details>
        ) : null}
      </section>

      <section aria-labelledby="summary-title" className="card">
        <h2 id="summary-title">{t('detail.summary')}</h2>
        <dl className="facts">
          <dt>{t('detail.caseReference')}</dt>
          <dd>{request.caseReference}</dd>
          <dt>{t('detail.direction')}</dt>
          <dd>
            {t(`direction.${request.direction}`)} ({stateName(request.requestingState, i18n.language)} →{' '}
            {stateName(request.requestedState, i18n.language)})
          </dd>
          <dt>{t('detail.partner')}</dt>
          <dd>{stateName(request.partnerState, i18n.language)}</dd>
          <dt>{t('detail.deadline')}</dt>
          <dd>
            {request.nextDue ? (
              <>
                <span className="sub">
                  {t(`deadlineKind.${request.nextDue.kind}` as 'deadlineKind.EXECUTE', {
                    defaultValue: request.nextDue.kind,
                  })}
                </span>
                <Deadline dueAt={request.nextDue.dueAt} partner={request.partnerState} />
              </>
            ) : (
              t('requestList.noDeadline')
            )}
          </dd>
          {request.emergencyApprovalDueAt ? (
            <>
              <dt>{t('detail.emergencyApproval')}</dt>
              <dd>
                <Deadline dueAt={request.emergencyApprovalDueAt} partner={request.partnerState} />
              </dd>
            </>
          ) : null}
          {request.preservation ? (
            <>
              <dt>{t('detail.preservationUntil')}</dt>
              <dd>
                <Deadline dueAt={request.preservation.expiresAt} partner={request.partnerState} />
              </dd>
            </>
          ) : null}
          <dt>{t('detail.legalBasis')}</dt>
          <dd>
            <strong>{enumLabel(request.legalBasis.basis, t)}</strong>
            {request.legalBasis.treatyRef ? ` (${request.legalBasis.treatyRef})` : ''}
            <ReasonText parts={request.legalBasis.reasons} english={request.legalBasis.reason} />
          </dd>
          {request.scope ? (
            <>
              <dt>{t('detail.scope')}</dt>
              <dd>
                {t(
                  `legalBasis.scopeResult.${request.scope.result}` as 'legalBasis.scopeResult.OUT_OF_SCOPE',
                  {
                    defaultValue: request.scope.result,
                  },
                )}
                <ReasonText parts={request.scope.reasons} english={request.scope.reason} />
              </dd>
            </>
          ) : null}
        </dl>
      </section>

      <section aria-labelledby="content-title" className="card">
        <h2 id="content-title">{t('detail.content')}</h2>
        <dl className="facts">
          {inSchemaOrder(
            request.body,
            types.find((x) => x.type === request.type),
          ).map((key) => (
            <FieldValue key={key} name={key} value={request.body[key]} />
          ))}
        </dl>
      </section>

      <EvidenceSection request={request} />

      <RequestTimeline request={request} record={record} />

      {confirming ? (
        <ConfirmDialog
          step={confirming}
          partner={partner}
          busy={busy}
          onClose={() => setConfirming(null)}
          onConfirm={async () => {
            const step = confirming;
            setConfirming(null);
            await take(step);
          }}
        />
      ) : null}
      {dialog ? (
        <StepDialog
          step={dialog}
          warning={IRREVERSIBLE.has(dialog.action) ? t('detail.cannotUndo', { partner }) : null}
          grounds={groundsFor(dialog.action, request)}
          needs={requirementsOf(dialog.action, request.direction)}
          busy={busy}
          error={actionError}
          onClose={() => setDialog(null)}
          onSubmit={async (extra) => {
            if (await take(dialog, extra)) setDialog(null);
          }}
        />
      ) : null}
    </article>
  );
}

/** A step that cannot be taken back and needs nothing else: said plainly, confirmed or cancelled. */
function ConfirmDialog(props: {
  step: NextStep;
  partner: string;
  busy: boolean;
  onClose: () => void;
  onConfirm: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const action = props.step.action === 'approve' ? 'approve' : 'send';
  return (
    <Modal isOpen isDismissable onOpenChange={(open) => (open ? null : props.onClose())} className="modal">
      <Dialog className="dialog" role="alertdialog">
        <Heading slot="title">{t(`detail.confirmTitle.${action}`, { partner: props.partner })}</Heading>
        <p>{t(`detail.confirmBody.${action}`, { partner: props.partner })}</p>
        <div className="actions">
          <Button className="button primary" isDisabled={props.busy} onPress={() => void props.onConfirm()}>
            {t(`action.${props.step.action}` as 'action.submit', { defaultValue: props.step.action })}
          </Button>
          <Button className="button" autoFocus onPress={props.onClose}>
            {t('app.cancel')}
          </Button>
        </div>
      </Dialog>
    </Modal>
  );
}

/** A step that needs more than a click: every required field must be filled before it is sent. */
function StepDialog(props: {
  step: NextStep;
  /** Said before the fields when the step cannot be taken back. */
  warning?: string | null;
  grounds: readonly string[];
  needs: readonly Requirement[];
  busy: boolean;
  error: unknown;
  onClose: () => void;
  onSubmit: (extra: Record<string, unknown>) => Promise<void>;
}) {
  const { t, i18n } = useTranslation();
  const [values, setValues] = useState<Record<string, string>>({});
  const [missing, setMissing] = useState<Set<string>>(new Set());
  const set = (k: string) => (v: string | null) => setValues((old) => ({ ...old, [k]: v ?? '' }));
  const title = t(`action.${props.step.action}` as 'action.submit', { defaultValue: props.step.action });
  const fieldErrors = new Map(
    (props.error instanceof ApiError ? props.error.errors : []).map((e) => [
      e.field.replace(/^body\/?/, ''),
      e.message,
    ]),
  );

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const absent = new Set(props.needs.filter((k) => !(values[k] ?? '').trim()));
    setMissing(absent);
    if (absent.size > 0) return;
    const extra: Record<string, unknown> = {};
    for (const k of props.needs) {
      const v = values[k]!.trim();
      extra[k] = k === 'until' ? new Date(v).toISOString() : v;
    }
    await props.onSubmit(extra);
  }

  const errorOf = (k: string) => (missing.has(k) ? t('detail.fieldRequired') : (fieldErrors.get(k) ?? null));

  return (
    <Modal isOpen isDismissable onOpenChange={(open) => (open ? null : props.onClose())} className="modal">
      <Dialog className="dialog">
        <Heading slot="title">{title}</Heading>
        {props.warning ? <p className="notice">{props.warning}</p> : null}
        {props.error && !(props.error instanceof ApiError && props.error.errors.length > 0) ? (
          <div className="problem" role="alert">
            {problemText(props.error, t)}
          </div>
        ) : null}
        <Form onSubmit={submit} className="form" validationBehavior="aria">
          {props.needs.includes('ground') ? (
            <Choice
              label={t('detail.ground')}
              description={t(
                props.step.action === 'postpone'
                  ? 'detail.postponeGroundHint'
                  : props.step.action === 'open_consultation'
                    ? 'detail.consultGroundHint'
                    : 'detail.groundHint',
              )}
              isRequired
              placeholder={t('detail.chooseGround')}
              value={values.ground ?? null}
              onChange={set('ground')}
              errorMessage={errorOf('ground')}
              options={props.grounds.map((g) => ({
                id: g,
                label: t(`ground.${g}` as 'ground.DATA_PROTECTION', { defaultValue: g }),
              }))}
            />
          ) : null}
          {(['reason', 'message'] as const)
            .filter((k) => props.needs.includes(k))
            .map((k) => (
              <RequiredText
                key={k}
                label={t(`detail.${k}`)}
                value={values[k] ?? ''}
                onChange={set(k)}
                error={errorOf(k)}
                multiline
                description={k === 'reason' ? t('detail.reasonHint') : undefined}
              />
            ))}
          {props.needs.includes('until') ? (
            <RequiredText
              label={t('detail.until')}
              type="datetime-local"
              value={values.until ?? ''}
              onChange={set('until')}
              error={errorOf('until')}
            />
          ) : null}
          {props.needs
            .filter((k) => !KNOWN_NEEDS.has(k))
            .map((k) => (
              // A requirement this desk does not know yet is still asked for, as text.
              <RequiredText
                key={k}
                label={fieldLabel(k, t, i18n.language)}
                value={values[k] ?? ''}
                onChange={set(k)}
                error={errorOf(k)}
              />
            ))}
          {props.needs.includes('assignee') ? (
            <RequiredText
              label={t('detail.assignee')}
              value={values.assignee ?? ''}
              onChange={set('assignee')}
              error={errorOf('assignee')}
            />
          ) : null}
          <div className="actions">
            <Button type="submit" className="button primary" isDisabled={props.busy}>
              {props.warning ? title : t('detail.confirm')}
            </Button>
            <Button className="button" onPress={props.onClose}>
              {t('app.cancel')}
            </Button>
          </div>
        </Form>
      </Dialog>
    </Modal>
  );
}

/** A required text input of a step dialog, with its error under it. */
function RequiredText(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error: string | null;
  multiline?: boolean;
  type?: 'datetime-local';
  description?: string;
}) {
  return (
    <TextField
      className="field"
      isRequired
      type={props.type}
      value={props.value}
      onChange={props.onChange}
      isInvalid={Boolean(props.error)}
      validationBehavior="aria"
    >
      <Label>
        {props.label}
        <span aria-hidden="true"> *</span>
      </Label>
      {props.multiline ? <TextArea rows={4} /> : <Input />}
      {props.description ? <Text slot="description">{props.description}</Text> : null}
      <FieldError>{props.error}</FieldError>
    </TextField>
  );
}
