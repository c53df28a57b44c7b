// An indicator shared inside an exercise, checked the same way whether a player typed it on this node
// or a participating node sent it: a title, a TLP level and 1 to 50 indicators in canonical form.
import { INDICATOR_TYPES, type IndicatorType, normalizeIndicator } from '../indicators/index.ts';
import { TLP_LEVELS } from '../tlp/index.ts';

export type ExerciseAlertInput = {
  title: string;
  tlp: string;
  indicators: { type: string; value: string }[];
};

export type AlertInputProblem = { field: string; message: string };

export function checkAlertInput(input: {
  title?: unknown;
  tlp?: unknown;
  indicators?: unknown;
}): { ok: true; alert: ExerciseAlertInput } | { ok: false; problems: AlertInputProblem[] } {
  const problems: AlertInputProblem[] = [];
  if (typeof input.title !== 'string' || input.title.trim() === '' || input.title.length > 300)
    problems.push({ field: '/title', message: 'must be a title of 1 to 300 characters' });
  if (typeof input.tlp !== 'string' || !(TLP_LEVELS as readonly string[]).includes(input.tlp))
    problems.push({ field: '/tlp', message: `must be one of ${TLP_LEVELS.join(', ')}` });
  const indicators: { type: string; value: string }[] = [];
  if (!Array.isArray(input.indicators) || input.indicators.length === 0 || input.indicators.length > 50)
    problems.push({ field: '/indicators', message: 'must list 1 to 50 indicators' });
  else
    input.indicators.forEach((raw, i) => {
      const item = raw as { type?: unknown; value?: unknown } | null;
      if (
        !item ||
        typeof item.type !== 'string' ||
        !(INDICATOR_TYPES as readonly string[]).includes(item.type)
      ) {
        problems.push({
          field: `/indicators/${i}/type`,
          message: `must be one of ${INDICATOR_TYPES.join(', ')}`,
        });
        return;
      }
      const normal = normalizeIndicator(item.type as IndicatorType, String(item.value ?? ''));
      if (normal.ok) indicators.push({ type: item.type, value: normal.value });
      else problems.push({ field: `/indicators/${i}/value`, message: normal.error });
    });
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, alert: { title: input.title as string, tlp: input.tlp as string, indicators } };
}
