// What the node's report API answers (src/reports/report-document.ts), as the desk reads it: the
// desk imports nothing of the server but src/domain, so the shapes are restated here.
import type { PublishedFigure } from '../../../domain/indicators-report/index.ts';

export type ReportSummary = {
  id: string;
  period: string;
  treeSize: number;
  rootHash: string;
  builtAt: string;
  releasedAt: string | null;
};

export type ReportPage = { items: ReportSummary[]; next: string | null };

export type IndicatorReport = {
  format: string;
  id: string;
  node: string;
  period: { id: string; kind: string; start: string; end: string; partial: boolean };
  generatedAt: string;
  suppressionThreshold: number;
  checkpoint: { treeSize: number; rootHash: string; signedAt: string; kid: string };
  figures: PublishedFigure[];
};

export type SignedReport = { report: IndicatorReport; jws: string };

export type LiveFigures = {
  period: { id: string; kind: string; start: string; end: string; partial: boolean };
  suppressionThreshold: number;
  figures: PublishedFigure[];
};

export type { DrillDown, DrillDownItem } from '../../../domain/indicators-report/index.ts';
