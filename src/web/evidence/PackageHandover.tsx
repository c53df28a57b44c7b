// What may happen to a package once it has left or arrived: hand delivery to a partner without a node
// (the delivery is recorded, then the archive is downloaded), and consent to onward transfer (art. 36):
// the receiving State asks the State that sealed it; that State's officer grants or refuses.
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { Button, Form, Input, Label, TextArea, TextField } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { ISO_3166_1 } from '../../domain/directory/iso-3166.ts';
import { get, post } from '../api/client.ts';
import { useSession } from '../app/session.tsx';
import { Choice } from '../components/Choice.tsx';
import { Problem } from '../components/Problem.tsx';
import { LANGUAGES } from '../i18n/languages.ts';
import { stateName } from '../i18n/words.ts';
import type { EvidencePackage } from './evidence-types.ts';
import { OnwardSend } from './OnwardSend.tsx';

type Consent = {
  id: string;
  direction: 'OUT' | 'IN';
  askingState: string;
  toState: string;
  purpose: string;
  status: 'pending' | 'granted' | 'refused';
  signedGrant: boolean;
};

/** Every State (ISO 3166), named in the reader's language, but the excluded: a partner without a node
 * need not be in the directory. */
function useStateOptions(exclude: string[]) {
  const { i18n } = useTranslation();
  return Object.keys(ISO_3166_1)
    .filter((code) => !exclude.includes(code))
    .map((code) => ({ id: code, label: `${stateName(code, i18n.language)} (${code})` }))
    .sort((a, b) => a.label.localeCompare(b.label, i18n.language));
}

export function HandDeliveryForm({ pkg }: { pkg: EvidencePackage }) {
  const { t } = useTranslation();
  const { node } = useSession();
  const states = useStateOptions(node ? [node.state] : []);
  const [recipient, setRecipient] = useState('');
  const [toState, setToState] = useState<string | null>(null);
  const [language, setLanguage] = useState<string | null>(null);
  const [missing, setMissing] = useState<Set<string>>(new Set());
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<{ seq: number; archive: string; fileName: string } | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const absent = new Set<string>();
    if (!recipient.trim()) absent.add('recipient');
    if (!toState) absent.add('toState');
    setMissing(absent);
    if (absent.size > 0) return;
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const recorded = await post<{ auditSeq: number; archive: string; fileName: string }>(
        `/api/v1/evidence/packages/${encodeURIComponent(pkg.id)}/hand-deliveries`,
        { recipient: recipient.trim(), toState, ...(language ? { language } : {}) },
      );
      setDone({ seq: recorded.auditSeq, archive: recorded.archive, fileName: recorded.fileName });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <details className="handover">
      <summary>{t('evidence.handTitle')}</summary>
      <Form onSubmit={submit} className="form" validationBehavior="aria">
        <TextField
          className="field"
          isRequired
          value={recipient}
          onChange={setRecipient}
          isInvalid={missing.has('recipient')}
          validationBehavior="aria"
        >
          <Label>
            {t('evidence.handRecipient')}
            <span aria-hidden="true"> *</span>
          </Label>
          <Input />
          {missing.has('recipient') ? <span className="field-error">{t('detail.fieldRequired')}</span> : null}
        </TextField>
        <Choice
          label={t('evidence.handState')}
          options={states}
          value={toState}
          onChange={setToState}
          isRequired
          errorMessage={missing.has('toState') ? t('detail.fieldRequired') : null}
        />
        <Choice
          label={t('evidence.handLanguage')}
          options={LANGUAGES.map((l) => ({ id: l.code, label: l.name }))}
          value={language}
          onChange={setLanguage}
          placeholder={t('evidence.handLanguageDefault')}
        />
        <div className="actions">
          <Button type="submit" className="button" isDisabled={busy}>
            {t('evidence.handSubmit')}
          </Button>
        </div>
      </Form>
      {error ? <Problem error={error} /> : null}
      <div role="status" className="done">
        {done ? t('evidence.handDone', { seq: done.seq }) : null}
      </div>
      {done ? (
        <a className="button primary" href={done.archive} download={done.fileName}>
          {t('evidence.handDownload')}
        </a>
      ) : null}
    </details>
  );
}

