// The STIX form of the alerts published in a collection (not of alerts an import made from kept
// indicators: those are served as sent), held in memory per collection in date-added order so that a
// TAXII page is a binary search and a short scan, not a rebuild of the collection. Built once from
// the alerts at the first read; afterwards only the alerts the hub's events name are redone, at the
// next read. Every object's date comes from the database (src/taxii/taxii-positions.ts): an alert's
// objects are at the run of even dates its last change took (a changed alert moves to the end of the
// collection: a client that pages by added_after or next sees it again), a feedback's at its own, so
// that every replica of a node gives every object the same date. Identities, TLP markings and
// extension definitions recur across alerts: each is held once, at the date the database gave it when
// a write first brought it to the collection (hub_taxii_shared), and is readable by whoever may read
// one of the alerts that brought it.
import type { Logger } from 'pino';
import type { HubService } from '../hub/hub-service.ts';
import type { AlertMeta, AlertView, Viewer } from '../hub/hub-types.ts';
import { canRead } from '../hub/visibility.ts';
import type { ObjectStore } from '../stix/object-store.ts';
import { alertObjects, identityFor, type StixObject } from '../stix/stix-export.ts';
import { extensionsFor, HANOI247_IDENTITY } from '../stix/stix-extensions.ts';
import { tlpMarkingDefinition } from '../stix/stix-ids.ts';
import type { Db } from '../store/database.ts';
import { byKey, type PageQuery, pastStart, type TaxiiEntry, versionString } from './taxii-paging.ts';
import { type AlertPlace, placesOf, SLOT, sharedKey, sharedOf } from './taxii-positions.ts';

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
  /** The first date of each alert and feedback read, and the read (generation) that read it there. */
  known: Map<string, { us: number; generation: number }>;
  generation: number;
  deadCount: number;
  /** Alerts changed since the last read (null: the collection was never built). */
  dirty: Set<string> | null;
  /**
   * Every alert, feedback and recurring object committed with a date up to `us` had been read at that
   * date by the read `generation` (taxii-collection.ts asks the database only about later dates).
   */
  checked: { us: number; generation: number };
  busy: Promise<void>;
};

/** An object of an alert at its date, with who may read it and whether the alert owns it. */
type Placed = { object: StixObject; us: number; grant: Grant; own: boolean };

