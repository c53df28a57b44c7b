// Sending a received package on to a third State's node once the originating State has consented
// (art. 36): the officer picks the request of that State it answers (one in execution here), and the
// node sends it (POST …/packages/{id}/onward); a cut transfer is resumed by sending again.
import { useCallback, useEffect, useState } from 'react';
import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { get, post, query } from '../api/client.ts';
import type { RequestPage } from '../api/types.ts';
import { Choice } from '../components/Choice.tsx';
import { Problem } from '../components/Problem.tsx';
import { stateName } from '../i18n/words.ts';

type Onward = { id: string; toState: string; requestId: string; status: 'sending' | 'delivered' };

/** Where evidence may go to a State's node here: its incoming requests in execution. */
const IN_EXECUTION = ['in_execution', 'partially_executed', 'executed'];

export function OnwardSend({ packageId, toState }: { packageId: string; toState: string }) {
  const { t, i18n } = useTranslation();
  const state = stateName(toState, i18n.language);
  const [requests, setRequests] = useState<{ id: string; label: string }[]>([]);
  const [requestId, setRequestId] = useState<string | null>(null);
  const [sent, setSent] = useState<Onward | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      const [onward, page] = await Promise.all([
        get<Onward[]>(`/api/v1/evidence/packages/${encodeURIComponent(packageId)}/onward`),
        get<RequestPage>(
          `/api/v1/requests${query({ partnerState: toState, direction: 'INCOMING', limit: 100 })}`,
        ),
      ]);
      setSent(onward.find((o) => o.toState === toState) ?? null);
      setRequests(
        page.items
          .filter((r) => IN_EXECUTION.includes(r.status))
          .map((r) => ({ id: r.id, label: `${r.caseReference} (${r.id.slice(-8)})` })),
      );
    } catch (e) {
      setError(e);
    }
  }, [packageId, toState]);
  useEffect(() => {
    void load();
  }, [load]);

  async function send() {
    const chosen = sent?.requestId ?? requestId;
    if (!chosen) return;
    setBusy(true);
    setError(null);
    try {
      await post(`/api/v1/evidence/packages/${encodeURIComponent(packageId)}/onward`, {
        toState,
        requestId: chosen,
      });
    } catch (e) {
      setError(e);
    } finally {
      await load();
      setBusy(false);
    }
  }

  if (sent?.status === 'delivered')
    return (
      <p className="package-state state-verified" role="status">
        {t('evidence.onwardSent', { state })}
      </p>
    );
  return (
    <div className="onward">
      {sent ? (
        <p className="sub">{t('evidence.onwardSending', { state })}</p>
      ) : requests.length === 0 ? (
        <p className="sub">{t('evidence.onwardNoRequest', { state })}</p>
      ) : (
        <Choice
          label={t('evidence.onwardRequest', { state })}
          options={requests}
          value={requestId}
          onChange={setRequestId}
          isRequired
        />
      )}
      {sent || requests.length > 0 ? (
        <div className="actions">
          <Button
            className="button primary"
            isDisabled={busy || !(sent?.requestId ?? requestId)}
            onPress={() => void send()}
          >
            {t('evidence.onwardSend', { state })}
          </Button>
        </div>
      ) : null}
      {busy ? <p aria-busy="true">{t('app.loading')}</p> : null}
      {error ? <Problem error={error} /> : null}
    </div>
  );
}
