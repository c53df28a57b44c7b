// Adding a file as evidence: what the executing State states about it (source, order, acquisition,
// personal data), then a resumable upload with a progress bar; a cut leaves a "resume" button, and
// choosing the same file again later resumes the upload the node kept open.
import { type FormEvent, useId, useState } from 'react';
import {
  Button,
  Checkbox,
  CheckboxGroup,
  FieldError,
  Form,
  Input,
  Label,
  ProgressBar,
  TextField,
} from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { PERSONAL_DATA_CATEGORIES } from '../../domain/evidence/index.ts';
import { ApiError } from '../api/client.ts';
import { Problem } from '../components/Problem.tsx';
import { type EvidenceList, sizeWords } from './evidence-types.ts';
import { sendFile, startUpload, type UploadHandle } from './tus-upload.ts';

const TEXT_FIELDS = ['description', 'source', 'custodian', 'domesticOrder', 'acquiredBy'] as const;
const REQUIRED = new Set<string>(['description', 'source', 'acquiredBy', 'acquiredAt']);

type Progress = { sent: number; total: number };

export function UploadForm(props: {
  requestId: string;
  openUploads: EvidenceList['openUploads'];
  onAdded: () => void;
}) {
  const { t, i18n } = useTranslation();
  const fileId = useId();
  const [file, setFile] = useState<File | null>(null);
  const [values, setValues] = useState<Record<string, string>>({});
  const [personal, setPersonal] = useState<string[]>([]);
  const [missing, setMissing] = useState<Set<string>>(new Set());
  const [progress, setProgress] = useState<Progress | null>(null);
  const [handle, setHandle] = useState<UploadHandle | null>(null);
  const [cut, setCut] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const serverErrors = new Map(
    (error instanceof ApiError ? error.errors : []).map((e) => [
      e.field.replace(/^metadata\//, ''),
      e.message,
    ]),
  );

  async function run(chosen: File, existing: UploadHandle | null) {
    setBusy(true);
    setError(null);
    setCut(false);
    let current = existing;
    try {
      current ??= await startUpload(props.requestId, chosen, {
        filename: chosen.name,
        filetype: chosen.type || undefined,
        ...Object.fromEntries(TEXT_FIELDS.map((k) => [k, values[k]?.trim() || undefined])),
        acquiredAt: new Date(values.acquiredAt!).toISOString(),
        personalData: (personal.length > 0 ? personal : ['NONE']).join(' '),
      });
      setHandle(current);
      await sendFile(props.requestId, chosen, current, (sent, total) => setProgress({ sent, total }));
      setDone(t('evidence.uploaded', { name: chosen.name }));
      setHandle(null);
      setProgress(null);
      setFile(null);
      props.onAdded();
    } catch (e) {
      // A cut (no answer) keeps the upload: the button resumes it where the node says it stands.
      if (e instanceof ApiError && e.status === 0 && current) setCut(true);
      else setError(e);
    } finally {
      setBusy(false);
    }
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setDone(null);
    const absent = new Set([...REQUIRED].filter((k) => !(values[k] ?? '').trim()));
    if (!file) absent.add('file');
    setMissing(absent);
    if (absent.size > 0 || !file) return;
    setProgress(null);
    void run(file, null);
  }

  const errorOf = (k: string) => (missing.has(k) ? t('detail.fieldRequired') : (serverErrors.get(k) ?? null));
  const text = (k: string, type?: 'datetime-local') => (
    <TextField
      key={k}
      className="field"
      isRequired={REQUIRED.has(k)}
      type={type}
      value={values[k] ?? ''}
      onChange={(v) => setValues((old) => ({ ...old, [k]: v }))}
      isInvalid={Boolean(errorOf(k))}
      validationBehavior="aria"
    >
      <Label>
        {t(`evidence.field.${k}` as 'evidence.field.source')}
        {REQUIRED.has(k) ? <span aria-hidden="true"> *</span> : null}
      </Label>
      <Input />
      <FieldError>{errorOf(k)}</FieldError>
    </TextField>
  );

  return (
    <section aria-labelledby="evidence-upload-title" className="evidence-upload">
      <h3 id="evidence-upload-title">{t('evidence.uploadTitle')}</h3>
      {props.openUploads.length > 0 ? (
        <div className="notice">
          <p>{t('evidence.unfinished')}</p>
          <ul>
            {props.openUploads.map((u) => (
              <li key={u.id}>
                {u.fileName} ({sizeWords(u.length, i18n.language)})
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <Form onSubmit={submit} className="form" validationBehavior="aria">
        <div className="field">
          <label htmlFor={fileId}>
            {t('evidence.field.file')}
            <span aria-hidden="true"> *</span>
          </label>
          <input
            id={fileId}
            type="file"
            required
            aria-invalid={missing.has('file') || undefined}
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              setHandle(null);
              setCut(false);
              setProgress(null);
            }}
          />
          {missing.has('file') ? <span className="field-error">{t('evidence.chooseFile')}</span> : null}
        </div>
        {text('description')}
        {text('source')}
        {text('custodian')}
        {text('domesticOrder')}
        {text('acquiredAt', 'datetime-local')}
        {text('acquiredBy')}
        <CheckboxGroup value={personal} onChange={setPersonal} className="field">
          <Label>{t('evidence.field.personalData')}</Label>
          <div className="choices">
            {PERSONAL_DATA_CATEGORIES.map((c) => (
              <Checkbox key={c} value={c} className="checkbox">
                <span className="box" aria-hidden="true" />
                {t(`evidence.personal.${c}` as 'evidence.personal.NONE')}
              </Checkbox>
            ))}
          </div>
        </CheckboxGroup>
        <div className="actions">
          <Button type="submit" className="button primary" isDisabled={busy}>
            {t('evidence.upload')}
          </Button>
        </div>
      </Form>
      {progress ? (
        <ProgressBar
          className="upload-progress"
          value={progress.sent}
          maxValue={Math.max(progress.total, 1)}
          valueLabel={t('evidence.progress', {
            sent: sizeWords(progress.sent, i18n.language),
            total: sizeWords(progress.total, i18n.language),
          })}
        >
          {({ percentage, valueText }) => (
            <>
              <Label>{t('evidence.uploading', { name: file?.name ?? '' })}</Label>
              <span className="value">{valueText}</span>
              <div className="bar">
                <div className="fill" style={{ inlineSize: `${percentage}%` }} />
              </div>
            </>
          )}
        </ProgressBar>
      ) : null}
      {cut && file && handle ? (
        <div className="problem" role="alert">
          <p>
            {t('evidence.interrupted', {
              sent: sizeWords(progress?.sent ?? 0, i18n.language),
              total: sizeWords(file.size, i18n.language),
            })}
          </p>
          <Button className="button primary" isDisabled={busy} onPress={() => void run(file, handle)}>
            {t('evidence.resume')}
          </Button>
        </div>
      ) : null}
      {error ? <Problem error={error} /> : null}
      <div role="status" className="done">
        {done}
      </div>
    </section>
  );
}