export function createDerivedRecords(hub: HubService, store: ObjectStore, db: Db, log?: Logger) {
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

  /**
   * An alert's objects at their dates: those it makes without its feedback at their slots in its run
   * (taxii-positions.ts), the recurring ones (its marking, its publisher's identity, the extension
   * definitions and their author) at their dates in the collection, each feedback's reporter identity
   * and sighting or opinion at the feedback's two. Null when the view holds feedback the places do not
   * (it was read after them): the alert is read again at the next read.
   */
  function placed(view: AlertView, place: AlertPlace, shared: Map<string, number>): Placed[] | null {
    const out: Placed[] = [];
    const grant = { alertId: view.id, reporterOrg: null };
    const objects = alertObjects(view);
    const n = view.indicators.length;
    // Recurring objects are dated when first written; one written outside the hub has no date there:
    // it takes its slot in this run (the replicas may then disagree on it, nothing fails).
    const recurring = (object: StixObject, key: string, slot: number) => {
      const us = shared.get(key);
      if (us === undefined) log?.warn({ alert: view.id, key }, 'taxii: a recurring object has no date');
      out.push({ object, us: us ?? place.us + 2 * slot, grant, own: false });
    };
    recurring(tlpMarkingDefinition(view.tlp), sharedKey.tlp(view.tlp), SLOT.marking);
    const publisher = orgOf(view.publisherOrgId);
    if (publisher) recurring(identityFor(publisher), sharedKey.org(view.publisherOrgId), SLOT.publisher);
    for (const e of extensionsFor(objects.slice(0, 1 + n))) {
      if (e.id === HANOI247_IDENTITY.id) recurring(e, sharedKey.extensionAuthor, SLOT.extensionAuthor);
      else recurring(e, sharedKey.extension(String(e.name)), SLOT.extension(String(e.name)));
    }
    // An alert given indicators outside the hub (SQL) can hold more than its run: the extra ones share
    // its last date, the collection is still served.
    const clamped = SLOT.indicator(n - 1) > (place.lastUs - place.us) / 2;
    if (clamped)
      log?.warn({ alert: view.id, indicators: n }, 'taxii: an alert holds more objects than its dates');
    for (const [i, object] of objects.slice(0, 1 + n).entries())
      out.push({
        object,
        us: Math.min(place.us + 2 * (i === 0 ? SLOT.report : SLOT.indicator(i - 1)), place.lastUs),
        grant,
        own: true,
      });
    for (const [i, f] of view.feedback.entries()) {
      const us = place.feedback.get(f.id);
      if (us === undefined) return null;
      const org = orgOf(f.orgId);
      if (org) {
        const reporterOrg = f.orgId === view.publisherOrgId ? null : f.orgId;
        const at = shared.get(sharedKey.org(f.orgId)) ?? us;
        out.push({ object: identityFor(org), us: at, grant: { alertId: view.id, reporterOrg }, own: false });
      }
      out.push({
        object: objects[1 + n + i]!,
        us: us + 2,
        grant: { alertId: view.id, reporterOrg: f.orgId },
        own: true,
      });
    }
    return out;
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

  /** Puts a record in its place by date (the end, unless an alert committed earlier is read late). */
  function insert(c: Collection, r: DerivedRecord): void {
    const tail = c.records[c.records.length - 1];
    if (!tail || byKey(tail, r) < 0) c.records.push(r);
    else c.records.splice(firstPast(c.records, r.addedUs, r.id), 0, r);
    c.byId.set(r.id, r);
  }

  /** Takes in the objects of one alert (as its publisher sees it, all feedback included). */
  function add(
    c: Collection,
    alertId: string,
    objects: Placed[],
    previous: Map<string, DerivedRecord>,
  ): void {
    const owned: DerivedRecord[] = [];
    for (const { object, us, grant, own } of objects) {
      const held = own ? undefined : c.byId.get(object.id);
      if (held) {
        if (!held.grants.some((g) => g.alertId === grant.alertId && g.reporterOrg === grant.reporterOrg))
          held.grants.push(grant);
        continue;
      }
      const version = versionString(object);
      // An object read again at the same date and version stays as it is (feedback added to an alert
      // leaves its report and indicators where they are).
      const before = previous.get(object.id);
      if (before && before.version === version && before.addedUs === us) {
        previous.delete(object.id);
        before.object = object;
        before.grants = [grant];
        owned.push(before);
        continue;
      }
      const r: DerivedRecord = {
        addedUs: us,
        id: object.id,
        version,
        object,
        grants: [grant],
        owner: own ? alertId : null,
        dead: false,
      };
      insert(c, r);
      if (own) owned.push(r);
    }
    c.byAlert.set(alertId, owned);
  }

  /** Redoes these alerts of a collection, in the order of their dates. */
  async function redo(c: Collection, groupId: string, alertIds: string[]): Promise<void> {
    const generation = ++c.generation;
    // The alerts' records before: those that come back unchanged are kept, the others die.
    const previous = new Map<string, Map<string, DerivedRecord>>();
    for (const id of alertIds) {
      previous.set(id, new Map((c.byAlert.get(id) ?? []).map((r) => [r.id, r])));
      c.byAlert.delete(id);
    }
    const metas = alertIds
      .map((id) => hub.alerts.meta(id))
      .filter((m): m is AlertMeta => m !== null && m.groupId === groupId);
    // The places before the views: a view read later may be newer (it is then read again), never older.
    const places = await placesOf(
      db,
      metas.map((m) => m.id),
    );
    const shared = await sharedOf(db, groupId);
    const imported = await store.importedAlerts(metas.map((m) => m.id));
    const at = (m: AlertMeta) => places.get(m.id)?.us ?? Number.POSITIVE_INFINITY;
    const wanted = metas.filter((m) => places.has(m.id)).sort((a, b) => at(a) - at(b));
    const byPublisher = new Map<string, AlertMeta[]>();
    for (const m of wanted.filter((w) => !imported.has(w.id))) {
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
      const place = places.get(m.id)!;
      const view = views.get(m.id);
      const objects = imported.has(m.id)
        ? []
        : view && view.version === place.version
          ? placed(view, place, shared)
          : null;
      if (!objects) {
        // Read while it changed: it keeps what it had, and the pages stop below its new date.
        c.byAlert.set(m.id, [...previous.get(m.id)!.values()]);
        previous.delete(m.id);
        c.dirty?.add(m.id);
        continue;
      }
      add(c, m.id, objects, previous.get(m.id)!);
      // An entry keeps the read that first had it there: a page begun before that read did not.
      for (const [id, us] of [[m.id, place.us] as const, ...place.feedback])
        if (c.known.get(id)?.us !== us) c.known.set(id, { us, generation });
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
        known: new Map(),
        generation: 0,
        deadCount: 0,
        dirty: null,
        checked: { us: -1, generation: 0 },
        busy: Promise.resolve(),
      };
      collections.set(groupId, c);
    }
    const col = c;
    // One refresh at a time per collection: a second reader waits for the first, then finds less to do.
    const run = col.busy.then(async () => {
      if (col.dirty === null) {
        col.dirty = new Set();
        await redo(col, groupId, hub.alerts.idsOfGroup(groupId));
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
     * The first limit + 1 records past the query's start that the viewer may read, and whether this
     * read had read an alert or feedback at a date (taxii-collection.ts stops a page below the first
     * one committed that it had not: a replica hears of another's alerts a little later).
     */
    async page(
      viewer: Viewer,
      groupId: string,
      q: PageQuery,
    ): Promise<{
      entries: TaxiiEntry[];
      knew: (id: string, us: number) => boolean;
      checked: number | null;
      confirm: (us: number) => void;
    }> {
      const c = await current(groupId);
      const generation = c.generation;
      const knew = (id: string, us: number) => {
        const k = c.known.get(id);
        return k !== undefined && k.us === us && k.generation <= generation;
      };
      // A mark checked by a later read does not hold for this one: it asks from its own start.
      const checked = c.checked.generation <= generation ? c.checked.us : null;
      const confirm = (us: number) => {
        if (us > c.checked.us) c.checked = { us, generation };
      };
      const out: TaxiiEntry[] = [];
      const take = (r: DerivedRecord) => pastStart(q, r) && matches(q, r) && visible(viewer, r);
      if (q.ids) {
        for (const id of q.ids) {
          const r = c.byId.get(id);
          if (r && take(r)) out.push(r);
        }
        return { entries: out.sort(byKey).slice(0, q.limit + 1), knew, checked, confirm };
      }
      const start = Math.max(
        q.after !== null ? firstPast(c.records, q.after, '\uffff') : 0,
        q.cursor ? firstPast(c.records, q.cursor[0], q.cursor[1]) : 0,
      );
      for (let i = start; i < c.records.length && out.length <= q.limit; i++) {
        const r = c.records[i]!;
        if (!r.dead && take(r)) out.push(r);
      }
      return { entries: out, knew, checked, confirm };
    },
    stop: unsubscribe,
  };
}

export type DerivedRecords = ReturnType<typeof createDerivedRecords>;