export function ConsentPanel({ pkg, mayAnswer }: { pkg: EvidencePackage; mayAnswer: boolean }) {
  const { t, i18n } = useTranslation();
  const { node } = useSession();
  const self = node?.state ?? '';
  const received = pkg.originState !== self;
  const states = useStateOptions([self, pkg.originState]);
  const [consents, setConsents] = useState<Consent[]>([]);
  const [toState, setToState] = useState<string | null>(null);
  const [purpose, setPurpose] = useState('');
  const [missing, setMissing] = useState<Set<string>>(new Set());
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const origin = stateName(pkg.originState, i18n.language);

  const load = useCallback(async () => {
    try {
      setConsents(await get<Consent[]>(`/api/v1/evidence/packages/${encodeURIComponent(pkg.id)}/consents`));
    } catch {
      // The list is secondary: asking still works, and its answer says what is wrong.
    }
  }, [pkg.id]);
  useEffect(() => {
    void load();
  }, [load]);
  // An answer is on its way back over federation: follow it.
  const waiting = consents.some((c) => c.direction === 'OUT' && c.status === 'pending');
  useEffect(() => {
    if (!waiting) return;
    const timer = setInterval(() => void load(), 2_000);
    return () => clearInterval(timer);
  }, [waiting, load]);

  async function act(path: string, body: unknown, doneText: string) {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      await post(path, body);
      setDone(doneText);
      await load();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  function ask(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const absent = new Set<string>();
    if (!toState) absent.add('toState');
    if (!purpose.trim()) absent.add('purpose');
    setMissing(absent);
    if (absent.size > 0) return;
    void act(
      `/api/v1/evidence/packages/${encodeURIComponent(pkg.id)}/consents`,
      { toState, purpose: purpose.trim() },
      t('evidence.consentAsked', { origin }),
    );
  }

  const incoming = consents.filter((c) => c.direction === 'IN');
  // Sending on to a third State's node: under the first consent granted with the origin's signed grant.
  const usable = consents.filter((c) => c.direction === 'OUT' && c.status === 'granted' && c.signedGrant);
  const onward = new Set(
    received && pkg.status === 'verified' && mayAnswer
      ? usable.filter((c, i) => usable.findIndex((o) => o.toState === c.toState) === i).map((c) => c.id)
      : [],
  );
  if (!received && incoming.length === 0) return null;
  return (
    <section className="consents" aria-label={t('evidence.consentTitle')}>
      <h5>{t('evidence.consentTitle')}</h5>
      <ul>
        {consents.map((c) => (
          <li key={c.id}>
            {c.direction === 'OUT'
              ? t('evidence.consentOut', {
                  state: stateName(c.toState, i18n.language),
                  status: t(`evidence.consentStatus.${c.status}`),
                })
              : t('evidence.consentIn', {
                  asking: stateName(c.askingState, i18n.language),
                  state: stateName(c.toState, i18n.language),
                  purpose: c.purpose,
                  status: t(`evidence.consentStatus.${c.status}`),
                })}
            {c.direction === 'IN' && c.status === 'pending' && mayAnswer ? (
              <span className="actions">
                <Button
                  className="button primary"
                  isDisabled={busy}
                  onPress={() =>
                    void act(
                      `/api/v1/evidence/consents/${c.id}/answer`,
                      { decision: 'GRANTED' },
                      t('evidence.consentAnswered'),
                    )
                  }
                >
                  {t('evidence.grant', { state: stateName(c.toState, i18n.language) })}
                </Button>
                <Button
                  className="button danger"
                  isDisabled={busy}
                  onPress={() =>
                    void act(
                      `/api/v1/evidence/consents/${c.id}/answer`,
                      { decision: 'REFUSED' },
                      t('evidence.consentAnswered'),
                    )
                  }
                >
                  {t('evidence.refuse', { state: stateName(c.toState, i18n.language) })}
                </Button>
              </span>
            ) : null}
            {onward.has(c.id) ? <OnwardSend packageId={pkg.id} toState={c.toState} /> : null}
          </li>
        ))}
      </ul>
      {received && pkg.status === 'verified' ? (
        <Form onSubmit={ask} className="form" validationBehavior="aria">
          <p className="sub">{t('evidence.consentIntro', { origin })}</p>
          <Choice
            label={t('evidence.consentState')}
            options={states}
            value={toState}
            onChange={setToState}
            isRequired
            errorMessage={missing.has('toState') ? t('detail.fieldRequired') : null}
          />
          <TextField
            className="field"
            isRequired
            value={purpose}
            onChange={setPurpose}
            isInvalid={missing.has('purpose')}
            validationBehavior="aria"
          >
            <Label>
              {t('evidence.consentPurpose')}
              <span aria-hidden="true"> *</span>
            </Label>
            <TextArea rows={3} />
            {missing.has('purpose') ? <span className="field-error">{t('detail.fieldRequired')}</span> : null}
          </TextField>
          <div className="actions">
            <Button type="submit" className="button" isDisabled={busy}>
              {t('evidence.consentAsk', { origin })}
            </Button>
          </div>
        </Form>
      ) : null}
      {error ? <Problem error={error} /> : null}
      <div role="status" className="done">
        {done}
      </div>
    </section>
  );
}
