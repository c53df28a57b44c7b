// A reason the node gives (legal basis, scope) in the reader's language from its codes; the node's
// English text, marked as English, only when this desk cannot word a code.
import { useTranslation } from 'react-i18next';
import type { ReasonPart } from '../../domain/legal-basis/candidate.ts';
import { reasonsText } from '../i18n/words.ts';

export function ReasonText({
  parts,
  english,
}: {
  parts: readonly ReasonPart[] | null | undefined;
  english: string;
}) {
  const { t, i18n } = useTranslation();
  const text = reasonsText(parts, t, i18n.language);
  return text !== null ? (
    <span className="sub">{text}</span>
  ) : (
    <span className="sub" lang="en">
      {english}
    </span>
  );
}
