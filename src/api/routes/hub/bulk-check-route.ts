// POST /api/v1/hub/check: a bulk list read as JSON, NDJSON or lean text/plain lines, and answered in
// full (JSON, or NDJSON streamed), short, compact or as hits only.
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { NodeContext } from '../../../context.ts';
import type { IndicatorType } from '../../../domain/indicators/index.ts';
import { type CheckItemResult, MAX_BULK_CHECK } from '../../../hub/check-service.ts';
import type { CheckMatch } from '../../../hub/hub-types.ts';
import { AppError, ValidationError } from '../../../shared/errors.ts';
import { errorResponses, ProblemSchema } from '../../schemas.ts';
import { guardDownload, readGuardedText } from '../../stream-guard.ts';
import { viewerOf } from './alert-routes.ts';
import { compactAnswerText, hitsAnswerText, jsonString } from './check-answer-text.ts';
import { knownType, parseCheckLines } from './check-lines.ts';
import {
  CheckItemResultSchema,
  COMPACT_CHECK,
  CompactCheckSchema,
  HITS_CHECK,
  HitsCheckSchema,
  HUB_ROLES,
  IndicatorTypeSchema,
} from './hub-schemas.ts';

export const NDJSON = 'application/x-ndjson';
export const LINES = 'text/plain';
export const BULK_BODY_LIMIT = 64 * 1024 * 1024;

export class TooManyValuesError extends AppError {
  constructor(count: number) {
    super(
      'ERR_TOO_MANY_VALUES',
      413,
      `A bulk check takes at most ${MAX_BULK_CHECK.toLocaleString('en')} values; this request has ${count.toLocaleString('en')}. Split it.`,
      { limit: MAX_BULK_CHECK, received: count },
    );
  }
}

/**
 * A line of the usual shape, {"type":"…","value":"…"} with no escapes or spaces, read without
 * JSON.parse (a bulk check reads 100,000 of them) and given to `take`; false for any other line,
 * which JSON.parse reads.
 */
function plainItem(text: string, from: number, to: number, take: Take): boolean {
  const TYPE = '{"type":"';
  const VALUE = '","value":"';
  if (!text.startsWith(TYPE, from) || text.charCodeAt(to - 1) !== 125 || text.charCodeAt(to - 2) !== 34)
    return false;
  const typeEnd = text.indexOf('"', from + TYPE.length);
  if (typeEnd < 0 || !text.startsWith(VALUE, typeEnd)) return false;
  const type = knownType(text, from + TYPE.length, typeEnd) ?? text.slice(from + TYPE.length, typeEnd);
  if (type.includes('\\')) return false;
  const valueStart = typeEnd + VALUE.length;
  const valueEnd = to - 2;
  if (valueEnd < valueStart) return false;
  // A quote, a backslash or a control character inside means escapes: JSON.parse decides.
  for (let i = valueStart; i < valueEnd; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 || c === 92 || c < 32) return false;
  }
  take(type, text.slice(valueStart, valueEnd));
  return true;
}

/** Receives each item of a bulk body, in order. */
type Take = (type: unknown, value: unknown) => void;

/** Reads an NDJSON body: one {"type","value"} object per line, each given to `take`; blank lines are skipped. */
function parseNdjson(text: string, take: Take): void {
  let line = 0;
  let count = 0;
  for (let start = 0; start <= text.length; ) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    line++;
    let from = start;
    let to = end;
    start = end + 1;
    while (from < to && text.charCodeAt(from) <= 32) from++;
    while (to > from && text.charCodeAt(to - 1) <= 32) to--;
    if (from === to) continue;
    if (count >= MAX_BULK_CHECK) throw new TooManyValuesError(count + 1);
    count++;
    if (plainItem(text, from, to, take)) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text.slice(from, to));
    } catch {
      throw new ValidationError([{ field: `body/line ${line}`, message: 'is not a JSON object' }]);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new ValidationError([
        { field: `body/line ${line}`, message: 'must be an object {"type","value"}' },
      ]);
    const item = parsed as { type: unknown; value: unknown };
    take(item.type, item.value);
  }
}

