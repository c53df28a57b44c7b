// A new password typed twice, with the current one when changing one's own, or a reset link's token.
import { type FormEvent, useState } from 'react';
import { Button, FieldError, Form, Input, Label, Text, TextField } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { accountProblem } from './account-api.ts';

export function PasswordForm({
  withCurrent,
  submit,
  onDone,
}: {
  withCurrent: boolean;
  submit: (current: string, next: string) => Promise<unknown>;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (next !== again) {
      setError(t('account.mismatch'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await submit(current, next);
      setCurrent('');
      setNext('');
      setAgain('');
      onDone();
    } catch (e) {
      setError(accountProblem(e, t));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Form onSubmit={onSubmit} className="form">
      <ProblemLine text={error} />
      {withCurrent ? (
        <TextField
          name="currentPassword"
          type="password"
          isRequired
          autoComplete="current-password"
          value={current}
          onChange={setCurrent}
          className="field"
        >
          <Label>{t('account.currentPassword')}</Label>
          <Input />
          <FieldError />
        </TextField>
      ) : null}
      <TextField
        name="newPassword"
        type="password"
        isRequired
        minLength={12}
        autoComplete="new-password"
        value={next}
        onChange={setNext}
        className="field"
      >
        <Label>{t('account.newPassword')}</Label>
        <Input />
        <Text slot="description">{t('account.newPasswordHint')}</Text>
        <FieldError />
      </TextField>
      <TextField
        name="confirmPassword"
        type="password"
        isRequired
        autoComplete="new-password"
        value={again}
        onChange={setAgain}
        className="field"
      >
        <Label>{t('account.confirmPassword')}</Label>
        <Input />
        <FieldError />
      </TextField>
      <Button type="submit" className="button primary" isDisabled={busy}>
        {t('account.changePassword')}
      </Button>
    </Form>
  );
}

/** A refusal already in words, as an alert; nothing when there is none. */
export function ProblemLine({ text }: { text: string | null }) {
  if (!text) return null;
  return (
    <div className="problem" role="alert">
      {text}
    </div>
  );
}
