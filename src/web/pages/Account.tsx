// One's own account: change the password, see where one is signed in and end a session, revoke a
// token. A password an administrator set shows only the password form until it is changed.
import { useState } from 'react';
import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { formatInstant, ownZone } from '../time/format.ts';
import {
  accountProblem,
  changePassword,
  endOwnSession,
  listOwnSessions,
  listOwnTokens,
  revokeOwnToken,
  type SessionView,
  type TokenView,
  useLoad,
} from './account-api.ts';
import { PasswordForm, ProblemLine } from './PasswordForm.tsx';

export function Account({ mustChange = false }: { mustChange?: boolean }) {
  const { t } = useTranslation();
  const [notice, setNotice] = useState<string | null>(null);
  const [changed, setChanged] = useState(false);
  return (
    <section aria-labelledby="account-title">
      <h1 id="account-title">{t('account.title')}</h1>
      <p className="intro">{t('account.intro')}</p>
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      <h2>{t('account.passwordTitle')}</h2>
      {mustChange && !changed ? <p className="notice">{t('account.mustChange')}</p> : null}
      {mustChange && changed ? (
        // The session still carries the old "must change" flag: a reload reads the account again.
        <Button className="button primary" onPress={() => window.location.assign('/')}>
          {t('account.continue')}
        </Button>
      ) : (
        <PasswordForm
          withCurrent
          submit={changePassword}
          onDone={() => {
            setChanged(true);
            setNotice(t('account.passwordChanged'));
          }}
        />
      )}
      {mustChange ? null : <SessionsAndTokens key={String(changed)} onNotice={setNotice} />}
    </section>
  );
}

function SessionsAndTokens({ onNotice }: { onNotice: (text: string) => void }) {
  const { t, i18n } = useTranslation();
  const [sessions, setSessions] = useState<SessionView[]>([]);
  const [tokens, setTokens] = useState<TokenView[]>([]);
  const [error, setError] = useState<string | null>(null);
  const when = (iso: string) => formatInstant(new Date(iso), i18n.language, ownZone());

  const load = useLoad(async () => {
    setSessions((await listOwnSessions()).items);
    setTokens((await listOwnTokens()).items);
  }, setError);

  async function act(run: () => Promise<unknown>, done: string) {
    setError(null);
    try {
      await run();
      onNotice(done);
      await load();
    } catch (e) {
      setError(accountProblem(e, t));
    }
  }

  return (
    <>
      <ProblemLine text={error} />
      <h2>{t('account.sessionsTitle')}</h2>
      <ul className="account-list" aria-label={t('account.sessionsTitle')}>
        {sessions.map((s) => (
          <li key={s.id}>
            <span>{t('account.sessionStarted', { time: when(s.createdAt), until: when(s.expiresAt) })}</span>{' '}
            {s.current ? (
              <strong>{t('account.thisSession')}</strong>
            ) : (
              <Button
                className="button small"
                onPress={() => void act(() => endOwnSession(s.id), t('account.sessionEnded'))}
              >
                {t('account.endSession')}
              </Button>
            )}
          </li>
        ))}
      </ul>
      <h2>{t('account.tokensTitle')}</h2>
      {tokens.length === 0 ? <p className="empty">{t('account.noTokens')}</p> : null}
      <ul className="account-list" aria-label={t('account.tokensTitle')}>
        {tokens.map((k) => (
          <li key={k.id}>
            <span>
              <strong>{k.name}</strong> · {k.scopes.map((r) => t(`roles.${r}`)).join(', ')} ·{' '}
              {k.revokedAt
                ? t('account.tokenRevoked')
                : t('account.tokenExpires', { time: when(k.expiresAt) })}
            </span>{' '}
            {k.revokedAt ? null : (
              <Button
                className="button small"
                onPress={() => void act(() => revokeOwnToken(k.id), t('account.tokenRevokedDone'))}
              >
                {t('account.revokeToken', { name: k.name })}
              </Button>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
