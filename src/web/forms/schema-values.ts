// The composer's form state and the request it becomes, both driven by the type's JSON schema
// (GET /api/v1/request-types): the same schema the node validates with, so the form cannot drift.
import type { JsonSchema } from '../api/types.ts';

export type Raw = string | boolean | string[] | RawObject | RawObject[];
export type RawObject = { [key: string]: Raw };

export type FieldKind =
  | 'enum'
  | 'boolean'
  | 'dateTime'
  | 'date'
  | 'state'
  | 'text'
  | 'longText'
  | 'number'
  | 'enumList'
  | 'textList'
  | 'objectList'
  | 'object';

/** How a schema is shown as a form control. */
export function kindOf(schema: JsonSchema): FieldKind {
  if (schema.enum) return 'enum';
  if (schema.type === 'boolean') return 'boolean';
  if (schema.type === 'integer' || schema.type === 'number') return 'number';
  if (schema.type === 'array') {
    const items = schema.items ?? {};
    if (items.enum) return 'enumList';
    if (items.type === 'object') return 'objectList';
    return 'textList';
  }
  if (schema.type === 'object') return 'object';
  if (schema.format === 'date-time') return 'dateTime';
  if (schema.format === 'date') return 'date';
  if (schema.pattern === '^[A-Z]{2}$') return 'state';
  return (schema.maxLength ?? 0) > 300 ? 'longText' : 'text';
}

/** The empty state of a field: a required list of objects starts with as many entries as it needs. */
export function emptyRaw(schema: JsonSchema): Raw {
  switch (kindOf(schema)) {
    case 'boolean':
      return false;
    case 'enumList':
      return [];
    case 'objectList':
      return Array.from({ length: Math.max(schema.minItems ?? 0, 0) }, () => emptyObject(schema.items ?? {}));
    case 'object':
      return emptyObject(schema);
    default:
      return '';
  }
}

export function emptyObject(schema: JsonSchema): RawObject {
  const out: RawObject = {};
  for (const [name, field] of Object.entries(schema.properties ?? {})) out[name] = emptyRaw(field);
  return out;
}

/** A local date-time from the browser's input as an instant; anything unreadable is sent as typed. */
function toInstant(local: string): string {
  const ms = Date.parse(local);
  return Number.isNaN(ms) ? local : new Date(ms).toISOString();
}

/**
 * The request body from the form: blanks are left out (so the node names what is missing), text is
 * trimmed, numbers and dates converted. Returns undefined when a field holds nothing.
 */
export function toPayload(schema: JsonSchema, raw: Raw, required: boolean): unknown {
  switch (kindOf(schema)) {
    case 'boolean':
      if (schema.const === true) return raw === true ? true : undefined;
      return raw === true ? true : required ? false : undefined;
    case 'enumList':
      return Array.isArray(raw) && raw.length > 0 ? raw : undefined;
    case 'textList': {
      const lines =
        typeof raw === 'string'
          ? raw
              .split('\n')
              .map((l) => l.trim())
              .filter(Boolean)
          : [];
      return lines.length > 0 ? lines : undefined;
    }
    case 'objectList': {
      const items = (Array.isArray(raw) ? (raw as RawObject[]) : [])
        .map((item) => toPayload(schema.items ?? {}, item, true))
        .filter((v) => v !== undefined);
      return items.length > 0 ? items : undefined;
    }
    case 'object': {
      const out: Record<string, unknown> = {};
      const source = (raw ?? {}) as RawObject;
      for (const [name, field] of Object.entries(schema.properties ?? {})) {
        const value = toPayload(
          field,
          source[name] ?? emptyRaw(field),
          (schema.required ?? []).includes(name),
        );
        if (value !== undefined) out[name] = value;
      }
      // An object with only defaulted booleans is as good as empty when nothing was typed in it.
      return Object.keys(out).length > 0 ? out : undefined;
    }
    case 'number': {
      const text = typeof raw === 'string' ? raw.trim() : '';
      if (!text) return undefined;
      const n = Number(text);
      return Number.isFinite(n) ? n : text;
    }
    case 'dateTime': {
      const text = typeof raw === 'string' ? raw.trim() : '';
      return text ? toInstant(text) : undefined;
    }
    default: {
      const text = typeof raw === 'string' ? raw.trim() : '';
      return text ? text : undefined;
    }
  }
}

/** The node's field pointer ('/identifiers/0/value' or 'body/identifiers/0/value') as a form path. */
export function pathOf(field: string): string {
  return field.replace(/^body/, '').replace(/^\/+/, '');
}
