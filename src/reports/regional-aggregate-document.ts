// The regional aggregate as the hub signs it: its format and shape, apart from the federation code
// that builds it, so that `report verify` reads one without loading the federation.
import type { AggregateFigure } from '../domain/indicators-report/index.ts';

export const AGGREGATE_FORMAT = 'hanoi247/regional-aggregate/v1';

export type RegionalAggregate = {
  format: typeof AGGREGATE_FORMAT;
  region: string;
  hub: string;
  period: string;
  /** The latest member report's time: the same reports always give the same document. */
  generatedAt: string;
  members: {
    node: string;
    reportId: string;
    generatedAt: string;
    treeSize: number;
    rootHash: string;
  }[];
  figures: AggregateFigure[];
};