/**
 * NDJSON lines for results, the same text JSON.stringify gives, built without it (no object walk):
 * a match's alert fields are written once per alert and request, since a bulk check names few alerts.
 */
function resultLines() {
  const alertTail = new Map<string, string>();
  const matchText = (m: CheckMatch) => {
    let tail = alertTail.get(m.alertId);
    if (tail === undefined) {
      tail = `"kind":${jsonString(m.kind)},"title":${jsonString(m.title)},"confidence":${m.confidence},"tlp":${jsonString(m.tlp)},"validUntil":${m.validUntil === null ? 'null' : jsonString(m.validUntil)}}`;
      alertTail.set(m.alertId, tail);
    }
    // Ids are UUIDs: nothing in them to escape.
    return `{"alertId":"${m.alertId}","indicatorId":"${m.indicatorId}",${tail}`;
  };
  return (r: CheckItemResult): string => {
    if (!('matches' in r)) return `${JSON.stringify(r)}\n`;
    // A result with matches has a known indicator type (plain lowercase letters).
    const head = `{"i":${r.i},"type":"${r.type}","value":${jsonString(r.value)},"matches":[`;
    if (r.matches.length === 0) return `${head}]}\n`;
    return `${head}${r.matches.map(matchText).join(',')}]}\n`;
  };
}

/** A body parser giving the text of a bulk list, read while the credentials that send it hold. */
export function guardedText(ctx: NodeContext) {
  return (request: FastifyRequest, body: Readable, done: (error: Error | null, text?: string) => void) => {
    readGuardedText(ctx, request, body, HUB_ROLES, BULK_BODY_LIMIT).then(
      (text) => done(null, text),
      (error: Error) => done(error, undefined),
    );
  };
}

/**
 * POST /api/v1/hub/check: a bulk list as JSON, NDJSON or text/plain lines, answered in full, short,
 * compact or as hits only.
 */
