// Everything that happened to a request, in one line of time: its state changes, the messages
// exchanged with the partner node and the signed receipts that came back, each with the proof that
// the node's audit log holds it (checked here, in the browser, against the signed tree head).
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ActorInfo, RequestDetail, RequestRecord } from '../api/types.ts';
import { verifyInclusion } from '../audit/inclusion.ts';
import { stateName } from '../i18n/words.ts';
import { formatInstant, ownZone } from '../time/format.ts';

type Entry = RequestRecord['entries'][number];
type Message = RequestRecord['messages'][number];
type Item =
  | { kind: 'step'; at: string; step: RequestDetail['timeline'][number]; audit: Entry | null }
  | { kind: 'message'; at: string; message: Message; audit: Entry | null };

/** The state changes and messages in time order, each with its audit entry when there is one. */
export function mergeTimeline(timeline: RequestDetail['timeline'], record: RequestRecord | null): Item[] {
  const entries = record?.entries ?? [];
  const used = new Set<number>();
  const auditFor = (match: (e: Entry) => boolean) => {
    const e = entries.find((x) => !used.has(x.seq) && match(x)) ?? null;
    if (e) used.add(e.seq);
    return e;
  };
  const items: Item[] = timeline.map((step) => ({
    kind: 'step',
    at: step.at,
    step,
    // The event and its audit entry are written in one transaction, at the same instant.
    audit: auditFor(
      (e) => e.objectType === 'request' && e.action === `request.${step.action}` && e.at === step.at,
    ),
  }));
  for (const message of record?.messages ?? []) {
    items.push({
      kind: 'message',
      at: message.at,
      message,
      audit: auditFor((e) => e.objectType === 'federation_message' && e.objectId === message.id),
    });
  }
  return items.sort((a, b) => a.at.localeCompare(b.at));
}

export function RequestTimeline({
  request,
  record,
}: {
  request: RequestDetail;
  record: RequestRecord | null;
}) {
  const { t, i18n } = useTranslation();
  const zone = ownZone();
  const items = mergeTimeline(request.timeline, record);
  return (
    <section aria-labelledby="history-title" className="card">
      <h2 id="history-title">{t('detail.history')}</h2>
      {record ? (
        <p className="sub">
          {t('timeline.treeHead', {
            size: record.treeHead.treeSize,
            root: `${record.treeHead.rootHash.slice(0, 16)}…`,
            when: formatInstant(new Date(record.treeHead.signedAt), i18n.language, zone),
          })}
        </p>
      ) : null}
      <ol className="timeline">
        {items.map((item) => (
          <li
            key={item.kind === 'step' ? `s-${item.at}-${item.step.action}` : `m-${item.message.id}`}
            className={`tl-${item.kind}`}
          >
            <time dateTime={item.at}>{formatInstant(new Date(item.at), i18n.language, zone)}</time>{' '}
            {item.kind === 'step' ? (
              <>
                <strong>
                  {t(`action.${item.step.action}` as 'action.submit', { defaultValue: item.step.action })}
                </strong>
                {item.step.to && item.step.to !== item.step.from ? (
                  <span>
                    {' '}
                    → {t(`status.${item.step.to}` as 'status.draft', { defaultValue: item.step.to })}
                  </span>
                ) : null}
                <ActorLine actor={item.step.actor} info={item.step.actorInfo ?? null} />
              </>
            ) : (
              <MessageLine message={item.message} />
            )}
            {item.audit && record ? <Proof entry={item.audit} record={record} /> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** Who took a step: the person's name and roles, the partner's node, or this node itself. */
function ActorLine({ actor, info }: { actor: string | null; info: ActorInfo | null }) {
  const { t, i18n } = useTranslation();
  const state = info?.kind === 'node' ? info.state : actor?.startsWith('node:') ? actor.slice(5) : null;
  let text: string;
  if (info?.kind === 'user') {
    const roles = info.roles.map((r) => t(`roles.${r}` as 'roles.ADMIN', { defaultValue: r }));
    text = t('detail.actor', {
      name: info.displayName,
      roles: new Intl.ListFormat(i18n.language, { type: 'unit' }).format(roles),
    });
  } else if (state) {
    text = t('detail.actorPartner', { state: stateName(state, i18n.language) });
  } else if (actor) {
    text = t('detail.actorNode');
  } else return null;
  return <span className="sub inline actor"> · {text}</span>;
}

function MessageLine({ message: m }: { message: Message }) {
  const { t, i18n } = useTranslation();
  const type = t(`timeline.messageType.${m.type}` as 'timeline.messageType.request', {
    defaultValue: m.type,
  });
  return (
    <>
      <strong>
        {m.direction === 'sent'
          ? t('timeline.sent', { type, peer: m.peer })
          : t('timeline.received', { type, peer: m.peer })}
      </strong>
      {m.direction === 'sent' && m.status !== 'sent' ? (
        <span className="badge">
          {t(`timeline.delivery.${m.status}` as 'timeline.delivery.pending', { defaultValue: m.status })}
        </span>
      ) : null}
      {m.receipt ? (
        <span className="receipt">
          <span aria-hidden="true">✔ </span>
          {m.direction === 'sent'
            ? t('timeline.receiptFrom', {
                peer: m.receipt.receiver ?? m.peer,
                when: m.receipt.receivedAt
                  ? formatInstant(new Date(m.receipt.receivedAt), i18n.language, ownZone())
                  : '—',
              })
            : t('timeline.receiptGiven')}
          <details className="evidence">
            <summary>{t('timeline.showReceipt')}</summary>
            <dl className="facts compact">
              <dt>{t('timeline.messageId')}</dt>
              <dd>
                <code>{m.id}</code>
              </dd>
              <dt>{t('timeline.payloadHash')}</dt>
              <dd>
                <code>{m.payloadSha256 ?? '—'}</code>
              </dd>
              <dt>{t('timeline.signingKey')}</dt>
              <dd>
                <code>{m.receipt.kid ?? '—'}</code>
              </dd>
              <dt>{t('timeline.signature')}</dt>
              <dd>
                <code className="jws">{m.receipt.jws}</code>
              </dd>
            </dl>
          </details>
        </span>
      ) : null}
    </>
  );
}

function Proof({ entry, record }: { entry: Entry; record: RequestRecord }) {
  const { t } = useTranslation();
  const [ok, setOk] = useState<boolean | null>(null);
  useEffect(() => {
    let live = true;
    verifyInclusion(
      entry.leafIndex,
      record.treeHead.treeSize,
      entry.leafHash,
      entry.auditPath,
      record.treeHead.rootHash,
    ).then(
      (v) => live && setOk(v),
      () => live && setOk(false),
    );
    return () => {
      live = false;
    };
  }, [entry, record]);
  return (
    <details className={`evidence proof${ok === false ? ' bad' : ''}`}>
      <summary>
        {ok === null
          ? t('timeline.proofChecking')
          : ok
            ? t('timeline.proofOk', { seq: entry.seq, size: record.treeHead.treeSize })
            : t('timeline.proofBad', { seq: entry.seq })}
      </summary>
      <dl className="facts compact">
        <dt>{t('timeline.leafHash')}</dt>
        <dd>
          <code>{entry.leafHash}</code>
        </dd>
        <dt>{t('timeline.auditPath', { count: entry.auditPath.length })}</dt>
        <dd>
          {entry.auditPath.map((h) => (
            <code key={h} className="path">
              {h}
            </code>
          ))}
        </dd>
        <dt>{t('timeline.rootHash')}</dt>
        <dd>
          <code>{record.treeHead.rootHash}</code>
        </dd>
      </dl>
    </details>
  );
}
