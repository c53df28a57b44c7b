// The lean bulk body (text/plain, issue 20): one value per line, the type given once per call
// (?type=) or at the head of each line before a tab. A bank's client builds it by joining strings,
// with no JSON; the server reads it by cutting the text at newlines and tabs, with no JSON.parse and
// no object per value.
import { INDICATOR_TYPES, type IndicatorType } from '../../../domain/indicators/index.ts';
import { ValidationError } from '../../../shared/errors.ts';

/**
 * The type named by text[from..to) as the one string of INDICATOR_TYPES, or null: each later lookup of
 * the type (validity, normal form, the index's tag) then finds its key at once, where a string cut
 * from the body is a new string whose hash is computed and whose text is compared.
 */
export function knownType(text: string, from: number, to: number): IndicatorType | null {
  const length = to - from;
  for (const t of INDICATOR_TYPES) if (t.length === length && text.startsWith(t, from)) return t;
  return null;
}

/**
 * Reads a text/plain bulk body into two columns. With `type`, each non-empty line is a value of that
 * type; without, each is `type<TAB>value`. A line may end in CR (CRLF); empty lines are skipped, so
 * the index of a value counts values, not lines (as for NDJSON). A line without a tab when no type was
 * given is a 400 naming the line. An unknown type is the value's own error in the answer, as for the
 * other bodies. More than `max` values: `tooMany(count)` is thrown.
 */
export function parseCheckLines(
  text: string,
  type: IndicatorType | undefined,
  types: unknown[],
  values: unknown[],
  max: number,
  tooMany: (count: number) => Error,
): void {
  let line = 0;
  const length = text.length;
  for (let start = 0; start < length; ) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = length;
    line++;
    const from = start;
    const to = end > from && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    start = end + 1;
    if (from === to) continue;
    if (values.length >= max) throw tooMany(values.length + 1);
    if (type !== undefined) {
      types.push(type);
      values.push(text.slice(from, to));
      continue;
    }
    const tab = text.indexOf('\t', from);
    if (tab < 0 || tab >= to)
      throw new ValidationError([
        {
          field: `body/line ${line}`,
          message: 'must be type<TAB>value (or give the type once as ?type=)',
        },
      ]);
    types.push(knownType(text, from, tab) ?? text.slice(from, tab));
    values.push(text.slice(tab + 1, to));
  }
}
