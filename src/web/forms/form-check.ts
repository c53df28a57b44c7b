// What the composer checks before the review step, from the same schema the node validates with:
// which required fields are still empty, and what the officer must do about each (fill in, choose,
// tick, add). The node still validates everything on saving; this only says it sooner and plainly.
import type { JsonSchema } from '../api/types.ts';
import { kindOf, type Raw, type RawObject, toPayload } from './schema-values.ts';

/** What an empty required field asks of the officer. */
export type Need = 'fill' | 'choose' | 'tick' | 'tickOne' | 'add';

export type Missing = { path: string; need: Need; count?: number };

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

/** Every required field left empty, in form order; an optional group is checked only once begun. */
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
      const least = required.has(name) ? Math.max(field.minItems ?? 1, 1) : (field.minItems ?? 0);
      if (filled < least) {
        // The first empty entry is where to start, when there is one.
        const blank = items.findIndex((item) => empty(itemSchema, item, true));
        if (blank >= 0) out.push(...missingFields(itemSchema, items[blank]!, `${at}/${blank}`));
        else out.push({ path: at, need: 'add', count: least });
      }
      continue;
    }
    if (required.has(name) && empty(field, raw, true)) out.push({ path: at, need: needOf(field) });
  }
  return out;
}
