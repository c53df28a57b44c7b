// The chain of custody of one package as this node recorded it: each event, who, when, and the audit
// entry it is (the PDF report carries the inclusion proofs for a court).
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../api/client.ts';
import { Problem } from '../components/Problem.tsx';
import { stateName } from '../i18n/words.ts';
import { formatInstant, ownZone } from '../time/format.ts';
import type { CustodyReport } from './evidence-types.ts';

const NODE_ACTOR = /^(system:federation|node:([A-Z]{2}))$/;

export function CustodyTimeline({ packageId }: { packageId: string }) {
  const { t, i18n } = useTranslation();
  const [report, setReport] = useState<CustodyReport | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    get<CustodyReport>(`/api/v1/evidence/packages/${encodeURIComponent(packageId)}/custody`).then(
      setReport,
      setError,
    );
  }, [packageId]);

  if (error) return <Problem error={error} />;
  if (!report) return <p aria-busy="true">{t('app.loading')}</p>;

  const who = (actor: string, name: string | null) => {
    const node = NODE_ACTOR.exec(actor);
    if (node) return t('evidence.byNode', { state: stateName(node[2] ?? report.node, i18n.language) });
    return name ?? actor;
  };

  return (
    <div className="custody">
      <ol className="custody-events" aria-label={t('evidence.custody')}>
        {report.events.map((e) => {
          const action = e.action.replace(/^evidence\./, '');
          return (
            <li key={e.seq}>
              <time dateTime={e.at}>{formatInstant(new Date(e.at), i18n.language, ownZone())}</time>{' '}
              <strong>
                {t(`evidence.event.${action}` as 'evidence.event.package_seal', { defaultValue: action })}
              </strong>{' '}
              — {who(e.actor, e.actorName)}{' '}
              <span className="sub">{t('evidence.auditEntry', { seq: e.seq })}</span>
            </li>
          );
        })}
      </ol>
      <a
        className="button"
        href={`/api/v1/evidence/packages/${encodeURIComponent(packageId)}/custody?format=pdf`}
        target="_blank"
        rel="noreferrer"
      >
        {t('evidence.custodyPdf')}
      </a>
    </div>
  );
}
