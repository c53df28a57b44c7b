// The in-memory lookup the check API answers from. The database stays the source of truth: the index
// is rebuilt from it at start and changed after every commit. It holds row numbers only
// (hub_indicators.row_no), no id per row: the alert service tells the ids of a hit from its row owners
// and derived indicator ids, or reads them back from the database (src/hub/indicator-rows.ts).
// Kept behind this small interface so the packed index of src/hub-index and the plain Map one below
// (a reference for tests) answer alike.

/** Where a value was seen: which indicator of which alert. */
export type IndexRef = { alertId: string; indicatorId: string };

/** One indexed indicator row: its row number, its normalised value and its alert's sharing group. */
export type IndexEntry = {
  rowNo: number;
  type: string;
  value: string;
  groupId: string;
};

/**
 * What a sharing group's privacy-mode table is built from: the MAC of a value under the group's key
 * (HMAC-SHA-256, as members compute it), and the rows of the group's alerts, in pages. The pages may
 * name rows that are not indexed (revoked, expired, removed meanwhile): the index skips those.
 */
export type GroupSource = {
  digest(value: string): Uint8Array;
  /** Each row may bring its digest (kept in the database), which the build then takes as it is. */
  pages(): AsyncIterable<readonly { rowNo: number; type: string; value: string; digest?: Uint8Array }[]>;
};

export interface LookupIndex {
  /** Idempotent: a row already indexed is left as it is. */
  add(entry: IndexEntry): void;
  removeIndicator(entry: IndexEntry): void;
  /** Row numbers of the indexed rows holding this normalised value. */
  lookup(type: string, value: string): readonly number[];
  /**
   * Makes the group's privacy-mode table ready: built from `source` on the first call for the group,
   * then kept up to date by add and remove. Callers that arrive while it is built share that one
   * build; a failed build is forgotten, so the next call tries again.
   */
  prepareGroup(groupId: string, source: GroupSource): Promise<void>;
  /** Whether the group's privacy-mode table is built (prepareGroup's promise has resolved). */
  groupReady(groupId: string): boolean;
  /** Whether this row is indexed under this normalised value. */
  holds(type: string, value: string, rowNo: number): boolean;
  /** Row numbers under a member's digest (hex, either case) in a group made ready by prepareGroup. */
  lookupKeyed(groupId: string, type: string, keyedHash: string): readonly number[];
  readonly size: number;
}

const NONE: readonly number[] = Object.freeze([]);
const toHex = (digest: Uint8Array) => Buffer.from(digest).toString('hex');

export function createMapLookupIndex(): LookupIndex {
  const byValue = new Map<string, number[]>();
  const byKeyed = new Map<string, number[]>();
  const groups = new Map<string, { digest: (value: string) => Uint8Array; ready: Promise<void> }>();
  const built = new Set<string>();
  let size = 0;

  const put = (map: Map<string, number[]>, key: string, rowNo: number) => {
    const list = map.get(key);
    if (!list) map.set(key, [rowNo]);
    else if (!list.includes(rowNo)) list.push(rowNo);
    else return false;
    return true;
  };
  const drop = (map: Map<string, number[]>, key: string, rowNo: number) => {
    const list = map.get(key);
    if (!list) return false;
    const at = list.indexOf(rowNo);
    if (at < 0) return false;
    list.splice(at, 1);
    if (list.length === 0) map.delete(key);
    return true;
  };
  const valueKey = (type: string, value: string) => `${type}\u0000${value}`;
  const keyedKey = (groupId: string, type: string, hex: string) => `${groupId}\u0000${type}\u0000${hex}`;

  return {
    add(entry) {
      if (put(byValue, valueKey(entry.type, entry.value), entry.rowNo)) size++;
      const group = groups.get(entry.groupId);
      if (group)
        put(byKeyed, keyedKey(entry.groupId, entry.type, toHex(group.digest(entry.value))), entry.rowNo);
    },
    removeIndicator(entry) {
      if (drop(byValue, valueKey(entry.type, entry.value), entry.rowNo)) size--;
      const group = groups.get(entry.groupId);
      if (group)
        drop(byKeyed, keyedKey(entry.groupId, entry.type, toHex(group.digest(entry.value))), entry.rowNo);
    },
    lookup: (type, value) => byValue.get(valueKey(type, value)) ?? NONE,
    groupReady: (groupId) => built.has(groupId),
    holds: (type, value, rowNo) => byValue.get(valueKey(type, value))?.includes(rowNo) ?? false,
    prepareGroup(groupId, source) {
      const known = groups.get(groupId);
      if (known) return known.ready;
      const ready = (async () => {
        for await (const page of source.pages())
          for (const row of page)
            if (byValue.get(valueKey(row.type, row.value))?.includes(row.rowNo))
              put(byKeyed, keyedKey(groupId, row.type, toHex(source.digest(row.value))), row.rowNo);
        built.add(groupId);
      })();
      groups.set(groupId, { digest: source.digest, ready });
      ready.catch(() => {
        groups.delete(groupId);
        for (const key of [...byKeyed.keys()]) if (key.startsWith(`${groupId}\u0000`)) byKeyed.delete(key);
      });
      return ready;
    },
    lookupKeyed: (groupId, type, keyedHash) =>
      byKeyed.get(keyedKey(groupId, type, keyedHash.toLowerCase())) ?? NONE,
    get size() {
      return size;
    },
  };
}
