// One package: its state in words ("verified — signed by France" on the receiving side), its Merkle
// root, the next step the reader may take (approve — never the sealer —, send), and its custody.
import { useState } from 'react';
import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { post } from '../api/client.ts';
import { useMe } from '../app/session.tsx';
import { ExerciseBadge } from '../components/ExerciseMark.tsx';
import { Problem } from '../components/Problem.tsx';
import { stateName } from '../i18n/words.ts';
import { formatInstant, ownZone } from '../time/format.ts';
import { CustodyTimeline } from './CustodyTimeline.tsx';
import type { EvidencePackage } from './evidence-types.ts';
import { ConsentPanel, HandDeliveryForm } from './PackageHandover.tsx';

const APPROVERS = ['APPROVER', 'CENTRAL_AUTHORITY'];
const HANDLERS = ['DUTY_OFFICER', 'CENTRAL_AUTHORITY', 'INVESTIGATOR'];

export function PackageCard(props: { pkg: EvidencePackage; onChanged: () => void }) {
  const { pkg } = props;
  const { t, i18n } = useTranslation();
  const me = useMe();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const [showCustody, setShowCustody] = useState(false);
  const origin = stateName(pkg.originState, i18n.language);
  const recipient = stateName(pkg.recipientState, i18n.language);
  const mayApprove = me.effectiveRoles.some((r) => APPROVERS.includes(r));
  const short = pkg.id.slice(-8);

  async function act(path: string, doneText: string) {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      await post(`/api/v1/evidence/packages/${encodeURIComponent(pkg.id)}/${path}`);
      setDone(doneText);
      props.onChanged();
    } catch (e) {
      setError(e);
      props.onChanged();
    } finally {
      setBusy(false);
    }
  }

  return (
    <li className={`package package-${pkg.status}`} aria-labelledby={`package-${pkg.id}`}>
      <h4 id={`package-${pkg.id}`}>
        <ExerciseBadge exerciseId={pkg.exerciseId} /> {t('evidence.package', { id: short })}
      </h4>
      <p className={`package-state state-${pkg.status}`}>
        {t(`evidence.state.${pkg.status}` as 'evidence.state.verified', { origin, recipient })}
      </p>
      {pkg.onwardFrom ? (
        <p className="sub">
          {t('evidence.onwardFrom', { from: stateName(pkg.onwardFrom, i18n.language), origin })}
        </p>
      ) : null}
      <dl className="facts">
        <dt>{t('evidence.merkleRoot')}</dt>
        <dd>
          <code className="hash">{pkg.merkleRoot}</code>
        </dd>
        <dt>{t('evidence.sealedAt')}</dt>
        <dd>{formatInstant(new Date(pkg.sealedAt), i18n.language, ownZone())}</dd>
        {pkg.supersedes ? (
          <>
            <dt>{t('evidence.supersedes')}</dt>
            <dd>{pkg.supersedes}</dd>
          </>
        ) : null}
      </dl>
      <div className="actions">
        {pkg.status === 'sealed' && mayApprove && pkg.sealedBy !== me.user.id ? (
          <Button
            className="button primary"
            isDisabled={busy}
            onPress={() => void act('approve', t('evidence.approvedDone'))}
          >
            {t('evidence.approve')}
          </Button>
        ) : null}
        {pkg.status === 'sealed' && pkg.sealedBy === me.user.id ? (
          <p className="sub">{t('evidence.waitingSecondOfficer')}</p>
        ) : null}
        {(pkg.status === 'approved' || pkg.status === 'sending') && mayApprove ? (
          <Button
            className="button primary"
            isDisabled={busy}
            onPress={() => void act('send', t('evidence.sentDone', { recipient }))}
          >
            {t(pkg.status === 'sending' ? 'evidence.resend' : 'evidence.send', { recipient })}
          </Button>
        ) : null}
        <Button className="button" aria-expanded={showCustody} onPress={() => setShowCustody((v) => !v)}>
          {t(showCustody ? 'evidence.hideCustody' : 'evidence.showCustody')}
        </Button>
      </div>
      {busy ? <p aria-busy="true">{t('app.loading')}</p> : null}
      {error ? <Problem error={error} /> : null}
      <div role="status" className="done">
        {done}
      </div>
      {['sent', 'verified'].includes(pkg.status) ? <ConsentPanel pkg={pkg} mayAnswer={mayApprove} /> : null}
      {['approved', 'sent', 'verified'].includes(pkg.status) &&
      me.effectiveRoles.some((r) => HANDLERS.includes(r)) ? (
        <HandDeliveryForm pkg={pkg} />
      ) : null}
      {showCustody ? <CustodyTimeline packageId={pkg.id} /> : null}
    </li>
  );
}
