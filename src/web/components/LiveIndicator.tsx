// Says whether the page is receiving live changes, so nobody trusts a stale desk at 3 a.m.
import { useTranslation } from 'react-i18next';
import { useLiveStatus } from '../live/live-requests.ts';

export function LiveIndicator() {
  const { t } = useTranslation();
  const status = useLiveStatus();
  return (
    <span className={`live live-${status}`} role="status">
      <span className="dot" aria-hidden="true" />
      {t(`live.${status}`)}
    </span>
  );
}
