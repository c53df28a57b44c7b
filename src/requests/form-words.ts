// The values of the printable request in words of the form's language: offence names instead of
// codes, "up to 20 years" instead of 240 months, State names, data categories, identifier kinds,
// urgency and dates, from the desk's own resources (one vocabulary for screen and paper) and Intl.
import { FIELD_LABELS, type FormLanguage } from '../domain/requests/index.ts';
import { ar } from '../web/i18n/locales/ar.ts';
import { en, type Messages } from '../web/i18n/locales/en.ts';
import { es } from '../web/i18n/locales/es.ts';
import { fr } from '../web/i18n/locales/fr.ts';
import { ru } from '../web/i18n/locales/ru.ts';
import { vi } from '../web/i18n/locales/vi.ts';
import { zh } from '../web/i18n/locales/zh.ts';

const RESOURCES: Record<FormLanguage, Messages> = { en, fr, vi, ar, zh, ru, es };

const STATE_KEYS = new Set([
  'requestingState',
  'requestedState',
  'providerCountry',
  'participatingStates',
  'nationality',
]);
const ENUM_KEYS = new Set(['kind', 'role', 'dataCategories']);

function lookup(table: Record<string, string>, code: string): string {
  return table[code] ?? code;
}

/** A State code as its name in the language ("FR" → "Francia"); other text as it is. */
export function stateWords(code: string, lang: FormLanguage): string {
  if (!/^[A-Z]{2}$/.test(code)) return code;
  try {
    return new Intl.DisplayNames([lang], { type: 'region', fallback: 'code' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** An ISO date or instant as a date (and time, in UTC) in the language. */
export function dateWords(iso: string, lang: FormLanguage): string {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(iso);
  const at = new Date(day ? `${iso}T00:00:00Z` : iso);
  if (Number.isNaN(at.getTime())) return iso;
  return new Intl.DateTimeFormat(lang, {
    dateStyle: 'long',
    ...(day ? {} : { timeStyle: 'short' }),
    timeZone: 'UTC',
  }).format(at);
}

/** "{{count}} years" with the language's plural category (the desk's i18next plural keys). */
function plural(lang: FormLanguage, base: 'months' | 'years', count: number): string {
  const units = RESOURCES[lang].units as Record<string, string>;
  const category = new Intl.PluralRules(lang).select(count);
  const text = units[`${base}_${category}`] ?? units[`${base}_other`] ?? `{{count}} ${base}`;
  return text.replace('{{count}}', new Intl.NumberFormat(lang).format(count));
}

/** 240 → "20 years", 30 → "30 months", in the language. */
export function durationWords(months: number, lang: FormLanguage): string {
  return months > 0 && months % 12 === 0
    ? plural(lang, 'years', months / 12)
    : plural(lang, 'months', months);
}

/** A field's label in the language: the form's labels, the desk's, else the field's name. */
export function labelWords(key: string, lang: FormLanguage): string {
  return FIELD_LABELS[key]?.[lang] ?? (RESOURCES[lang].field as Record<string, string>)[key] ?? key;
}

function stringWords(key: string, value: string, lang: FormLanguage): string {
  const r = RESOURCES[lang];
  if (STATE_KEYS.has(key)) return stateWords(value, lang);
  if (key === 'code') return lookup(r.offence, value);
  if (ENUM_KEYS.has(key)) return lookup(r.enumValue, value);
  if (key === 'urgency') return lookup(r.urgency, value);
  if (key === 'channel') return lookup(r.channel, value);
  if (/^\d{4}-\d{2}-\d{2}(T[\d:.]+Z)?$/.test(value)) return dateWords(value, lang);
  return value;
}

/**
 * A request value in words: strings and numbers worded by their field, lists item by item, and
 * objects re-keyed by their labels in the language (so the layout prints the keys as they are).
 */
export function valueWords(key: string, value: unknown, lang: FormLanguage, upTo: string): unknown {
  if (value === null || value === undefined || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (key === 'maxPenaltyMonths') return upTo.replace('{{penalty}}', durationWords(value, lang));
    if (key === 'durationMonths') return durationWords(value, lang);
    return new Intl.NumberFormat(lang).format(value);
  }
  if (typeof value === 'string') return stringWords(key, value, lang);
  if (Array.isArray(value)) return value.map((v) => valueWords(key, v, lang, upTo));
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [
        labelWords(k, lang),
        valueWords(k, v, lang, upTo),
      ]),
    );
  }
  return value;
}

/** The legal basis in words: the instrument's name in the language and the treaty, if any. */
export function basisWords(basis: string, treatyRef: string | null, lang: FormLanguage): string {
  const name = lookup(RESOURCES[lang].basis, basis);
  return treatyRef ? `${name} (${treatyRef})` : name;
}
