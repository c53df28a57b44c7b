// The STIX form of the alerts published in a collection (not of alerts an import made from kept
// indicators: those are served as sent), held in memory per collection in date-added order so that a
// TAXII page is a binary search and a short scan, not a rebuild of the collection. Built once from
// the alerts at the first read; afterwards only the alerts the hub's events name are redone, at the
// next read. A redone alert's objects move to the end of the collection (they changed: a client that
// pages by added_after or next sees them again), each at its own even microsecond (kept objects take
// the odd ones, src/stix/object-store.ts), so that none tie. Identities, TLP markings and extension
// definitions recur across alerts: each is held once, at the date it first came, and is readable by
// whoever may read one of the alerts that brought it.
import type { HubService } from '../hub/hub-service.ts';
import type { AlertMeta, AlertView, Viewer } from '../hub/hub-types.ts';
import { canRead } from '../hub/visibility.ts';
import type { CollectionDates } from '../stix/collection-dates.ts';
import type { ObjectStore } from '../stix/object-store.ts';
import { alertsToStix, type StixObject } from '../stix/stix-export.ts';
import { stixId } from '../stix/stix-ids.ts';
import { byKey, type PageQuery, pastStart, type TaxiiEntry, versionString } from './taxii-paging.ts';

/** Who may read a record: readers of the alert, and for feedback only its publisher and reporter. */
type Grant = { alertId: string; reporterOrg: string | null };
type DerivedRecord = TaxiiEntry & {
  object: StixObject;
  grants: Grant[];
  owner: string | null;
  dead: boolean;
};

type Collection = {
  records: DerivedRecord[];
  /** The live record of each object id. */
  byId: Map<string, DerivedRecord>;
  /** The records an alert owns (its report, indicators and feedback). */
  byAlert: Map<string, DerivedRecord[]>;
  last: number;
  deadCount: number;
  /** Alerts changed since the last read (null: the collection was never built). */
  dirty: Set<string> | null;
  busy: Promise<void>;
};

