// The texts of notifications and their e-mails in the reader's language. A notification is stored as
// a code with its parameters (codes, ids, instants), like the legal-basis reasons, and put into words
// when it is read or sent: request types and statuses from the desk's resources, States and dates
// from Intl. Rows written before codes existed hold plain English text, shown as it is.
import { FORM_LANGUAGES, type FormLanguage } from '../domain/requests/index.ts';
import { ar } from '../web/i18n/locales/ar.ts';
import { en, type Messages } from '../web/i18n/locales/en.ts';
import { es } from '../web/i18n/locales/es.ts';
import { fr } from '../web/i18n/locales/fr.ts';
import { ru } from '../web/i18n/locales/ru.ts';
import { vi } from '../web/i18n/locales/vi.ts';
import { zh } from '../web/i18n/locales/zh.ts';
import { stateWords } from './form-words.ts';

const RESOURCES: Record<FormLanguage, Messages> = { en, fr, vi, ar, zh, ru, es };

export const NOTICE_CODES = [
  'DEADLINE',
  'DEADLINE_ACKNOWLEDGE',
  'DEADLINE_EXECUTE',
  'DEADLINE_RESUME',
  'EMERGENCY_APPROVAL',
  'PRESERVATION_REMINDER',
  'PRESERVATION_EXPIRY',
  'PRESERVATION_MAY_END',
  'PRESERVATION_RELEASED',
] as const;
export type NoticeCode = (typeof NOTICE_CODES)[number];

/** What a notification says, as data: the request it is about and the facts that fill the sentence. */
export type Notice = {
  code: NoticeCode;
  /** About exercise material: the words begin with EXERCISE in the reader's language. */
  exercise?: true;
  params: {
    type: string;
    partner: string;
    reference: string;
    requestId: string;
    expiresAt?: string;
    followUpType?: string;
    followUpStatus?: string;
  };
};

/** The notification's `message` column: the notice as JSON. */
export function encodeNotice(notice: Notice): string {
  return JSON.stringify(notice);
}

/** How the timers mark an exercise's notice in the stored message (src/requests/request-timers.ts). */
export const EXERCISE_MARK = 'EXERCISE — ';

export function decodeNotice(message: string): Notice | null {
  // An exercise's notice is stored marked; without this it was shown as its raw JSON.
  const exercise = message.startsWith(EXERCISE_MARK);
  const coded = exercise ? message.slice(EXERCISE_MARK.length) : message;
  if (!coded.startsWith('{')) return null;
  try {
    const value = JSON.parse(coded) as Notice;
    if (!(NOTICE_CODES as readonly string[]).includes(value.code) || !value.params) return null;
    return exercise ? { ...value, exercise: true } : value;
  } catch {
    return null;
  }
}

/** The language to write in: the first of the reader's we have, else English. */
export function noticeLanguage(accepted: readonly (string | undefined)[]): FormLanguage {
  for (const tag of accepted) {
    const base = tag?.toLowerCase().split(/[-_]/)[0];
    if (base && (FORM_LANGUAGES as readonly string[]).includes(base)) return base as FormLanguage;
  }
  return 'en';
}

function fill(text: string, params: Record<string, string>): string {
  return text.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => params[name] ?? whole);
}

/** An instant as a date and time in UTC, in the language, with its zone named. */
function instantWords(iso: string | undefined, lang: FormLanguage): string {
  const at = iso ? new Date(iso) : null;
  if (!at || Number.isNaN(at.getTime())) return iso ?? '—';
  return new Intl.DateTimeFormat(lang, {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZone: 'UTC',
    timeZoneName: 'short',
  }).format(at);
}

function word(table: Record<string, string>, code: string | undefined): string {
  return code ? (table[code] ?? code) : '—';
}

/** The notice's sentence, subject line and request number, in the language. */
export function noticeText(
  notice: Notice,
  lang: FormLanguage,
): { subject: string; body: string; number: string } {
  const m = RESOURCES[lang];
  const p = notice.params;
  const request = fill(m.notice.request, {
    type: word(m.requestType as Record<string, string>, p.type),
    partner: stateWords(p.partner, lang),
    reference: p.reference,
  });
  const body = fill((m.notice as Record<string, unknown>)[notice.code] as string, {
    request,
    expiresAt: instantWords(p.expiresAt, lang),
    followUp: word(m.requestType as Record<string, string>, p.followUpType),
    status: word(m.status as Record<string, string>, p.followUpStatus),
  });
  const kind = notice.code.startsWith('DEADLINE')
    ? 'DEADLINE'
    : notice.code === 'PRESERVATION_MAY_END'
      ? 'PRESERVATION_RELEASED'
      : (notice.code as keyof Messages['notice']['subject']);
  const subject = fill(m.notice.subjectLine, { title: m.notice.subject[kind], reference: p.reference });
  const mark = notice.exercise ? `${m.exercise.badge} — ` : '';
  return {
    subject: mark + subject,
    body: mark + body,
    number: fill(m.notice.requestNumber, { id: p.requestId }),
  };
}

/** A stored message in the language: a notice put into words, or older plain text as it is. */
export function messageText(message: string, lang: FormLanguage): string {
  const notice = decodeNotice(message);
  return notice ? noticeText(notice, lang).body : message;
}
