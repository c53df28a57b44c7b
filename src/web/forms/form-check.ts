// What the composer checks before the review step, from the same schema the node validates with:
// which required fields are still empty, and what the officer must do about each (fill in, choose,
// tick, add). The node still validates everything on saving; this only says it sooner and plainly.
import type { JsonSchema } from '../api/types.ts';
import { kindOf, type Raw, type RawObject, toPayload } from './schema-values.ts';

/** What an empty required field asks of the officer. */
export type Need = 'fill' | 'choose' | 'tick' | 'tickOne' | 'add';

/** What a filled field whose value the node would refuse asks of the officer. */
export type Fix =
  | 'shorten'
  | 'lengthen'
  | 'format'
  | 'date'
  | 'number'
  | 'wholeNumber'
  | 'atLeast'
  | 'atMost'
  | 'fewer';

export type Missing = { path: string; need: Need | Fix; count?: number };

/** The sections of the composer in order, each with the names of its top-level fields. */
export function sectionsOf(schema: JsonSchema, order: readonly string[]): { id: string; fields: string[] }[] {
  const out = new Map<string, string[]>(order.map((id) => [id, []]));
  for (const [name, field] of Object.entries(schema.properties ?? {})) {
    const id = field['x-section'] ?? order[order.length - 1] ?? 'measure';
    if (!out.has(id)) out.set(id, []);
    out.get(id)!.push(name);
  }
  return [...out].filter(([, fields]) => fields.length > 0).map(([id, fields]) => ({ id, fields }));
}

/** The need of a field that is left empty, by how it is shown. */
export function needOf(schema: JsonSchema): Need {
  switch (kindOf(schema)) {
    case 'enum':
    case 'state':
      return 'choose';
    case 'boolean':
      return 'tick';
    case 'enumList':
      return 'tickOne';
    case 'objectList':
      return 'add';
    default:
      return 'fill';
  }
}

/** The schema of the field at a form path ('offences/0/code'), or null. */
export function schemaAt(schema: JsonSchema, path: string): JsonSchema | null {
  let node: JsonSchema | undefined = schema;
  for (const segment of path.split('/').filter(Boolean)) {
    if (!node) return null;
    node = /^\d+$/.test(segment) && node.items ? node.items : node.properties?.[segment];
  }
  return node ?? null;
}

function empty(schema: JsonSchema, raw: Raw | undefined, required: boolean): boolean {
  return toPayload(schema, raw ?? '', required) === undefined;
}

/**
 * Every required field left empty and every filled field the node would refuse, in form order; an
 * optional group is checked only once begun.
 */
export function missingFields(schema: JsonSchema, value: RawObject, path = ''): Missing[] {
  const out: Missing[] = [];
  const required = new Set(schema.required ?? []);
  for (const [name, field] of Object.entries(schema.properties ?? {})) {
    const at = path ? `${path}/${name}` : name;
    const raw = value[name];
    const kind = kindOf(field);
    if (kind === 'boolean') {
      // Only a box that must be ticked (const true) can be missing; an unticked box is an answer.
      if (required.has(name) && field.const === true && raw !== true) out.push({ path: at, need: 'tick' });
      continue;
    }
    if (kind === 'object') {
      const begun = !empty(field, raw, false);
      if (required.has(name) || begun) out.push(...missingFields(field, (raw ?? {}) as RawObject, at));
      continue;
    }
    if (kind === 'objectList') {
      const items = Array.isArray(raw) ? (raw as RawObject[]) : [];
      const itemSchema = field.items ?? {};
      // An entry left wholly empty is dropped on saving; one begun must be completed.
      items.forEach((item, i) => {
        if (!empty(itemSchema, item, true)) out.push(...missingFields(itemSchema, item, `${at}/${i}`));
      });
      const filled = items.filter((item) => !empty(itemSchema, item, true)).length;
      if (field.maxItems !== undefined && filled > field.maxItems)
        out.push({ path: at, need: 'fewer', count: field.maxItems });
      const least = required.has(name) ? Math.max(field.minItems ?? 1, 1) : (field.minItems ?? 0);
      if (filled < least) {
        // The first empty entry is where to start, when there is one.
        const blank = items.findIndex((item) => empty(itemSchema, item, true));
        if (blank >= 0) out.push(...missingFields(itemSchema, items[blank]!, `${at}/${blank}`));
        else out.push({ path: at, need: 'add', count: least });
      }
      continue;
    }
    if (empty(field, raw, true)) {
      if (required.has(name)) out.push({ path: at, need: needOf(field) });
      continue;
    }
    const fix = fixOf(field, raw ?? '');
    if (fix) out.push({ path: at, ...fix });
  }
  return out;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Characters as the node's validator counts them (code points, not UTF-16 units). */
const lengthOf = (text: string) => [...text].length;

/** What is wrong with one filled-in text against its schema's length, pattern and format. */
function textFix(schema: JsonSchema, text: string): { need: Fix; count?: number } | null {
  if (schema.maxLength !== undefined && lengthOf(text) > schema.maxLength)
    return { need: 'shorten', count: schema.maxLength };
  if (schema.minLength !== undefined && lengthOf(text) < schema.minLength)
    return { need: 'lengthen', count: schema.minLength };
  if (schema.format === 'uuid' && !UUID.test(text)) return { need: 'format' };
  if (schema.pattern && !new RegExp(schema.pattern, 'u').test(text)) return { need: 'format' };
  return null;
}

/**
 * What the node would refuse in a field that is filled in, checked from the schema before the review:
 * too long, not a date, not a number, out of range, too many entries. Null when it would pass.
 */
export function fixOf(schema: JsonSchema, raw: Raw): { need: Fix; count?: number } | null {
  const value = toPayload(schema, raw, true);
  switch (kindOf(schema)) {
    case 'number': {
      if (typeof value !== 'number') return { need: 'number' };
      if (schema.type === 'integer' && !Number.isInteger(value)) return { need: 'wholeNumber' };
      if (schema.minimum !== undefined && value < schema.minimum)
        return { need: 'atLeast', count: schema.minimum };
      if (schema.maximum !== undefined && value > schema.maximum)
        return { need: 'atMost', count: schema.maximum };
      return null;
    }
    case 'dateTime':
      return typeof value === 'string' && Number.isNaN(Date.parse(value)) ? { need: 'date' } : null;
    case 'date':
      return typeof value === 'string' && (!DATE.test(value) || Number.isNaN(Date.parse(value)))
        ? { need: 'date' }
        : null;
    case 'text':
    case 'longText':
      return typeof value === 'string' ? textFix(schema, value) : null;
    case 'textList':
    case 'enumList': {
      const items = Array.isArray(value) ? (value as string[]) : [];
      if (schema.maxItems !== undefined && items.length > schema.maxItems)
        return { need: 'fewer', count: schema.maxItems };
      for (const item of items) {
        const fix = kindOf(schema) === 'textList' ? textFix(schema.items ?? {}, item) : null;
        if (fix) return fix;
      }
      return null;
    }
    default:
      return null;
  }
}
