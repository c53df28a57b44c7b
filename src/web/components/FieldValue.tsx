// A request field and its value in words: labels in the reader's language, closed-list codes as
// words, lists and groups nested. Shared by the request detail and the composer's review step.
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { stateName } from '../i18n/words.ts';
import { enumLabel, fieldLabel } from './FieldLabels.ts';

export function FieldValue({ name, value }: { name: string; value: unknown }) {
  const { t, i18n } = useTranslation();
  return (
    <>
      <dt>{fieldLabel(name, t, i18n.language)}</dt>
      <dd>{renderValue(value, t, i18n.language)}</dd>
    </>
  );
}

export function renderValue(value: unknown, t: TFunction, lang: string): ReactNode {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'boolean') return value ? t('detail.yes') : t('detail.no');
  // A two-letter code is a State (requesting, requested, nationality...): named in the reader's words.
  if (typeof value === 'string' && /^[A-Z]{2}$/.test(value)) return stateName(value, lang);
  if (typeof value === 'string') return /^[A-Z][A-Z0-9_]+$/.test(value) ? enumLabel(value, t) : value;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value))
    return (
      <ul className="values">
        {value.map((v, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: values have no identity of their own
          <li key={i}>{renderValue(v, t, lang)}</li>
        ))}
      </ul>
    );
  return (
    <dl className="facts nested">
      {Object.entries(value as Record<string, unknown>).map(([k, v]) => (
        <div key={k} className="pair">
          <dt>{fieldLabel(k, t, lang)}</dt>
          <dd>{renderValue(v, t, lang)}</dd>
        </div>
      ))}
    </dl>
  );
}