export function bulkCheckRoute(app: FastifyInstance, ctx: NodeContext): void {
  const { check } = ctx.hub;
  app.post(
    '/api/v1/hub/check',
    {
      config: { access: HUB_ROLES },
      bodyLimit: BULK_BODY_LIMIT,
      schema: {
        tags: ['hub'],
        summary: `Check up to ${MAX_BULK_CHECK} values: a JSON array, NDJSON (one {"type","value"} per line, answered as NDJSON, streamed), or text/plain lines (type<TAB>value, or one value per line with ?type=)`,
        description:
          'The text/plain body is the lean one: a client joins its values with newlines, with the type given once per call (?type=) or before a tab on each line; a CR before the newline is allowed and empty lines are skipped (i counts values, not lines). A line without a tab when ?type= is not given is a 400 naming the line. With answer=hits the answer names each alert once and each hit as two numbers, which a client reads without a string per hit.',
        querystring: Type.Object({
          country: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$' })),
          type: Type.Optional(
            Type.Union(IndicatorTypeSchema.anyOf, {
              description:
                'text/plain body only: every line is a value of this type (no tab, no type per line)',
            }),
          ),
          omit: Type.Optional(
            Type.Literal('misses', {
              description:
                'a shorter answer: values that matched nothing are left out (each result keeps its index i); errors stay',
            }),
          ),
          answer: Type.Optional(
            Type.Union([Type.Literal('full'), Type.Literal('compact'), Type.Literal('hits')], {
              default: 'full',
              description: `full: one result per value (JSON; NDJSON for NDJSON in). compact: one JSON document in ${COMPACT_CHECK} for any body, each alert with a hit named once and each hit as [i, alert, indicatorId]; values that matched nothing take no bytes (omit is then moot). hits: the compact answer without indicator ids, in ${HITS_CHECK}, the hits as one flat list of numbers [i, alert, i, alert, …]`,
            }),
          ),
        }),
        body: {
          content: {
            'application/json': {
              schema: Type.Array(Type.Object({ type: Type.Unknown(), value: Type.Unknown() })),
            },
            [NDJSON]: { schema: Type.String() },
            [LINES]: { schema: Type.String() },
          },
        },
        response: {
          200: {
            description:
              'the full answer (answer=full, the default), the compact one (answer=compact) or the hits (answer=hits)',
            content: {
              'application/json': {
                schema: Type.Object({
                  checked: Type.Integer(),
                  matched: Type.Integer(),
                  results: Type.Array(CheckItemResultSchema),
                }),
              },
              [COMPACT_CHECK]: { schema: CompactCheckSchema },
              [HITS_CHECK]: { schema: HitsCheckSchema },
            },
          },
          413: ProblemSchema,
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const viewer = viewerOf(ctx, request);
      const { country, omit, answer, type } = request.query as {
        country?: string;
        omit?: 'misses';
        answer?: 'full' | 'compact' | 'hits';
        type?: IndicatorType;
      };
      const lines = (request.headers['content-type'] ?? '').toLowerCase().startsWith(LINES);
      const ndjson = !lines && typeof request.body === 'string';
      if (type !== undefined && !lines)
        throw new ValidationError([{ field: 'querystring/type', message: 'is for a text/plain body only' }]);
      let items = request.body as { type: unknown; value: unknown }[];
      if (answer === 'compact' || answer === 'hits' || lines) {
        // Two columns, not an object per value.
        const types: unknown[] = [];
        const values: unknown[] = [];
        const take: Take = (t, value) => {
          types.push(t);
          values.push(value);
        };
        if (lines)
          parseCheckLines(
            request.body as string,
            type,
            types,
            values,
            MAX_BULK_CHECK,
            (count) => new TooManyValuesError(count),
          );
        else if (ndjson) parseNdjson(request.body as string, take);
        else {
          if (items.length > MAX_BULK_CHECK) throw new TooManyValuesError(items.length);
          for (const item of items) take(item?.type, item?.value);
        }
        // As bytes: a text answer is measured (Buffer.byteLength) and encoded apart, each a walk of
        // it. Fastify names the charset of text answers only: it is said here, as it was.
        if (answer === 'compact')
          return reply
            .type(`${COMPACT_CHECK}; charset=utf-8`)
            .send(
              Buffer.from(compactAnswerText(await check.checkManyCompact(viewer, types, values, country))),
            );
        if (answer === 'hits')
          return reply
            .type(`${HITS_CHECK}; charset=utf-8`)
            .send(Buffer.from(hitsAnswerText(await check.checkManyHits(viewer, types, values, country))));
        items = types.map((t, k) => ({ type: t, value: values[k] }));
      } else if (ndjson) {
        items = [];
        parseNdjson(request.body as string, (t, value) => items.push({ type: t, value }));
      }
      if (items.length > MAX_BULK_CHECK) throw new TooManyValuesError(items.length);
      const all = await check.checkMany(viewer, items, country);
      const results = omit === 'misses' ? all.filter((r) => !('matches' in r) || r.matches.length > 0) : all;
      if (ndjson) {
        // Lines go out as they are answered, in chunks, so a big list starts arriving at once.
        const resultLine = resultLines();
        const chunks = (function* () {
          let chunk = '';
          for (const r of results) {
            chunk += resultLine(r);
            if (chunk.length >= 64 * 1024) {
              yield chunk;
              chunk = '';
            }
          }
          if (chunk) yield chunk;
        })();
        // A slow reader of 100,000 lines is cut once the credentials that asked no longer hold.
        return reply.type(NDJSON).send(guardDownload(ctx, request, Readable.from(chunks), HUB_ROLES));
      }
      return {
        checked: all.length,
        matched: all.filter((r) => 'matches' in r && r.matches.length > 0).length,
        results,
      };
    },
  );
}