export function createDerivedRecords(hub: HubService, store: ObjectStore, dates: CollectionDates) {
  const collections = new Map<string, Collection>();
  const orgOf = (id: string) => hub.membership.findOrg(id);

  const unsubscribe = hub.events.subscribe((event) => touch(event.alert.groupId, [event.alert.id]));

  /** Marks alerts to redo at the next read of their collection. */
  function touch(groupId: string, alertIds: string[]): void {
    const c = collections.get(groupId);
    if (c?.dirty) for (const id of alertIds) c.dirty.add(id);
  }

  function visible(viewer: Viewer, r: DerivedRecord): boolean {
    return r.grants.some((g) => {
      const meta = hub.alerts.meta(g.alertId);
      if (!meta || !canRead(viewer, meta)) return false;
      return g.reporterOrg === null || viewer.orgId === meta.publisherOrgId || viewer.orgId === g.reporterOrg;
    });
  }

  function kill(c: Collection, r: DerivedRecord): void {
    r.dead = true;
    c.deadCount++;
    if (c.byId.get(r.id) === r) c.byId.delete(r.id);
  }

  /** Who may read each of an alert's objects: its readers; feedback and its reporter's identity, fewer. */
  function grantsOf(view: AlertView, objects: StixObject[], own: StixObject[]): Map<StixObject, Grant> {
    const reporters = new Map(view.feedback.map((f) => [stixId.identity(f.orgId), f.orgId]));
    const out = new Map<StixObject, Grant>();
    const firstFeedback = own.length - view.feedback.length;
    for (const [i, o] of own.entries()) {
      const reporterOrg = i >= firstFeedback ? view.feedback[i - firstFeedback]!.orgId : null;
      out.set(o, { alertId: view.id, reporterOrg });
    }
    for (const o of objects.slice(0, objects.length - own.length)) {
      const reporter = o.id === stixId.identity(view.publisherOrgId) ? null : (reporters.get(o.id) ?? null);
      out.set(o, { alertId: view.id, reporterOrg: reporter });
    }
    return out;
  }

  /**
   * Appends the objects of one alert (as its publisher sees it, all feedback included). At the first
   * build dates follow the alerts' last changes; afterwards they come from the node's marks, above any
   * date a page may have served.
   */
  function add(
    c: Collection,
    groupId: string,
    view: AlertView,
    building: boolean,
    previous: Map<string, DerivedRecord>,
  ): void {
    const objects = alertsToStix([view], orgOf);
    // alertsToStix puts the alert's own objects (alertObjects) last: its report, indicators, feedback.
    const own = objects.slice(objects.length - (1 + view.indicators.length + view.feedback.length));
    const grants = grantsOf(view, objects, own);
    const ownIds = new Set(own.map((o) => o.id));
    const fresh: DerivedRecord[] = [];
    const kept: DerivedRecord[] = [];
    for (const object of objects) {
      const grant = grants.get(object)!;
      const held = ownIds.has(object.id) ? undefined : c.byId.get(object.id);
      if (held) {
        if (!held.grants.some((g) => g.alertId === grant.alertId && g.reporterOrg === grant.reporterOrg))
          held.grants.push(grant);
        continue;
      }
      const owner = ownIds.has(object.id) ? view.id : null;
      const version = versionString(object);
      // An object of the alert that did not change keeps its date: a client that read it does not
      // read it again (a sighting added to an alert leaves its report and indicators where they are).
      const before = previous.get(object.id);
      if (before && before.version === version) {
        previous.delete(object.id);
        before.object = object;
        before.grants = [grant];
        kept.push(before);
        continue;
      }
      fresh.push({ addedUs: 0, id: object.id, version, object, grants: [grant], owner, dead: false });
    }
    fresh.sort(byKey);
    const from = new Date(view.updatedAt).getTime() * 1000;
    for (const r of fresh) {
      r.addedUs = building ? Math.max(from, c.last + 2) : dates.derived(groupId, Math.max(from, c.last + 2));
      c.last = r.addedUs;
      c.records.push(r);
      c.byId.set(r.id, r);
    }
    c.byAlert.set(view.id, [...kept, ...fresh.filter((r) => r.owner !== null)]);
  }

  /** Redoes these alerts of a collection, in the order they changed. */
  async function redo(c: Collection, groupId: string, alertIds: string[], building = false): Promise<void> {
    // The alerts' records before: those that come back unchanged are kept, the others die.
    const previous = new Map<string, Map<string, DerivedRecord>>();
    for (const id of alertIds) {
      previous.set(id, new Map((c.byAlert.get(id) ?? []).map((r) => [r.id, r])));
      c.byAlert.delete(id);
    }
    const metas = alertIds
      .map((id) => hub.alerts.meta(id))
      .filter((m): m is AlertMeta => m !== null && m.groupId === groupId);
    const imported = await store.importedAlerts(metas.map((m) => m.id));
    const wanted = metas
      .filter((m) => !imported.has(m.id))
      .sort((a, b) => a.updatedAt.getTime() - b.updatedAt.getTime() || (a.id < b.id ? -1 : 1));
    const byPublisher = new Map<string, AlertMeta[]>();
    for (const m of wanted) {
      const list = byPublisher.get(m.publisherOrgId);
      if (list) list.push(m);
      else byPublisher.set(m.publisherOrgId, [m]);
    }
    const views = new Map<string, AlertView>();
    for (const [orgId, list] of byPublisher) {
      const publisher: Viewer = { userId: '', roles: [], orgId, groupIds: [groupId] };
      for (const v of await hub.alerts.viewsOf(publisher, list)) views.set(v.id, v);
    }
    for (const m of wanted) {
      const view = views.get(m.id);
      if (view) add(c, groupId, view, building, previous.get(m.id)!);
    }
    for (const gone of previous.values()) for (const r of gone.values()) kill(c, r);
    if (c.deadCount > c.records.length / 2) {
      c.records = c.records.filter((r) => !r.dead);
      c.deadCount = 0;
    }
  }

  /** The collection's records, brought up to date with the alerts changed since the last read. */
  async function current(groupId: string): Promise<Collection> {
    let c = collections.get(groupId);
    if (!c) {
      c = {
        records: [],
        byId: new Map(),
        byAlert: new Map(),
        last: -2,
        deadCount: 0,
        dirty: null,
        busy: Promise.resolve(),
      };
      collections.set(groupId, c);
    }
    const col = c;
    // One refresh at a time per collection: a second reader waits for the first, then finds less to do.
    const run = col.busy.then(async () => {
      if (col.dirty === null) {
        col.dirty = new Set();
        await redo(col, groupId, hub.alerts.idsOfGroup(groupId), true);
        dates.seen(groupId, col.last);
        dates.seen(groupId, await store.lastDate(groupId));
      } else if (col.dirty.size > 0) {
        const ids = [...col.dirty];
        col.dirty.clear();
        await redo(col, groupId, ids);
      }
    });
    // A refresh that failed leaves records half done: the next read builds the collection anew.
    col.busy = run.catch(() => {
      if (collections.get(groupId) === col) collections.delete(groupId);
    });
    await run;
    return col;
  }

  /** Index of the first record past the keyset position (date added, id), by binary search. */
  function firstPast(records: DerivedRecord[], us: number, id: string): number {
    let lo = 0;
    let hi = records.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const r = records[mid]!;
      if (r.addedUs < us || (r.addedUs === us && r.id <= id)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  function matches(q: PageQuery, r: DerivedRecord): boolean {
    const o = r.object;
    if (q.ids && !q.ids.includes(o.id)) return false;
    if (q.types && !q.types.includes(o.type)) return false;
    if (q.specs && !q.specs.includes(String(o.spec_version ?? '2.1'))) return false;
    // One version per object here: it is the first and the last.
    return q.versions.some((v) => typeof v !== 'number' || Date.parse(r.version) === v);
  }

  return {
    touch,
    /**
     * The first limit + 1 records past the query's start that the viewer may read, below the horizon
     * (collection-dates.ts), which is taken here, after this read's changes got their dates: the
     * caller reads kept objects after this and serves nothing from the horizon on.
     */
    async page(
      viewer: Viewer,
      groupId: string,
      q: PageQuery,
    ): Promise<{ entries: TaxiiEntry[]; horizon: number }> {
      const c = await current(groupId);
      // From here to the return nothing awaits: no other read adds records meanwhile.
      const horizon = dates.horizon(groupId);
      const out: TaxiiEntry[] = [];
      const take = (r: DerivedRecord) =>
        r.addedUs < horizon && pastStart(q, r) && matches(q, r) && visible(viewer, r);
      if (q.ids) {
        for (const id of q.ids) {
          const r = c.byId.get(id);
          if (r && take(r)) out.push(r);
        }
        return { entries: out.sort(byKey).slice(0, q.limit + 1), horizon };
      }
      const start = Math.max(
        q.after !== null ? firstPast(c.records, q.after, '\uffff') : 0,
        q.cursor ? firstPast(c.records, q.cursor[0], q.cursor[1]) : 0,
      );
      for (let i = start; i < c.records.length && out.length <= q.limit; i++) {
        const r = c.records[i]!;
        if (r.addedUs >= horizon) break;
        if (!r.dead && take(r)) out.push(r);
      }
      return { entries: out, horizon };
    },
    stop: unsubscribe,
  };
}

export type DerivedRecords = ReturnType<typeof createDerivedRecords>;
