// Labels of request fields in the reader's language: the legal form's labels (seven languages) for
// top-level fields, the desk's resources for the parts inside them, else the field's own name.
import type { TFunction } from 'i18next';
import { FIELD_LABELS, FORM_LANGUAGES, type FormLanguage } from '../../domain/requests/form-labels.ts';
import { fromResources } from '../i18n/i18n.ts';

function formLanguage(language: string): FormLanguage {
  const base = language.split('-')[0] ?? 'en';
  return (FORM_LANGUAGES as readonly string[]).includes(base) ? (base as FormLanguage) : 'en';
}

/** "caseReference" → "Case reference" when nothing better is known. */
function humanise(name: string): string {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function fieldLabel(name: string, t: TFunction, language: string): string {
  const form = FIELD_LABELS[name];
  if (form) return fromResources(form[formLanguage(language)]);
  const own = t(`field.${name}` as 'field.code', { defaultValue: '' });
  return own || humanise(name);
}

/** A closed-list value in words (offence, category, kind...), else the code itself. */
export function enumLabel(value: string, t: TFunction): string {
  for (const ns of ['offence', 'enumValue', 'requestType', 'basis', 'urgency', 'status', 'ground']) {
    const text = t(`${ns}.${value}` as 'offence.CSAM', { defaultValue: '' });
    if (text) return text;
  }
  return value;
}
