// The formal request as it is printed for a partner without a node: the node renders it (labels in
// the requested State's language unless another is chosen) and the desk shows it as it will print.
import { useRef } from 'react';
import { Button, Link } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { FORM_LANGUAGES } from '../../domain/requests/form-labels.ts';
import { navigate, useLocation } from '../app/router.tsx';
import { Choice } from '../components/Choice.tsx';
import { LANGUAGES } from '../i18n/languages.ts';

const NATIVE: Record<string, string> = Object.fromEntries(LANGUAGES.map((l) => [l.code, l.name]));
// The PDF's font cannot print Chinese or shape Arabic: for those the node sends the HTML form.
const NO_PDF = new Set(['ar', 'zh']);

export function RequestPrint({ id }: { id: string }) {
  const { t } = useTranslation();
  const { pathname, search } = useLocation();
  const lang = new URLSearchParams(search).get('lang') ?? '';
  const frame = useRef<HTMLIFrameElement>(null);
  const base = `/api/v1/requests/${encodeURIComponent(id)}`;
  const q = lang ? `?lang=${encodeURIComponent(lang)}` : '';
  return (
    <section aria-labelledby="print-title" className="print-preview">
      <p>
        <Link href={`/requests/${encodeURIComponent(id)}`} className="back-link">
          <span className="back-arrow" aria-hidden="true">
            ←
          </span>{' '}
          {t('print.back')}
        </Link>
      </p>
      <h1 id="print-title">{t('print.title')}</h1>
      <p className="intro">{t('print.intro')}</p>
      <div className="filters">
        <Choice
          label={t('print.language')}
          value={lang}
          onChange={(v) => navigate(`${pathname}${v ? `?lang=${v}` : ''}`, { replace: true })}
          options={[
            { id: '', label: t('print.partnerLanguage') },
            ...FORM_LANGUAGES.map((l) => ({ id: l, label: NATIVE[l] ?? l })),
          ]}
        />
        <Button className="button primary" onPress={() => frame.current?.contentWindow?.print()}>
          {t('print.print')}
        </Button>
        {NO_PDF.has(lang) ? null : (
          <a className="button" href={`${base}/form.pdf${q}`} download>
            {t('print.pdf')}
          </a>
        )}
      </div>
      <iframe
        ref={frame}
        className="form-frame"
        title={t('print.frameTitle')}
        src={`${base}/form.html${q}`}
      />
    </section>
  );
}
