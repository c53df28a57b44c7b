// The composer: pick a type, and the form is generated from that type's schema as the node serves it.
// The node validates; its field errors come back next to the fields they name.
import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { Button, Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { ApiError, post } from '../api/client.ts';
import { loadRequestTypes } from '../api/request-types.ts';
import type { RequestDetail, RequestTypeInfo } from '../api/types.ts';
import { navigate, useLocation } from '../app/router.tsx';
import { useSession } from '../app/session.tsx';
import { Choice } from '../components/Choice.tsx';
import { ExerciseBadge } from '../components/ExerciseMark.tsx';
import { Problem } from '../components/Problem.tsx';
import { useInsideExercise } from '../exercises/exercise-presence.ts';
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

export function Composer() {
  const { t } = useTranslation();
  const { node } = useSession();
  const [types, setTypes] = useState<RequestTypeInfo[] | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [type, setType] = useState<string | null>(null);
  const [value, setValue] = useState<RawObject>({});
  const [error, setError] = useState<unknown>(null);
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
    const chosen = types?.find((x) => x.type === next);
    if (!chosen) return setValue({});
    const initial = emptyObject(chosen.schema);
    // This node is the requesting State of what it drafts.
    if ('requestingState' in initial && node) initial.requestingState = node.state;
    setValue(initial);
  }

  const errors = useMemo(() => {
    const map = new Map<string, string>();
    if (error instanceof ApiError)
      for (const e of error.errors) {
        const path = pathOf(e.field);
        map.set(path, map.has(path) ? `${map.get(path)}; ${e.message}` : e.message);
      }
    return map;
  }, [error]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!info) return;
    setBusy(true);
    setError(null);
    try {
      const body = (toPayload(info.schema, value, true) ?? {}) as Record<string, unknown>;
      const created = await post<{ request: RequestDetail; duplicates: unknown[] }>('/api/v1/requests', {
        type: info.type,
        ...body,
        ...(exerciseId ? { exerciseId } : {}),
      });
      storeDraft(key, null);
      const warn = created.duplicates.length > 0 ? '&duplicates=1' : '';
      navigate(`/requests/${encodeURIComponent(created.request.id)}?created=1${warn}`);
    } catch (e) {
      setError(e);
      // The first field the node named gets the focus, so a keyboard user lands on it.
      if (e instanceof ApiError && e.errors[0]) {
        const first = pathOf(e.errors[0].field);
        setTimeout(() => {
          const el = document.querySelector<HTMLElement>(
            `[name="${CSS.escape(first)}"], [data-path="${CSS.escape(first)}"]`,
          );
          el?.focus();
        }, 0);
      }
    } finally {
      setBusy(false);
    }
  }

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
      {types ? (
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
      )}
      {info ? (
        <Form onSubmit={submit} className="form schema-form" validationBehavior="aria">
          <h2>{t(`requestType.${info.type}` as 'requestType.PRESERVATION', { defaultValue: info.label })}</h2>
          <p className="hint">{t('composer.requiredNote')}</p>
          {error ? <Problem error={error} /> : null}
          <div className="composer-grid">
            <div>
              <ObjectFields schema={info.schema} path="" value={value} errors={errors} onChange={setValue} />
            </div>
            <LegalBasisPanel type={info.type} value={value} />
          </div>
          <div className="actions sticky">
            <Button type="submit" className="button primary" isDisabled={busy}>
              {busy ? t('composer.submitting') : t('composer.submit')}
            </Button>
          </div>
        </Form>
      ) : null}
    </section>
  );
}
