// The LookupIndex of src/hub backed by HubIndex. The index ids are the rows' hub_indicators.row_no, so
// nothing else is held per row: 16 bytes a slot in the value table and no ids (the alert service
// tells them for a hit, see src/hub/check-service.ts).
//
// Privacy-mode tables are built per sharing group on its first privacy-mode check, not at start:
// most groups never use privacy mode, and building them all meant one HMAC and 16 table bytes per
// indicator. While a group's table is built, adds and removes of the group's rows go to it at once;
// a row read from the database is taken only if the value table holds it at that moment, so a row
// removed (or never indexed) while the pages were read stays out.
import { isIndicatorType } from '../domain/indicators/index.ts';
import type { GroupSource, IndexEntry, LookupIndex } from '../hub/lookup-index.ts';
import { HubIndex, type HubIndexOptions, type HubIndexStats } from './hub-index.ts';
import { parsePrivacyDigest } from './privacy.ts';

export type PackedLookupIndex = LookupIndex & {
  readonly index: HubIndex;
  /** Bytes of the value table that serves exact checks. */
  readonly bytes: number;
  /** Bytes of the privacy-mode tables built so far. */
  readonly privacyBytes: number;
  stats(): HubIndexStats;
};

type GroupState = { digest: (value: string) => Uint8Array; ready: Promise<void>; built: boolean };

const NONE: readonly number[] = Object.freeze([]);
/** Rows digested between two turns of the event loop while a group's table is built. */
const YIELD_EVERY = 1_000;

export function createPackedLookupIndex(options: HubIndexOptions = {}): PackedLookupIndex {
  const index = new HubIndex(options);
  const groups = new Map<string, GroupState>();
  const scratch: number[] = [];

  async function build(groupId: string, source: GroupSource): Promise<void> {
    for await (const page of source.pages()) {
      for (let at = 0; at < page.length; at++) {
        // An HMAC costs some microseconds: exact checks get the event loop between slices.
        if (at > 0 && at % YIELD_EVERY === 0) await new Promise<void>((resolve) => setImmediate(resolve));
        // Test and add with no await between them: removing the row afterwards removes its digest too.
        const row = page[at]!;
        if (!isIndicatorType(row.type) || !index.has(row.type, row.value, row.rowNo)) continue;
        index.addDigest(groupId, row.type, row.digest ?? source.digest(row.value), row.rowNo);
      }
    }
  }

  return {
    index,
    get bytes() {
      return index.stats().bytes;
    },
    get privacyBytes() {
      return index.stats().groupBytes;
    },
    stats: () => index.stats(),
    add(entry: IndexEntry) {
      if (!isIndicatorType(entry.type)) throw new TypeError(`unknown indicator type ${entry.type}`);
      if (!index.add(entry.type, entry.value, entry.rowNo)) return;
      const group = groups.get(entry.groupId);
      if (group) index.addDigest(entry.groupId, entry.type, group.digest(entry.value), entry.rowNo);
    },
    removeIndicator(entry: IndexEntry) {
      if (!isIndicatorType(entry.type)) return;
      if (!index.remove(entry.type, entry.value, entry.rowNo)) return;
      const group = groups.get(entry.groupId);
      if (group) index.removeDigest(entry.groupId, entry.type, group.digest(entry.value), entry.rowNo);
    },
    // A miss (most checks) allocates nothing: the ids go to a scratch array, copied only on a hit.
    lookup(type: string, value: string) {
      if (!isIndicatorType(type)) return NONE;
      scratch.length = 0;
      return index.lookupInto(type, value, scratch) === 0 ? NONE : scratch.slice();
    },
    prepareGroup(groupId: string, source: GroupSource) {
      const known = groups.get(groupId);
      if (known) return known.ready;
      // Registered before the first page is read, so that changes made meanwhile reach the table.
      const state: GroupState = { digest: source.digest, ready: build(groupId, source), built: false };
      groups.set(groupId, state);
      state.ready.then(
        () => {
          state.built = true;
        },
        () => {},
      );
      state.ready.catch(() => {
        if (groups.get(groupId) !== state) return;
        groups.delete(groupId);
        index.dropGroup(groupId);
      });
      return state.ready;
    },
    groupReady: (groupId: string) => groups.get(groupId)?.built === true,
    holds: (type: string, value: string, rowNo: number) =>
      isIndicatorType(type) && index.has(type, value, rowNo),
    lookupKeyed(groupId: string, type: string, keyedHash: string) {
      const digest = parsePrivacyDigest(keyedHash);
      return digest && isIndicatorType(type) ? index.lookupDigest(groupId, type, digest) : NONE;
    },
    get size() {
      return index.size;
    },
  };
}
