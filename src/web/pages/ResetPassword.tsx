// The page a one-time reset link opens, signed out: choose a new password, then sign in with it.
import { useState } from 'react';
import { Link } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { redeemReset } from './account-api.ts';
import { PasswordForm } from './PasswordForm.tsx';

export function ResetPassword({ search }: { search: string }) {
  const { t } = useTranslation();
  const token = new URLSearchParams(search).get('token') ?? '';
  const [done, setDone] = useState(false);
  return (
    <section className="sign-in" aria-labelledby="reset-title">
      <h1 id="reset-title">{t('account.resetTitle')}</h1>
      {!token ? <p className="problem">{t('account.resetNoToken')}</p> : null}
      {token && !done ? (
        <>
          <p>{t('account.resetIntro')}</p>
          <PasswordForm
            withCurrent={false}
            submit={(_, next) => redeemReset(token, next)}
            onDone={() => setDone(true)}
          />
        </>
      ) : null}
      {done ? (
        <p role="status">
          {t('account.resetDone')} <Link href="/">{t('account.resetSignIn')}</Link>
        </p>
      ) : null}
    </section>
  );
}
