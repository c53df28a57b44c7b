// The report as published: a JSON document (schema in report-schema.ts) signed as a compact JWS
// (EdDSA, the node's signing key) whose payload is the document itself, and the file people
// exchange: `{ report, jws }`. The checkpoint names the audit log state that covers every entry
// counted: figures are computed first, the tree head signed after, and the log only grows.
import type { PublishedFigure, ReportPeriod } from '../domain/indicators-report/index.ts';

export const REPORT_FORMAT = 'hanoi247/indicators-report/v1';

export type Checkpoint = {
  treeSize: number;
  rootHash: string;
  signedAt: string;
  kid: string;
  /** The node's signed tree head (typ hanoi247-tree-head). */
  jws: string;
};

export type IndicatorReport = {
  format: typeof REPORT_FORMAT;
  id: string;
  node: string;
  period: { id: string; kind: string; start: string; end: string; partial: boolean };
  generatedAt: string;
  suppressionThreshold: number;
  checkpoint: Checkpoint;
  figures: PublishedFigure[];
};

export type SignedReportFile = { report: IndicatorReport; jws: string };

export function reportDocument(input: {
  id: string;
  node: string;
  period: ReportPeriod;
  generatedAt: Date;
  threshold: number;
  checkpoint: Checkpoint;
  figures: PublishedFigure[];
}): IndicatorReport {
  const { period } = input;
  return {
    format: REPORT_FORMAT,
    id: input.id,
    node: input.node,
    period: {
      id: period.id,
      kind: period.kind,
      start: period.start.toISOString(),
      end: period.end.toISOString(),
      partial: period.partial,
    },
    generatedAt: input.generatedAt.toISOString(),
    suppressionThreshold: input.threshold,
    checkpoint: input.checkpoint,
    figures: input.figures,
  };
}
