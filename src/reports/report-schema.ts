// The published JSON Schema of a report, served without sign-in at
// /api/v1/public/reports/schema.json, built from the same lists the code computes with.
import { Type } from 'typebox';
import { DIMENSIONS, INDICATORS } from '../domain/indicators-report/index.ts';
import { REPORT_FORMAT } from './report-document.ts';

const Count = Type.Union([Type.Integer({ minimum: 0 }), Type.String({ pattern: '^<[0-9]+$' })], {
  description: 'a count, or "<N" where 1..N-1 cases were suppressed',
});
const NullableNumber = Type.Union([Type.Number(), Type.Null()]);

export const IndicatorReportSchema = Type.Object(
  {
    format: Type.Literal(REPORT_FORMAT),
    id: Type.String({ format: 'uuid' }),
    node: Type.String({ pattern: '^[A-Z]{2}$', description: 'the publishing State Party' }),
    period: Type.Object({
      id: Type.String({ examples: ['2026-Q4', '2026-11', '2026'] }),
      kind: Type.Union([Type.Literal('year'), Type.Literal('quarter'), Type.Literal('month')]),
      start: Type.String({ format: 'date-time' }),
      end: Type.String({ format: 'date-time', description: 'exclusive' }),
      partial: Type.Boolean({ description: 'the period was still running when the report was built' }),
    }),
    generatedAt: Type.String({ format: 'date-time' }),
    suppressionThreshold: Type.Integer({ minimum: 1 }),
    checkpoint: Type.Object(
      {
        treeSize: Type.Integer({ minimum: 0 }),
        rootHash: Type.String({ pattern: '^[0-9a-f]{64}$' }),
        signedAt: Type.String({ format: 'date-time' }),
        kid: Type.String(),
        jws: Type.String({ description: 'the signed tree head of the node audit log' }),
      },
      { description: 'the audit log state covering every entry counted' },
    ),
    figures: Type.Array(
      Type.Object({
        indicator: Type.Union(INDICATORS.map((i) => Type.Literal(i))),
        dimension: Type.Union(DIMENSIONS.map((d) => Type.Literal(d))),
        group: Type.Union([Type.String(), Type.Null()]),
        value: Count,
        medianHours: Type.Optional(NullableNumber),
        p90Hours: Type.Optional(NullableNumber),
        withinDeadlineShare: Type.Optional(
          Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()]),
        ),
      }),
    ),
  },
  { $id: 'indicators-report-v1', title: 'hanoi247 implementation indicators report' },
);

/** The schema as a standalone JSON Schema document. */
export function reportJsonSchema(): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    ...JSON.parse(JSON.stringify(IndicatorReportSchema)),
  };
}
