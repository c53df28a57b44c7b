// A request body as the composer's form state, so a request the script has this node send (an
// `incoming_request` inject whose sender is this node's State) opens in the composer filled in: the
// officer checks it, chooses what the script leaves to them, and sends it as in real work.
import type { JsonSchema } from '../api/types.ts';
import { emptyObject, emptyRaw, kindOf, type Raw, type RawObject } from '../forms/schema-values.ts';

/** The inverse of `toPayload`: what the form shows for a value of this schema. */
export function fromPayload(schema: JsonSchema, value: unknown): Raw {
  if (value === undefined || value === null) return emptyRaw(schema);
  switch (kindOf(schema)) {
    case 'boolean':
      return value === true;
    case 'enumList':
      return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
    case 'textList':
      return Array.isArray(value) ? value.map(String).join('\n') : String(value);
    case 'objectList':
      return Array.isArray(value)
        ? value.map((item) => fromPayload(schema.items ?? {}, item) as RawObject)
        : emptyRaw(schema);
    case 'object': {
      const out = emptyObject(schema);
      const source = typeof value === 'object' ? (value as Record<string, unknown>) : {};
      for (const [name, field] of Object.entries(schema.properties ?? {}))
        if (source[name] !== undefined) out[name] = fromPayload(field, source[name]);
      return out;
    }
    case 'dateTime':
      return localDateTime(String(value));
    default:
      return typeof value === 'string' ? value : String(value);
  }
}

/** An instant as the browser's date-time field shows it: local time, to the minute. */
function localDateTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}`;
}
