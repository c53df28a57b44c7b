// What a figure's drill-down answers: the facts behind one figure. The node builds it
// (src/reports/compute-indicators.ts) and the desk reads it, so both take the shape from here.

export type DrillDownItem = {
  objectType: string;
  objectId: string;
  at: string;
  auditSeq: number | null;
  confidential: boolean;
};

export type DrillDown = {
  indicator: string;
  dimension: string;
  group: string | null;
  /** Every fact behind the figure, before suppression: the figure's raw count. */
  count: number;
  items: DrillDownItem[];
  /** Confidential requests counted in the figure and not listed to this reader. */
  hidden: number;
};
