// A TAXII collection as one keyset-paged sequence: the objects kept as clients sent them (in the
// database, src/stix/object-store.ts) merged with the STIX form of the alerts published in the
// collection (in memory, taxii-derived.ts). Each source gives at most limit + 1 entries past the
// query's start, so a page costs the same wherever it is in the collection.
import type { HubService } from '../hub/hub-service.ts';
import type { Viewer } from '../hub/hub-types.ts';
import type { CollectionDates } from '../stix/collection-dates.ts';
import type { ObjectStore } from '../stix/object-store.ts';
import { createDerivedRecords } from './taxii-derived.ts';
import {
  mergePage,
  type PageQuery,
  parseQuery,
  type TaxiiEntry,
  type TaxiiPage,
  type TaxiiQuery,
} from './taxii-paging.ts';

export function createTaxiiCollections(hub: HubService, store: ObjectStore, dates: CollectionDates) {
  const derived = createDerivedRecords(hub, store, dates);

  // The derived records first: their read fixes the horizon, and kept objects are read after it, so
  // that every kept object dated below what is served has committed before the query (no skipping).
  async function pageOf(viewer: Viewer, groupId: string, q: PageQuery, withObjects: boolean) {
    const made = await derived.page(viewer, groupId, q);
    const kept = await store.page(viewer, groupId, q, withObjects);
    return mergePage<TaxiiEntry>(q, made.entries.length ? [kept, made.entries] : [kept], made.horizon);
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
