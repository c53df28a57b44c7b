// The Evidence section of a request (issue #15): the items with their hashes, sizes and personal-data
// categories, a download for the officers of the case (the node refuses anyone else and records each
// download), the upload of new files while the request may carry evidence, sealing, and the packages.

import { useCallback, useEffect, useState } from 'react';
import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { evidenceStateProblem } from '../../domain/evidence/index.ts';
import { ApiError, get, post } from '../api/client.ts';
import type { RequestDetail } from '../api/types.ts';
import { useMe } from '../app/session.tsx';
import { ExerciseBadge } from '../components/ExerciseMark.tsx';
import { Problem } from '../components/Problem.tsx';
import { type EvidenceList, sizeWords } from './evidence-types.ts';
import { PackageCard } from './PackageCard.tsx';
import { UploadForm } from './UploadForm.tsx';

const HANDLERS = ['DUTY_OFFICER', 'CENTRAL_AUTHORITY', 'INVESTIGATOR'];
const READERS = [...HANDLERS, 'APPROVER'];

export function EvidenceSection({ request }: { request: RequestDetail }) {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const [list, setList] = useState<EvidenceList | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const reader = me.effectiveRoles.some((r) => READERS.includes(r));

  const load = useCallback(async () => {
    try {
      setList(await get<EvidenceList>(`/api/v1/requests/${encodeURIComponent(request.id)}/evidence`));
      setLoadError(null);
    } catch (e) {
      setLoadError(e);
    }
  }, [request.id]);

  // The request's status decides whether evidence may be added: reload when it moves.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the status is the trigger, not an input
  useEffect(() => {
    if (reader) void load();
  }, [load, reader, request.status]);

  // A package on its way in: its state is followed until it is verified.
  const arriving = list?.packages.some((p) => p.status === 'receiving' || p.status === 'sending') ?? false;
  useEffect(() => {
    if (!arriving) return;
    const timer = setInterval(() => void load(), 2_000);
    return () => clearInterval(timer);
  }, [arriving, load]);

  if (!reader) return null;

  const mayAdd =
    me.effectiveRoles.some((r) => HANDLERS.includes(r)) && evidenceStateProblem(request) === null;
  const unsealed = list?.items.filter((i) => i.packages.length === 0 && !i.deleted) ?? [];

  async function seal() {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      await post(`/api/v1/requests/${encodeURIComponent(request.id)}/evidence/packages`, {});
      setDone(t('evidence.sealedDone'));
      await load();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="evidence-title" className="card evidence">
      <h2 id="evidence-title">{t('evidence.title')}</h2>
      {loadError ? (
        loadError instanceof ApiError && loadError.code === 'ERR_EVIDENCE_NOT_IN_CASE' ? (
          <p className="notice">{t('evidence.notInCase')}</p>
        ) : (
          <Problem error={loadError} />
        )
      ) : !list ? (
        <p aria-busy="true">{t('app.loading')}</p>
      ) : (
        <>
          {list.items.length === 0 ? (
            <p>{t('evidence.none')}</p>
          ) : (
            <div className="table-scroll">
              <table className="evidence-items">
                <caption>{t('evidence.items')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('evidence.col.file')}</th>
                    <th scope="col">{t('evidence.col.size')}</th>
                    <th scope="col">{t('evidence.col.sha256')}</th>
                    <th scope="col">{t('evidence.col.personalData')}</th>
                    <th scope="col">{t('evidence.col.download')}</th>
                  </tr>
                </thead>
                <tbody>
                  {list.items.map((item) => (
                    <tr key={item.id}>
                      <th scope="row">
                        <ExerciseBadge exerciseId={item.exerciseId} /> {item.fileName}
                        <div className="sub">{item.description}</div>
                      </th>
                      <td>{sizeWords(item.size, i18n.language)}</td>
                      <td>
                        <code className="hash">{item.sha256}</code>
                      </td>
                      <td>
                        {new Intl.ListFormat(i18n.language, { type: 'conjunction' }).format(
                          item.personalData.map((c) =>
                            t(`evidence.personal.${c}` as 'evidence.personal.NONE', { defaultValue: c }),
                          ),
                        )}
                      </td>
                      <td>
                        {item.deleted ? (
                          t('evidence.deletedItem')
                        ) : (
                          <a
                            href={`/api/v1/evidence/items/${encodeURIComponent(item.id)}/content`}
                            download={item.fileName}
                          >
                            {t('evidence.download', { name: item.fileName })}
                          </a>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {mayAdd && unsealed.length > 0 ? (
            <div className="actions">
              <Button className="button primary" isDisabled={busy} onPress={() => void seal()}>
                {t('evidence.seal', { count: unsealed.length })}
              </Button>
            </div>
          ) : null}
          {error ? <Problem error={error} /> : null}
          <div role="status" className="done">
            {done}
          </div>
          {list.packages.length > 0 ? (
            <section aria-labelledby="evidence-packages-title">
              <h3 id="evidence-packages-title">{t('evidence.packages')}</h3>
              <ul className="packages">
                {list.packages.map((p) => (
                  <PackageCard key={p.id} pkg={p} onChanged={() => void load()} />
                ))}
              </ul>
            </section>
          ) : null}
          {mayAdd ? (
            <UploadForm requestId={request.id} openUploads={list.openUploads} onAdded={() => void load()} />
          ) : null}
        </>
      )}
    </section>
  );
}
