// The context of the check use cases (one per file in this folder) and the types they answer with.
import type { Clock } from '../../shared/clock.ts';
import type { AlertService } from '../alert-service.ts';
import type { CheckMatch } from '../hub-types.ts';
import type { IndicatorRows } from '../indicator-rows.ts';
import type { LookupIndex } from '../lookup-index.ts';
import type { Membership } from '../membership.ts';
import type { PrivacyDigests } from '../privacy-digests.ts';

export type CheckContext = {
  clock: Clock;
  index: LookupIndex;
  rows: IndicatorRows;
  alerts: AlertService;
  membership: Membership;
  /** Stores a group's first privacy-mode use, so later starts build its table in the background. */
  markPrivacyUsed?: (groupId: string) => Promise<void>;
  /** The digests kept with the rows, for privacy-mode checks before the group's table is built. */
  digests?: PrivacyDigests;
};

export type CheckItemResult =
  | { i: number; type: string; value: string; matches: CheckMatch[] }
  | { i: number; type: string; input: string; error: string };
