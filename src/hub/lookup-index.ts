// The in-memory lookup the check API answers from. The database stays the source of truth: the index
// is rebuilt from it at start and changed after every commit. Kept behind this small interface so the
// faster packed index in src/hub-index can replace the Map without touching the service.

/** Where a value was seen: which indicator of which alert. */
export type IndexRef = { alertId: string; indicatorId: string };

export type IndexEntry = IndexRef & {
  type: string;
  value: string;
  /** HMAC-SHA-256 hex of the value under the alert's sharing-group key (privacy mode). */
  groupId: string;
  keyedHash: string;
};

export interface LookupIndex {
  add(entry: IndexEntry): void;
  removeIndicator(entry: IndexEntry): void;
  lookup(type: string, value: string): readonly IndexRef[];
  lookupKeyed(groupId: string, type: string, keyedHash: string): readonly IndexRef[];
  readonly size: number;
}

const NONE: readonly IndexRef[] = Object.freeze([]);

export function createMapLookupIndex(): LookupIndex {
  const byValue = new Map<string, IndexRef[]>();
  const byKeyed = new Map<string, IndexRef[]>();
  let size = 0;

  const put = (map: Map<string, IndexRef[]>, key: string, ref: IndexRef) => {
    const list = map.get(key);
    if (!list) map.set(key, [ref]);
    else if (!list.some((r) => r.indicatorId === ref.indicatorId)) list.push(ref);
    else return false;
    return true;
  };
  const drop = (map: Map<string, IndexRef[]>, key: string, indicatorId: string) => {
    const list = map.get(key);
    if (!list) return false;
    const at = list.findIndex((r) => r.indicatorId === indicatorId);
    if (at < 0) return false;
    list.splice(at, 1);
    if (list.length === 0) map.delete(key);
    return true;
  };

  return {
    add(entry) {
      const ref = { alertId: entry.alertId, indicatorId: entry.indicatorId };
      if (put(byValue, `${entry.type}\u0000${entry.value}`, ref)) size++;
      put(byKeyed, `${entry.groupId}\u0000${entry.type}\u0000${entry.keyedHash}`, ref);
    },
    removeIndicator(entry) {
      if (drop(byValue, `${entry.type}\u0000${entry.value}`, entry.indicatorId)) size--;
      drop(byKeyed, `${entry.groupId}\u0000${entry.type}\u0000${entry.keyedHash}`, entry.indicatorId);
    },
    lookup: (type, value) => byValue.get(`${type}\u0000${value}`) ?? NONE,
    lookupKeyed: (groupId, type, keyedHash) =>
      byKeyed.get(`${groupId}\u0000${type}\u0000${keyedHash.toLowerCase()}`) ?? NONE,
    get size() {
      return size;
    },
  };
}
