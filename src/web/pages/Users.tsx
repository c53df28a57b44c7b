// The administrator's Accounts page: every account with its roles; for one account, change its
// roles, reset its password (a one-time password or link, shown once) and end its sessions.
import { useState } from 'react';
import { Button, Checkbox, CheckboxGroup, Label, Radio, RadioGroup } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { ROLES, type Role } from '../../domain/codes.ts';
import { api, get } from '../api/client.ts';
import type { PublicUser } from '../api/types.ts';
import { accountProblem, useLoad } from './account-api.ts';
import { ProblemLine } from './PasswordForm.tsx';

type ResetAnswer = { mode: 'link' | 'password'; token?: string; password?: string };

export function Users() {
  const { t } = useTranslation();
  const [users, setUsers] = useState<PublicUser[]>([]);
  const [open, setOpen] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useLoad(async () => {
    setUsers((await get<{ items: PublicUser[] }>('/api/v1/users?limit=500')).items);
  }, setError);

  return (
    <section aria-labelledby="users-title">
      <h1 id="users-title">{t('users.title')}</h1>
      <p className="intro">{t('users.intro')}</p>
      <ProblemLine text={error} />
      <ul className="account-list">
        {users.map((u) => (
          <li key={u.id}>
            <span>
              <strong>{u.displayName}</strong> ({u.username}) ·{' '}
              {u.roles.map((r) => t(`roles.${r}`)).join(', ')}
              {u.disabled ? ` · ${t('users.disabled')}` : ''}
            </span>{' '}
            <Button className="button small" onPress={() => setOpen(open === u.username ? null : u.username)}>
              {t('account.manage', { username: u.username })}
            </Button>
            {open === u.username ? <ManageUser user={u} onChanged={load} /> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

function ManageUser({ user, onChanged }: { user: PublicUser; onChanged: () => Promise<void> }) {
  const { t } = useTranslation();
  const [roles, setRoles] = useState<string[]>(user.roles);
  const [mode, setMode] = useState<'password' | 'link'>('password');
  const [notice, setNotice] = useState<string | null>(null);
  const [reset, setReset] = useState<ResetAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const base = `/api/v1/users/${encodeURIComponent(user.username)}`;

  async function act(run: () => Promise<void>) {
    setError(null);
    setNotice(null);
    try {
      await run();
    } catch (e) {
      setError(accountProblem(e, t));
    }
  }
  const saveRoles = () =>
    act(async () => {
      await api('PUT', `${base}/roles`, { roles: roles as Role[] });
      setNotice(t('account.rolesSaved', { username: user.username }));
      await onChanged();
    });
  const resetPassword = () =>
    act(async () => {
      setReset(await api<ResetAnswer>('POST', `${base}/password-reset`, { mode }));
    });

  return (
    <div className="manage-user">
      <ProblemLine text={error} />
      {notice ? <p role="status">{notice}</p> : null}
      <CheckboxGroup value={roles} onChange={setRoles} className="field">
        <Label>{t('account.editRoles', { username: user.username })}</Label>
        {ROLES.map((r) => (
          <Checkbox key={r} value={r}>
            {t(`roles.${r}`)}
          </Checkbox>
        ))}
      </CheckboxGroup>
      <Button className="button" onPress={() => void saveRoles()} isDisabled={roles.length === 0}>
        {t('account.saveRoles')}
      </Button>
      <RadioGroup value={mode} onChange={(v) => setMode(v as 'password' | 'link')} className="field">
        <Label>{t('account.resetPassword', { username: user.username })}</Label>
        <Radio value="password">{t('account.resetWithPassword')}</Radio>
        <Radio value="link">{t('account.resetWithLink')}</Radio>
      </RadioGroup>
      <Button className="button" onPress={() => void resetPassword()}>
        {t('account.resetPassword', { username: user.username })}
      </Button>
      {reset ? (
        <div className="notice" role="status">
          <p>
            {reset.mode === 'password'
              ? t('account.resetPasswordDone', { username: user.username })
              : t('account.resetLinkDone', { username: user.username })}
          </p>
          <code className="one-time">
            {reset.mode === 'password'
              ? reset.password
              : `${window.location.origin}/reset-password?token=${reset.token}`}
          </code>
        </div>
      ) : null}
    </div>
  );
}
