// Sign-in: username and password; the authenticator code is asked for when the account has one.
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Button, FieldError, Form, Input, Label, Text, TextField } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.ts';
import type { NodeInfo } from '../api/types.ts';
import { useSession } from '../app/session.tsx';

const TOTP_CODES = new Set(['ERR_TOTP_REQUIRED', 'ERR_TOTP']);

export function SignIn() {
  const { t } = useTranslation();
  const { signIn, state, node } = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [needsTotp, setNeedsTotp] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const totpRef = useRef<HTMLInputElement>(null);
  const reason = state.phase === 'signedOut' ? state.reason : 'none';

  // The code field appears when the node asks for it, and takes the focus so the code can be typed.
  useEffect(() => {
    if (needsTotp) totpRef.current?.focus();
  }, [needsTotp]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(username.trim(), password, needsTotp ? totp : undefined);
    } catch (e) {
      const code = e instanceof ApiError ? e.code : 'network';
      if (TOTP_CODES.has(code)) {
        setNeedsTotp(true);
        setTotp('');
        totpRef.current?.focus();
      }
      const known = t(`signIn.errors.${code}` as 'signIn.errors.ERR_LOGIN', { defaultValue: '' });
      setError(known || (e instanceof ApiError && e.status !== 0 ? e.message : t('errors.network')));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="sign-in" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">{t('signIn.title')}</h1>
      <p>{t('signIn.intro')}</p>
      {reason === 'expired' ? <p className="notice">{t('signIn.sessionExpired')}</p> : null}
      {reason === 'signedOut' ? <p className="notice">{t('signIn.signedOut')}</p> : null}
      {error ? (
        <div className="problem" role="alert">
          {error}
        </div>
      ) : null}
      {node?.demoLogins ? <DemoLogins logins={node.demoLogins} /> : null}
      <Form onSubmit={submit} className="form">
        <TextField
          name="username"
          isRequired
          autoComplete="username"
          value={username}
          onChange={setUsername}
          autoFocus
          className="field"
        >
          <Label>{t('signIn.username')}</Label>
          <Input />
          <FieldError />
        </TextField>
        <TextField
          name="password"
          type="password"
          isRequired
          autoComplete="current-password"
          value={password}
          onChange={setPassword}
          className="field"
        >
          <Label>{t('signIn.password')}</Label>
          <Input />
          <FieldError />
        </TextField>
        {needsTotp ? (
          <TextField
            name="totp"
            isRequired
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9]{6}"
            maxLength={6}
            value={totp}
            onChange={(v) => setTotp(v.replace(/\s+/g, ''))}
            validate={(v) => (/^[0-9]{6}$/.test(v) ? null : t('signIn.errors.totpFormat'))}
            className="field"
          >
            <Label>{t('signIn.totp')}</Label>
            <Input ref={totpRef} />
            <Text slot="description">{t('signIn.totpHint')}</Text>
            <FieldError />
          </TextField>
        ) : null}
        <Button type="submit" className="button primary" isDisabled={busy}>
          {busy ? t('signIn.submitting') : t('signIn.submit')}
        </Button>
      </Form>
    </section>
  );
}

/** Only on a demo node (the node says so in /api/v1/node): the demo accounts, one per role. */
function DemoLogins({ logins }: { logins: NonNullable<NodeInfo['demoLogins']> }) {
  const { t } = useTranslation();
  return (
    <section className="notice demo-logins" aria-labelledby="demo-logins-title">
      <h2 id="demo-logins-title">{t('signIn.demoTitle')}</h2>
      <p>{t('signIn.demoIntro', { password: logins.password })}</p>
      <dl>
        {logins.accounts.map((account) => (
          <div key={account.username}>
            <dt>
              <code>{account.username}</code>
            </dt>
            <dd>{account.roles.map((role) => t(`roles.${role}`)).join(', ')}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
