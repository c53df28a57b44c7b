// The composer: pick a type, and the form is generated from that type's schema as the node serves it,
// in the sections the schema names (x-section). Then a review step shows the request as it will be
// saved; only from there is it saved. The node validates; its field errors come back next to the
// fields they name, said as what to do.
import type { TFunction } from 'i18next';
import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { Button, Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { FORM_SECTIONS } from '../../domain/requests/form-sections.ts';
import { ApiError, post } from '../api/client.ts';
import { loadRequestTypes } from '../api/request-types.ts';
import type { RequestDetail, RequestTypeInfo } from '../api/types.ts';
import { navigate, useLocation } from '../app/router.tsx';
import { useSession } from '../app/session.tsx';
import { Choice } from '../components/Choice.tsx';
import { ExerciseBadge } from '../components/ExerciseMark.tsx';
import { fieldLabel } from '../components/FieldLabels.ts';
import { FieldValue } from '../components/FieldValue.tsx';
import { Problem } from '../components/Problem.tsx';
import { useInsideExercise } from '../exercises/exercise-presence.ts';
import { type Missing, missingFields, needOf, schemaAt, sectionsOf } from '../forms/form-check.ts';
import { LegalBasisPanel } from '../forms/LegalBasisPanel.tsx';
import { ObjectFields } from '../forms/SchemaField.tsx';
import { emptyObject, pathOf, type RawObject, toPayload } from '../forms/schema-values.ts';

// The draft being typed survives a reload or a wrong click, for this tab only (sessionStorage is
// dropped when the tab closes and at sign-out); the node keeps it once saved.
const DRAFT_KEY = 'hanoi247.composer';

type StoredDraft = { type: string; value: RawObject };

// A draft inside an exercise is kept apart from a real one.
export const draftKey = (exerciseId: string | null) =>
  exerciseId ? `${DRAFT_KEY}:${exerciseId}` : DRAFT_KEY;

function storedDraft(key: string): StoredDraft | null {
  try {
    const raw = sessionStorage.getItem(key);
    return raw ? (JSON.parse(raw) as StoredDraft) : null;
  } catch {
    return null;
  }
}

export function storeDraft(key: string, draft: StoredDraft | null): void {
  try {
    if (draft) sessionStorage.setItem(key, JSON.stringify(draft));
    else sessionStorage.removeItem(key);
  } catch {
    // Storage refused: the draft lasts as long as the page.
  }
}

type Step = 'edit' | 'review';

/** Moves the keyboard focus to the control of a form path (a select's button, an input, a list). */
function focusField(path: string): void {
  setTimeout(() => {
    const named = document.querySelector<HTMLElement>(
      `[name="${CSS.escape(path)}"], [data-path="${CSS.escape(path)}"]`,
    );
    const field = named?.closest<HTMLElement>('.field');
    const target =
      field?.querySelector<HTMLElement>('.select-button') ??
      field?.querySelector<HTMLElement>('textarea, input:not([type="hidden"])') ??
      named;
    target?.scrollIntoView({ block: 'center' });
    target?.focus();
  }, 0);
}

/** The label of the field a path ends in ('offences/0/code' → "Offence"). */
function labelOfPath(path: string, t: TFunction, language: string): string {
  const name =
    path
      .split('/')
      .filter((s) => !/^\d+$/.test(s))
      .pop() ?? path;
  return fieldLabel(name, t, language);
}

export function Composer() {
  const { t, i18n } = useTranslation();
  const { node } = useSession();
  const [types, setTypes] = useState<RequestTypeInfo[] | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [type, setType] = useState<string | null>(null);
  const [value, setValue] = useState<RawObject>({});
  const [error, setError] = useState<unknown>(null);
  // Once a review was asked for, what is still missing is recomputed as the officer types.
  const [attempted, setAttempted] = useState(false);
  const [step, setStep] = useState<Step>('edit');
  const [busy, setBusy] = useState(false);
  // Composed from the exercise view: the request belongs to that exercise (and says so everywhere).
  const exerciseId = new URLSearchParams(useLocation().search).get('exercise') || null;
  useInsideExercise(exerciseId ? { id: exerciseId } : null);
  const key = draftKey(exerciseId);

  useEffect(() => {
    loadRequestTypes().then((list) => {
      setTypes(list);
      const draft = storedDraft(key);
      if (draft && list.some((x) => x.type === draft.type)) {
        setType(draft.type);
        setValue(draft.value);
      }
    }, setLoadError);
  }, [key]);

  // Saved as it is typed, a moment after the last keystroke.
  useEffect(() => {
    if (!type) return;
    const timer = setTimeout(() => storeDraft(key, { type, value }), 300);
    return () => clearTimeout(timer);
  }, [key, type, value]);

  const info = types?.find((x) => x.type === type) ?? null;

  function choose(next: string | null) {
    setType(next);
    setError(null);
    setAttempted(false);
    setStep('edit');
    const chosen = types?.find((x) => x.type === next);
    if (!chosen) return setValue({});
    const initial = emptyObject(chosen.schema);
    // This node is the requesting State of what it drafts.
    if ('requestingState' in initial && node) initial.requestingState = node.state;
    setValue(initial);
  }

  // What to do about a field, in the reader's language: an empty required field says whether to fill
  // it in, choose, tick or add; anything else the node said is shown as it said it.
  const missing: Missing[] = useMemo(
    () => (attempted && info ? missingFields(info.schema, value) : []),
    [attempted, info, value],
  );
  const errors = useMemo(() => {
    const map = new Map<string, string>();
    const add = (path: string, text: string) =>
      map.set(path, map.has(path) ? `${map.get(path)}; ${text}` : text);
    for (const m of missing) add(m.path, t(`composer.need.${m.need}`, { count: m.count ?? 0 }));
    if (error instanceof ApiError && info)
      for (const e of error.errors) {
        const path = pathOf(e.field);
        const field = schemaAt(info.schema, path);
        if (field && /^is required\b/.test(e.message) && !map.has(path))
          add(path, t(`composer.need.${needOf(field)}`));
        else add(path, e.message);
      }
    return map;
  }, [error, missing, info, t]);

  const sections = useMemo(() => (info ? sectionsOf(info.schema, FORM_SECTIONS) : []), [info]);
  const payload = useMemo(
    () => (info ? ((toPayload(info.schema, value, true) ?? {}) as Record<string, unknown>) : {}),
    [info, value],
  );

  function review(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!info) return;
    setError(null);
    const found = missingFields(info.schema, value);
    setAttempted(true);
    if (found[0]) return focusField(found[0].path);
    setStep('review');
    setTimeout(() => document.getElementById('review-title')?.focus(), 0);
  }

  async function save() {
    if (!info) return;
    setBusy(true);
    setError(null);
    try {
      const created = await post<{ request: RequestDetail; duplicates: unknown[] }>('/api/v1/requests', {
        type: info.type,
        ...payload,
        ...(exerciseId ? { exerciseId } : {}),
      });
      storeDraft(key, null);
      const warn = created.duplicates.length > 0 ? '&duplicates=1' : '';
      navigate(`/requests/${encodeURIComponent(created.request.id)}?created=1${warn}`);
    } catch (e) {
      setError(e);
      // Refused fields are fixed in the form: back to it, the first field the node named focused.
      if (e instanceof ApiError && e.errors[0]) {
        setStep('edit');
        focusField(pathOf(e.errors[0].field));
      }
    } finally {
      setBusy(false);
    }
  }

  const typeName = info
    ? t(`requestType.${info.type}` as 'requestType.PRESERVATION', { defaultValue: info.label })
    : '';
  const flagged = [...errors.keys()];

  return (
    <section aria-labelledby="composer-title" className="composer">
      <h1 id="composer-title">{t('composer.title')}</h1>
      <p className="intro">{t('composer.intro')}</p>
      {exerciseId ? (
        <p className="exercise-note">
          <ExerciseBadge exerciseId={exerciseId} /> {t('exercise.composerNote')}
        </p>
      ) : null}
      {loadError ? <Problem error={loadError} /> : null}
      {info ? (
        <ol className="composer-steps" aria-label={t('composer.steps')}>
          <li aria-current={step === 'edit' ? 'step' : undefined}>{t('composer.stepEdit')}</li>
          <li aria-current={step === 'review' ? 'step' : undefined}>{t('composer.stepReview')}</li>
          <li>{t('composer.stepSave')}</li>
        </ol>
      ) : null}
      {step === 'edit' ? (
        types ? (
          <Choice
            label={t('composer.type')}
            placeholder={t('composer.chooseType')}
            value={type}
            onChange={choose}
            options={types.map((x) => ({
              id: x.type,
              label: t(`requestType.${x.type}` as 'requestType.PRESERVATION', { defaultValue: x.label }),
            }))}
          />
        ) : (
          <p aria-busy="true">{t('app.loading')}</p>
        )
      ) : null}
      {info && step === 'edit' ? (
        <Form onSubmit={review} className="form schema-form" validationBehavior="aria">
          <p className="composer-type">{typeName}</p>
          <p className="hint">{t('composer.requiredNote')}</p>
          {flagged.length > 0 ? (
            <div className="problem" role="alert">
              <p>
                <strong>{t('composer.fixBefore')}</strong>
              </p>
              <ul className="error-summary">
                {flagged.map((path) => (
                  <li key={path}>
                    <Button className="link-button" onPress={() => focusField(path)}>
                      {labelOfPath(path, t, i18n.language)}
                    </Button>
                    : {errors.get(path)}
                  </li>
                ))}
              </ul>
            </div>
          ) : error ? (
            <Problem error={error} />
          ) : null}
          {sections.map((section, i) => (
            <section
              key={section.id}
              className="card composer-section"
              aria-labelledby={`section-${section.id}`}
            >
              <h2 id={`section-${section.id}`}>
                {t('composer.sectionNo', {
                  n: (i + 1).toLocaleString(i18n.language),
                  title: t(`composer.section.${section.id}` as 'composer.section.parties', {
                    defaultValue: section.id,
                  }),
                })}
              </h2>
              <ObjectFields
                schema={info.schema}
                path=""
                value={value}
                errors={errors}
                onChange={setValue}
                only={section.fields}
              />
              {section.id === 'basis' ? <LegalBasisPanel type={info.type} value={value} /> : null}
            </section>
          ))}
          <div className="actions sticky">
            <Button type="submit" className="button primary">
              {t('composer.review')}
            </Button>
          </div>
        </Form>
      ) : null}
      {info && step === 'review' ? (
        <section aria-labelledby="review-title" className="composer-review">
          <h2 id="review-title" tabIndex={-1}>
            {t('composer.reviewTitle')}
          </h2>
          <p className="intro">{t('composer.reviewIntro')}</p>
          <p className="composer-type">{typeName}</p>
          {error ? <Problem error={error} /> : null}
          {sections.map((section) => {
            const shown = section.fields.filter((name) => payload[name] !== undefined);
            return (
              <section
                key={section.id}
                className="card composer-section"
                aria-labelledby={`review-${section.id}`}
              >
                <h3 id={`review-${section.id}`}>
                  {t(`composer.section.${section.id}` as 'composer.section.parties', {
                    defaultValue: section.id,
                  })}
                </h3>
                <dl className="facts">
                  {shown.map((name) => (
                    <FieldValue key={name} name={name} value={payload[name]} />
                  ))}
                </dl>
                {section.id === 'basis' ? <LegalBasisPanel type={info.type} value={value} /> : null}
              </section>
            );
          })}
          <div className="actions sticky">
            <Button className="button primary" isDisabled={busy} onPress={() => void save()}>
              {busy ? t('composer.submitting') : t('composer.submit')}
            </Button>
            <Button className="button" isDisabled={busy} onPress={() => setStep('edit')}>
              {t('composer.edit')}
            </Button>
          </div>
        </section>
      ) : null}
    </section>
  );
}
