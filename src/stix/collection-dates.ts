// TAXII dates added, in microseconds, for the two sources of a collection in this process: objects
// kept as sent take odd dates (assigned under the audit lock, in commit order), objects made from
// alerts take even ones (assigned when TAXII reads the alerts' changes). One high-water mark per
// collection keeps every new date above every date handed out, whichever source it went to. Kept
// dates are handed out before their transaction commits: until it does, pages stop below the first
// of them (the horizon), so that a client never moves past a date that will still appear.
export function createCollectionDates() {
  const high = new Map<string, number>();
  const pending = new Map<string, Map<symbol, number>>();

  const above = (groupId: string, floor: number, parity: 0 | 1) => {
    let next = Math.max(floor, (high.get(groupId) ?? 0) + 1);
    if (next % 2 !== parity) next++;
    return next;
  };

  return {
    /** Raises the mark to a date already stored (the database's last kept date at start). */
    seen(groupId: string, us: number): void {
      if (us > (high.get(groupId) ?? 0)) high.set(groupId, us);
    },
    /**
     * `count` odd dates for kept objects, the first at or after `floor`; they hold the horizon until
     * `release` (after the commit or the rollback).
     */
    keep(groupId: string, floor: number, count: number): { first: number; release: () => void } {
      const first = above(groupId, floor, 1);
      high.set(groupId, first + 2 * (count - 1));
      const token = Symbol('kept');
      const held = pending.get(groupId) ?? new Map<symbol, number>();
      held.set(token, first);
      pending.set(groupId, held);
      return {
        first,
        release: () => {
          held.delete(token);
          if (held.size === 0) pending.delete(groupId);
        },
      };
    },
    /** The next even date for an object made from an alert, at or after `floor`. */
    derived(groupId: string, floor: number): number {
      const us = above(groupId, floor, 0);
      high.set(groupId, us);
      return us;
    },
    /** Pages serve dates below this: the first date of a kept transaction not yet committed. */
    horizon(groupId: string): number {
      const held = pending.get(groupId);
      return held ? Math.min(...held.values()) : Number.POSITIVE_INFINITY;
    },
  };
}

export type CollectionDates = ReturnType<typeof createCollectionDates>;

const perDatabase = new WeakMap<object, CollectionDates>();

/** The one set of marks of a node (its database): every STIX service and TAXII view of it shares them. */
export function collectionDatesOf(database: object): CollectionDates {
  let dates = perDatabase.get(database);
  if (!dates) {
    dates = createCollectionDates();
    perDatabase.set(database, dates);
  }
  return dates;
}
