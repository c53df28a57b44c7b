// A refusal from the node, said in the reader's language when we know its code, else the node's words.
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.ts';

// `t` is typed `TFunction`: typed as `ReturnType<typeof useTranslation>['t']` the compiler gives up
// ("excessively deep") once the resources pass about 880 keys; `TFunction` stays cheap at any size.
export function problemText(error: unknown, t: TFunction): string {
  if (!(error instanceof ApiError)) return t('errors.title');
  if (error.status === 0) return t('errors.network');
  const known = t(`problem.${error.code}` as 'problem.ERR_FOUR_EYES', { defaultValue: '' });
  return known || error.message;
}

export function Problem({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  // The request id helps an administrator find a fault of the node in its logs; a refusal of what
  // was typed (4xx) is for the officer to fix, so it is not shown there.
  const requestId = error instanceof ApiError && error.status >= 500 ? error.requestId : null;
  return (
    <div className="problem" role="alert">
      <p>
        <strong>{problemText(error, t)}</strong>
      </p>
      {error instanceof ApiError &&
      error.code !== 'ERR_VALIDATION' &&
      problemText(error, t) !== error.message ? (
        <p className="problem-detail">{error.message}</p>
      ) : null}
      {requestId ? <p className="problem-id">{t('errors.withRequestId', { requestId })}</p> : null}
    </div>
  );
}
