// The types of the alert use cases (one per file in this folder), in one place: what a publisher
// sends, the rows they write, and the hooks the federation hangs on a change.
import type { IndicatorType } from '../../domain/indicators/index.ts';
import type { Db } from '../../store/database.ts';
import type { hubAlerts, hubReports } from '../../store/schema/index.ts';
import type { AlertKind, AlertMeta, ReportKind, TlpLabel } from '../hub-types.ts';

export type RawIndicator = { type: string; value: string };
export type RejectedIndicator = { index: number; type: string; value: string; error: string };

export type PublishInput = {
  kind: AlertKind;
  title: string;
  description?: string;
  confidence: number;
  tlp: TlpLabel;
  groupId: string;
  recipientOrgIds?: string[];
  validFrom?: string | Date;
  validUntil?: string | Date | null;
  indicators: RawIndicator[];
  defaultCountry?: string;
};

export type UpdateInput = {
  title?: string;
  description?: string;
  confidence?: number;
  tlp?: TlpLabel;
  recipientOrgIds?: string[];
  validUntil?: string | Date | null;
  addIndicators?: RawIndicator[];
  removeIndicatorIds?: string[];
  defaultCountry?: string;
};

export type ReportInput = {
  kind: ReportKind;
  indicatorId?: string;
  count?: number;
  note?: string;
  observedAt?: string | Date;
};

export type AlertRow = typeof hubAlerts.$inferSelect;
export type Normalised = { type: IndicatorType; value: string };
/** rowNo is hub_indicators.row_no, the number the in-memory index keeps for the row. */
export type IndicatorRow = { id: string; rowNo: number; type: string; value: string };
/** What indexing a row needs of it. */
export type IndexedRow = Pick<IndicatorRow, 'rowNo' | 'type' | 'value'>;

/** A change made on this node, seen inside its transaction (the federation writes its outbox there). */
export type AlertChange = {
  event: 'published' | 'updated' | 'revoked';
  before: AlertMeta | null;
  after: AlertMeta;
  now: Date;
};
export type ChangeHook = (tx: Db, change: AlertChange) => Promise<void>;
// Its TAXII date is read by the TAXII view alone (src/taxii/taxii-positions.ts).
export type ReportRow = Omit<typeof hubReports.$inferSelect, 'taxiiUs'>;
/** Runs in the transaction of a sighting or false-positive report made on this node. */
export type FeedbackHook = (tx: Db, alert: AlertMeta, report: ReportRow, now: Date) => Promise<void>;
