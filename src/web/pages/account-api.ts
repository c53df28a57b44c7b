// The account routes as the desk calls them, and the words for their refusals.
import type { TFunction } from 'i18next';
import { useCallback, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionView, TokenView } from '../../domain/accounts.ts';
import { ApiError, api } from '../api/client.ts';
import { problemText } from '../components/Problem.tsx';

export type { SessionView, TokenView };

const OWN_CODES: Record<string, string> = {
  ERR_CURRENT_PASSWORD: 'account.errCurrent',
  ERR_LAST_ADMIN: 'account.errLastAdmin',
  ERR_RESET_LINK: 'account.errResetLink',
};

/** A refusal in the reader's language: the account codes first, then the desk's usual words. */
export function accountProblem(error: unknown, t: TFunction): string {
  const key = error instanceof ApiError ? OWN_CODES[error.code] : undefined;
  if (key) return t(key as 'account.errCurrent');
  if (error instanceof ApiError && error.errors.length > 0)
    return error.errors.map((e) => e.message).join('; ');
  return problemText(error, t);
}

export const changePassword = (currentPassword: string, newPassword: string) =>
  api<unknown>('POST', '/api/v1/auth/password', { currentPassword, newPassword });
export const redeemReset = (token: string, newPassword: string) =>
  api<{ username: string }>('POST', '/api/v1/auth/password-reset', { token, newPassword });
export const listOwnSessions = () => api<{ items: SessionView[] }>('GET', '/api/v1/auth/sessions');
export const endOwnSession = (id: string) => api<null>('DELETE', `/api/v1/auth/sessions/${id}`);
export const listOwnTokens = () => api<{ items: TokenView[] }>('GET', '/api/v1/auth/tokens');
export const revokeOwnToken = (id: string) => api<null>('DELETE', `/api/v1/auth/tokens/${id}`);

/** Loads once now and again whenever the returned function is called; a refusal goes to `onError`. */
export function useLoad(run: () => Promise<void>, onError: (text: string) => void): () => Promise<void> {
  const { t } = useTranslation();
  const latest = useRef({ run, onError });
  latest.current = { run, onError };
  const load = useCallback(async () => {
    try {
      await latest.current.run();
    } catch (e) {
      latest.current.onError(accountProblem(e, t));
    }
  }, [t]);
  useEffect(() => {
    void load();
  }, [load]);
  return load;
}
