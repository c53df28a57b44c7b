// The directory of Parties as a duty officer needs it at 3 a.m.: who to call in a State, which
// languages they read, and whether their office is open right now — their local time beside yours.
import { useEffect, useMemo, useState } from 'react';
import { Input, Label, SearchField } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import type { Authority, Party } from '../api/types.ts';
import { useSession } from '../app/session.tsx';
import { dateWords, partyName } from '../i18n/words.ts';
import { ownZone } from '../time/format.ts';
import { officeStatus } from '../time/office-hours.ts';
import { isKnownZone } from '../time/zoned.ts';

const DAY_NAMES = [1, 2, 3, 4, 5, 6, 7].map((d) => new Date(Date.UTC(2024, 0, d)));

/** The current time, refreshed every 15 seconds (a minute is the precision shown). */
function useMinuteClock(): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 15_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

function clock(now: Date, language: string, timeZone: string): string {
  return new Intl.DateTimeFormat(language, {
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: isKnownZone(timeZone) ? timeZone : 'UTC',
  }).format(now);
}

function languageName(tag: string, display: string): string {
  try {
    return new Intl.DisplayNames([display], { type: 'language' }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

export function Directory() {
  const { t, i18n } = useTranslation();
  const { parties } = useSession();
  const [search, setSearch] = useState('');
  const now = useMinuteClock();
  const all = useMemo(
    () =>
      [...parties.values()].sort((a, b) =>
        partyName(a, i18n.language).localeCompare(partyName(b, i18n.language), i18n.language),
      ),
    [parties, i18n.language],
  );
  const q = search.trim().toLowerCase();
  const shown = q
    ? all.filter(
        (p) =>
          p.code.toLowerCase() === q ||
          p.name.toLowerCase().includes(q) ||
          partyName(p, i18n.language).toLowerCase().includes(q),
      )
    : all;

  return (
    <section aria-labelledby="directory-title">
      <h1 id="directory-title">{t('directory.title')}</h1>
      <p className="intro">{t('directory.intro')}</p>
      <p className="sub">
        {t('directory.yourClock', { time: clock(now, i18n.language, ownZone()), zone: ownZone() })}
      </p>
      <SearchField className="field search" value={search} onChange={setSearch}>
        <Label>{t('directory.search')}</Label>
        <Input placeholder={t('directory.searchHint')} />
      </SearchField>
      <p role="status">{t('directory.count', { shown: shown.length, total: all.length })}</p>
      {q && shown.length === 0 ? <p className="empty">{t('directory.noMatch', { query: search })}</p> : null}
      <ul className="parties">
        {shown.map((p) => (
          <PartyCard key={p.code} party={p} now={now} />
        ))}
      </ul>
    </section>
  );
}

function PartyCard({ party, now }: { party: Party; now: Date }) {
  const { t, i18n } = useTranslation();
  const c = party.convention ?? {};
  const status = c.depositedOn
    ? t('directory.status.PARTY', { date: dateWords(c.depositedOn, i18n.language) })
    : c.signedOn
      ? t('directory.status.SIGNED', { date: dateWords(c.signedOn, i18n.language) })
      : t('directory.status.NOT_SIGNED');
  return (
    <li className="card party">
      <h2>
        {partyName(party, i18n.language)} <span className="code">({party.code})</span>
      </h2>
      <p className="sub">
        {party.isRegionalOrganisation ? `${t('directory.regional')} · ` : ''}
        {status}
      </p>
      {(party.authorities ?? []).length === 0 ? <p>{t('directory.noAuthorities')}</p> : null}
      <ul className="authorities">
        {(party.authorities ?? []).map((a) => (
          <AuthorityRow key={a.id} authority={a} now={now} />
        ))}
      </ul>
    </li>
  );
}

function AuthorityRow({ authority: a, now }: { authority: Authority; now: Date }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const zone = a.timeZone ?? 'UTC';
  const hours = a.workingHours ?? { always: true as const };
  const office = officeStatus(hours, isKnownZone(zone) ? zone : 'UTC', now);
  const at = (d: Date) => clock(d, lang, zone);
  const days =
    'always' in hours
      ? ''
      : hours.days
          .map((d) =>
            new Intl.DateTimeFormat(lang, { weekday: 'short', timeZone: 'UTC' }).format(DAY_NAMES[d - 1]),
          )
          .join(', ');
  return (
    <li className="authority">
      <div>
        <strong>
          {t(`directory.authorityKind.${a.kind}` as 'directory.authorityKind.POINT_24_7', {
            defaultValue: a.kind,
          })}
        </strong>
        <span className="sub">{a.name}</span>
      </div>
      <dl className="facts compact">
        <dt>{t('directory.languages')}</dt>
        <dd>{(a.languages ?? []).map((l) => languageName(l, lang)).join(', ') || '—'}</dd>
        <dt>{t('directory.localTime')}</dt>
        <dd>
          <span className="their-clock">{at(now)}</span> <span className="inline-sub">({zone})</span>{' '}
          <span className="inline-sub">· {t('directory.yours', { time: clock(now, lang, ownZone()) })}</span>
        </dd>
        <dt>{t('directory.hours')}</dt>
        <dd>
          {office.kind === 'always' ? (
            <span className="office open">{t('directory.alwaysOpen')}</span>
          ) : office.kind === 'open' ? (
            <span className="office open">
              {t('directory.openNow')} · {t('directory.closes', { when: at(office.closesAt) })}
            </span>
          ) : (
            <span className="office closed">
              {t('directory.closedNow')}
              {office.opensAt ? ` · ${t('directory.opens', { when: at(office.opensAt) })}` : ''}
            </span>
          )}
          {'always' in hours ? null : (
            <span className="sub">
              {t('directory.schedule', { days, start: hours.start, end: hours.end })}
            </span>
          )}
        </dd>
        {(a.channels ?? []).length > 0 ? (
          <>
            <dt>{t('directory.contact')}</dt>
            <dd>
              {(a.channels ?? []).map((ch) => (
                <span key={`${ch.kind}-${ch.value}`} className="sub">
                  {t(`channel.${ch.kind}` as 'channel.EMAIL', { defaultValue: ch.kind })}: {ch.value}
                </span>
              ))}
            </dd>
          </>
        ) : null}
      </dl>
    </li>
  );
}
