// Codes in the reader's words: State names, dates, numbers and durations from Intl, and the
// node's legal-basis and scope reasons (stable codes with parameters) through the resources.
import type { TFunction } from 'i18next';
import type { ReasonPart } from '../../domain/legal-basis/candidate.ts';

const regionNames = new Map<string, Intl.DisplayNames | null>();

function regions(language: string): Intl.DisplayNames | null {
  if (!regionNames.has(language)) {
    try {
      regionNames.set(language, new Intl.DisplayNames([language], { type: 'region', fallback: 'none' }));
    } catch {
      regionNames.set(language, null);
    }
  }
  return regionNames.get(language) ?? null;
}

/** "FR" → "France" / "Francia" / "法国"; a code Intl does not know is returned as it is. */
export function stateName(code: string, language: string): string {
  if (!/^[A-Z]{2}$/.test(code)) return code;
  try {
    return regions(language)?.of(code) ?? code;
  } catch {
    return code;
  }
}

/** A calendar date (YYYY-MM-DD) written out in the reader's language. */
export function dateWords(isoDate: string, language: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(isoDate)) return isoDate;
  return new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone: 'UTC' }).format(
    new Date(`${isoDate}T00:00:00Z`),
  );
}

/** 240 months → "20 years"; 30 → "30 months", with the language's plural rules. */
export function monthsWords(months: number, t: TFunction): string {
  return months % 12 === 0 && months > 0
    ? t('units.years', { count: months / 12 })
    : t('units.months', { count: months });
}

const STATE_PARAMS = new Set(['state', 'requesting', 'requested']);
const DATE_PARAMS = new Set(['date', 'from', 'until', 'denouncedOn', 'signedOn', 'depositedOn']);

function paramWords(key: string, value: unknown, t: TFunction, language: string): unknown {
  if (Array.isArray(value)) {
    const items = value.map((v) => String(paramWords(key === 'offences' ? 'offence' : key, v, t, language)));
    return new Intl.ListFormat(language, { type: 'conjunction' }).format(items);
  }
  if (typeof value === 'number') {
    if (key === 'months' || key === 'threshold') return monthsWords(value, t);
    return key === 'count' ? value : new Intl.NumberFormat(language).format(value);
  }
  if (typeof value !== 'string') return value;
  if (STATE_PARAMS.has(key)) return stateName(value, language);
  if (DATE_PARAMS.has(key)) return dateWords(value, language);
  if (key === 'type') return t(`requestType.${value}` as 'requestType.PRESERVATION', { defaultValue: value });
  if (key === 'offence') return t(`offence.${value}` as 'offence.CSAM', { defaultValue: value });
  if (key === 'instrument' || key === 'kind')
    return t(`basis.${value}` as 'basis.UNCC', { defaultValue: value });
  return value;
}

/** One reason part in the reader's language, or null when this desk has no text for its code. */
export function reasonPartText(part: ReasonPart, t: TFunction, language: string): string | null {
  const params: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(part.params ?? {})) params[k] = paramWords(k, v, t, language);
  const text = t(`reason.${part.code}` as 'reason.RECIPROCITY', { ...params, defaultValue: '' } as never);
  return typeof text === 'string' && text !== '' ? text : null;
}

/**
 * The reasons in the reader's language, joined as clauses; null when there are none or one code is
 * unknown to this desk (the caller then shows the node's English text, marked as English).
 */
export function reasonsText(
  parts: readonly ReasonPart[] | null | undefined,
  t: TFunction,
  language: string,
): string | null {
  if (!parts || parts.length === 0) return null;
  const texts = parts.map((p) => reasonPartText(p, t, language));
  if (texts.some((x) => x === null)) return null;
  return texts.join('; ');
}

/** A Party's name in the reader's language; the directory's own name for what Intl does not know. */
export function partyName(party: { code: string; name: string }, language: string): string {
  const named = stateName(party.code, language);
  return named === party.code ? party.name : named;
}
