// A TAXII collection as one keyset-paged sequence: the objects kept as clients sent them (in the
// database, src/stix/object-store.ts) merged with the STIX form of the alerts published in the
// collection (in memory, taxii-derived.ts). Each source gives at most limit + 1 entries past the
// query's start, so a page costs the same wherever it is in the collection. Every date comes from the
// database in commit order (taxii-positions.ts); the memory of alerts may lag behind it (another
// replica's alert is heard of a little later), so a page stops below the first alert or feedback in
// its range that the memory had not read at its date: `more` tells the client to come back. A page
// asks only about the dates past those the memory has checked (taxii-derived.ts, `checked`).
import type { Logger } from 'pino';
import type { HubService } from '../hub/hub-service.ts';
import type { Viewer } from '../hub/hub-types.ts';
import type { ObjectStore } from '../stix/object-store.ts';
import type { Database } from '../store/database.ts';
import { createDerivedRecords } from './taxii-derived.ts';
import {
  mergePage,
  type PageQuery,
  parseQuery,
  type TaxiiEntry,
  type TaxiiPage,
  type TaxiiQuery,
} from './taxii-paging.ts';
import { placedBetween } from './taxii-positions.ts';

export function createTaxiiCollections(
  hub: HubService,
  store: ObjectStore,
  database: Database,
  log?: Logger,
) {
  const derived = createDerivedRecords(hub, store, database.db, log);

  // In this order: the memory, the kept objects, the dates committed. A date is taken under a lock held
  // to the commit, so every date below one committed was committed before it: what the memory read
  // is in the kept objects' read (nothing kept below it is missing), and an alert below a kept object
  // read is in the last read, which names what the memory lacks.
  async function pageOf(viewer: Viewer, groupId: string, q: PageQuery, withObjects: boolean) {
    const made = await derived.page(viewer, groupId, q);
    const kept = await store.page(viewer, groupId, q, withObjects);
    const sources = made.entries.length ? [kept, made.entries] : [kept];
    const whole = mergePage<TaxiiEntry>(q, sources);
    if (q.ids) return whole;
    const from = Math.max(q.after ?? 0, q.cursor?.[0] ?? 0);
    const to = whole.more ? whole.items[whole.items.length - 1]!.addedUs : null;
    // Below the date the memory has checked, it had read every write: only the dates past it are
    // asked for (a page that is not full would otherwise read every alert past its start).
    const lo = made.checked === null ? from : made.checked + 1;
    if (to !== null && to < lo) return whole;
    let horizon = Number.POSITIVE_INFINITY;
    let unread = Number.POSITIVE_INFINITY;
    let top = lo - 1;
    for (const p of await placedBetween(database.db, groupId, lo, to)) {
      top = Math.max(top, p.reach);
      if (made.knew(p.id, p.us)) continue;
      unread = Math.min(unread, p.at);
      if (p.reach >= from) horizon = Math.min(horizon, p.at);
    }
    if (made.checked !== null) made.confirm(Math.min(unread - 1, to ?? top));
    return horizon === Number.POSITIVE_INFINITY ? whole : mergePage<TaxiiEntry>(q, sources, horizon);
  }

  return {
    /** A page of objects (with `withObjects`) or of manifest entries. */
    page(
      viewer: Viewer,
      groupId: string,
      query: TaxiiQuery,
      withObjects = true,
    ): Promise<TaxiiPage<TaxiiEntry>> {
      return pageOf(viewer, groupId, parseQuery(query), withObjects);
    },
    /** Whether the viewer may read any version of this object in the collection. */
    async holds(viewer: Viewer, groupId: string, id: string): Promise<boolean> {
      const q = parseQuery({ 'match[id]': id, 'match[version]': 'all', limit: 1 });
      return (await pageOf(viewer, groupId, q, false)).items.length > 0;
    },
    /** Every version of one object the viewer may read, oldest added first. */
    async versions(viewer: Viewer, groupId: string, id: string): Promise<TaxiiEntry[]> {
      const q = parseQuery({ 'match[id]': id, 'match[version]': 'all' }, { paginate: false });
      const all: TaxiiEntry[] = [];
      for (;;) {
        const p = await pageOf(viewer, groupId, q, false);
        all.push(...p.items);
        const tail = p.items[p.items.length - 1];
        if (!p.more || !tail) return all;
        q.cursor = [tail.addedUs, tail.id];
      }
    },
    /** Alerts whose kept objects were deleted: their STIX form is served again from the alert. */
    touch: derived.touch,
    stop: derived.stop,
  };
}

export type TaxiiCollections = ReturnType<typeof createTaxiiCollections>;
