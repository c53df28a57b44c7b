// STIX objects kept as clients sent them (TAXII add, STIX import): every version of every object, in
// the collection (sharing group) it was added to, readable under its own TLP marking. Each gets a TAXII
// date added in microseconds, distinct and rising within its collection: it is taken in the database
// after the audit append, which serialises hub transactions (a row lock on audit_state held to the
// commit, so across the replicas of a node on one PostgreSQL too), so dates follow commit order and a
// client paging with added_after never misses an object committed late
// (test/federation/replica-taxii-paging). Kept objects take odd dates, the objects made from alerts
// even ones (src/taxii/taxii-positions.ts), so the two never tie.
import { createHash } from 'node:crypto';
import { and, asc, eq, inArray, or, type SQL, sql } from 'drizzle-orm';
import { appendAudit } from '../audit/audit-log.ts';
import type { TlpLevel } from '../domain/tlp/index.ts';
import type { Viewer } from '../hub/hub-types.ts';
import type { Database, Db } from '../store/database.ts';
import { hubStixObjects } from '../store/schema/hub.ts';
import type { PageQuery, TaxiiEntry } from '../taxii/taxii-paging.ts';
import { takeDates } from '../taxii/taxii-positions.ts';
import type { StixObject } from './stix-export.ts';
import { versionOf } from './stix-ids.ts';

export type KeptObject = { object: StixObject; tlp: TlpLevel; alertId: string | null };
export type StoredRow = typeof hubStixObjects.$inferSelect;

const key = (id: string, version: string) => `${id}\u0000${version}`;
const dateOrNull = (v: unknown) => (typeof v === 'string' ? new Date(v) : null);

/** Rows the viewer may read: shared levels for group members, every level for the owning organisation. */
function readable(viewer: Viewer) {
  const shared = inArray(hubStixObjects.tlp, ['CLEAR', 'GREEN', 'AMBER']);
  return viewer.orgId ? or(shared, eq(hubStixObjects.ownerOrgId, viewer.orgId)) : shared;
}

/** The same rule in plain SQL, for the table named `o2` (a newer or older version of a row). */
function readableO2(viewer: Viewer): SQL {
  const shared = sql`o2.tlp IN ('CLEAR', 'GREEN', 'AMBER')`;
  return viewer.orgId ? sql`(${shared} OR o2.owner_org_id = ${viewer.orgId})` : shared;
}

/**
 * The match[] filters. first and last are per object, among its versions the viewer may read and the
 * query selects (as the TAXII filters do): a NOT EXISTS on the primary key (group, id, version).
 */
function matching(viewer: Viewer, q: PageQuery): SQL[] {
  const o = hubStixObjects;
  const out: SQL[] = [];
  if (q.ids) out.push(inArray(o.id, q.ids));
  if (q.types) out.push(inArray(o.type, q.types));
  if (q.specs) out.push(inArray(o.specVersion, q.specs));
  if (q.versions.includes('all')) return out;
  const same = [sql`o2.group_id = ${o.groupId}`, sql`o2.id = ${o.id}`, readableO2(viewer)];
  if (q.types)
    same.push(
      sql`o2.type IN (${sql.join(
        q.types.map((t) => sql`${t}`),
        sql`, `,
      )})`,
    );
  if (q.specs)
    same.push(
      sql`o2.spec_version IN (${sql.join(
        q.specs.map((t) => sql`${t}`),
        sql`, `,
      )})`,
    );
  const none = (cmp: SQL) =>
    sql`NOT EXISTS (SELECT 1 FROM hub_stix_objects o2 WHERE ${sql.join([...same, cmp], sql` AND `)})`;
  // A row no newer version of its object was ever added after (`superseded` false) is the last of
  // every subset of versions: the search for a newer one the reader may see runs only on the others.
  // Without it every row of a page cost a random read of the primary key, which at a million objects
  // no longer stays in memory (issue 20: p99 and crawl time rose with the collection's size).
  const each = q.versions.map((v) =>
    v === 'last'
      ? sql`(NOT ${o.superseded} OR ${none(sql`o2.version > ${o.version}`)})`
      : v === 'first'
        ? none(sql`o2.version < ${o.version}`)
        : sql`date_trunc('milliseconds', coalesce(${o.modified}, ${o.created})) = ${new Date(v as number).toISOString()}::timestamptz`,
  );
  out.push(each.length === 1 ? each[0]! : or(...each)!);
  return out;
}

/**
 * Sets `superseded` on the versions of these objects that have a newer version, and clears it on those
 * that no longer have one (after a delete). Exact because hub writes are serialised (the audit append
 * takes its lock first): a page trusts a false flag without looking for a newer version.
 */
async function markSuperseded(tx: Db, groupId: string, ids: string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 5000) {
    const some = ids.slice(i, i + 5000);
    await tx.execute(sql`
      UPDATE hub_stix_objects o SET superseded = n.newer
      FROM (SELECT group_id, id, version,
                   version < max(version) OVER (PARTITION BY id) AS newer
            FROM hub_stix_objects
            WHERE group_id = ${groupId} AND id IN (${sql.join(
              some.map((id) => sql`${id}`),
              sql`, `,
            )})) n
      WHERE o.group_id = n.group_id AND o.id = n.id AND o.version = n.version
        AND o.superseded IS DISTINCT FROM n.newer`);
  }
}

export function createObjectStore(database: Database) {
  const { db } = database;

  return {
    /** Which of these (id, version) pairs the collection already holds, as id NUL version keys. */
    async knownVersions(groupId: string, ids: string[]): Promise<Set<string>> {
      const found = new Set<string>();
      for (let i = 0; i < ids.length; i += 5000) {
        const rows = await db
          .select({ id: hubStixObjects.id, version: hubStixObjects.version })
          .from(hubStixObjects)
          .where(
            and(eq(hubStixObjects.groupId, groupId), inArray(hubStixObjects.id, ids.slice(i, i + 5000))),
          );
        for (const r of rows) found.add(key(r.id, r.version));
      }
      return found;
    },

    /** Keeps objects in the caller's transaction, with one audit entry (ids hashed, no content). */
    async insert(
      tx: Db,
      at: { groupId: string; ownerOrgId: string; userId: string; source: string; now: Date },
      objects: KeptObject[],
    ): Promise<void> {
      if (objects.length === 0) return;
      await appendAudit(
        tx,
        {
          actor: at.userId,
          action: 'hub.stix.keep',
          objectType: 'hub_group',
          objectId: at.groupId,
          payload: {
            source: at.source,
            objects: objects.length,
            idsHash: createHash('sha256')
              .update(objects.map((o) => key(o.object.id, versionOf(o.object))).join('\n'))
              .digest('hex'),
          },
        },
        at.now,
      );
      const next = await takeDates(tx, at.groupId, at.now.getTime() * 1000, objects.length, 1);
      const rows = objects.map((o, i) => ({
        groupId: at.groupId,
        id: o.object.id,
        version: versionOf(o.object),
        type: o.object.type,
        specVersion: String(o.object.spec_version ?? '2.1'),
        created: dateOrNull(o.object.created),
        modified: dateOrNull(o.object.modified),
        object: o.object,
        tlp: o.tlp,
        ownerOrgId: at.ownerOrgId,
        addedBy: at.userId,
        dateAddedUs: next + 2 * i,
        alertId: o.alertId,
      }));
      for (let i = 0; i < rows.length; i += 1000)
        await tx
          .insert(hubStixObjects)
          .values(rows.slice(i, i + 1000))
          .onConflictDoNothing();
      await markSuperseded(tx, at.groupId, [...new Set(rows.map((r) => r.id))]);
    },

    /**
     * A newer version of an indicator replaces the older ones in checks: they keep their text but no
     * longer their alert. The alerts left with no kept object come back, to revoke after the commit.
     */
    async supersede(tx: Db, groupId: string, newer: { id: string; version: string }[]): Promise<string[]> {
      const released = new Set<string>();
      for (const n of newer) {
        const older = and(
          eq(hubStixObjects.groupId, groupId),
          eq(hubStixObjects.id, n.id),
          sql`${hubStixObjects.modified} < ${n.version}::timestamptz`,
          sql`${hubStixObjects.alertId} IS NOT NULL`,
        );
        const rows = await tx.select({ alertId: hubStixObjects.alertId }).from(hubStixObjects).where(older);
        if (rows.length === 0) continue;
        await tx.update(hubStixObjects).set({ alertId: null }).where(older);
        for (const r of rows) released.add(r.alertId!);
      }
      if (released.size === 0) return [];
      const still = await tx
        .selectDistinct({ alertId: hubStixObjects.alertId })
        .from(hubStixObjects)
        .where(inArray(hubStixObjects.alertId, [...released]));
      const kept = new Set(still.map((r) => r.alertId));
      return [...released].filter((a) => !kept.has(a));
    },

    /**
     * A TAXII page of the kept objects: the first limit + 1 past the query's start, by keyset on
     * (date added, id) over hub_stix_objects_added_idx (or hub_stix_objects_type_idx for match[type]),
     * so that a page costs the same at the start and at the end of a collection of any size.
     * Without `withObjects` (a manifest) the objects' text is not read.
     */
    async page(viewer: Viewer, groupId: string, q: PageQuery, withObjects: boolean): Promise<TaxiiEntry[]> {
      const o = hubStixObjects;
      const where = [eq(o.groupId, groupId), readable(viewer), ...matching(viewer, q)];
      if (q.after !== null) where.push(sql`${o.dateAddedUs} > ${q.after}`);
      if (q.cursor) where.push(sql`(${o.dateAddedUs}, ${o.id}) > (${q.cursor[0]}, ${q.cursor[1]})`);
      const rows = await db
        .select({
          us: o.dateAddedUs,
          id: o.id,
          version: o.version,
          // The object's stored text, not parsed: the page splices it into its answer as it is.
          ...(withObjects ? { text: sql<string>`${o.object}::text` } : {}),
        })
        .from(o)
        .where(and(...where))
        .orderBy(asc(o.dateAddedUs), asc(o.id))
        .limit(q.limit + 1);
      return rows.map((r) => ({
        addedUs: Number(r.us),
        id: r.id,
        version: r.version,
        ...(withObjects ? { text: (r as { text: string }).text } : {}),
      }));
    },

    /** Which of these alerts have indicators kept as sent (their objects are served as sent). */
    async importedAlerts(alertIds: string[]): Promise<Set<string>> {
      const found = new Set<string>();
      for (let i = 0; i < alertIds.length; i += 5000) {
        const rows = await db
          .selectDistinct({ alertId: hubStixObjects.alertId })
          .from(hubStixObjects)
          .where(inArray(hubStixObjects.alertId, alertIds.slice(i, i + 5000)));
        for (const r of rows) found.add(r.alertId!);
      }
      return found;
    },

    /** The versions of one object the viewer may read (all of them when it may read any). */
    async versions(viewer: Viewer, groupId: string, id: string): Promise<StoredRow[]> {
      return db
        .select()
        .from(hubStixObjects)
        .where(and(eq(hubStixObjects.groupId, groupId), eq(hubStixObjects.id, id), readable(viewer)))
        .orderBy(asc(hubStixObjects.dateAddedUs));
    },

    /**
     * Deletes versions of an object its owner kept (TAXII 2.1 §5.7), with an audit entry: all versions,
     * or those named. The alerts whose indicators are left with no kept object come back, to revoke.
     */
    async remove(
      viewer: Viewer,
      groupId: string,
      id: string,
      versions: string[] | null,
      now: Date,
    ): Promise<{ deleted: number; orphanAlerts: string[] }> {
      if (!viewer.orgId) return { deleted: 0, orphanAlerts: [] };
      const owned = and(
        eq(hubStixObjects.groupId, groupId),
        eq(hubStixObjects.id, id),
        eq(hubStixObjects.ownerOrgId, viewer.orgId),
        versions ? inArray(hubStixObjects.version, versions) : undefined,
      );
      return db.transaction(async (tx) => {
        const gone = await tx
          .delete(hubStixObjects)
          .where(owned)
          .returning({ alertId: hubStixObjects.alertId, version: hubStixObjects.version });
        if (gone.length === 0) return { deleted: 0, orphanAlerts: [] };
        await appendAudit(
          tx,
          {
            actor: viewer.userId,
            action: 'hub.stix.delete',
            objectType: 'hub_group',
            objectId: groupId,
            payload: { idHash: createHash('sha256').update(id).digest('hex'), versions: gone.length },
          },
          now,
        );
        await markSuperseded(tx, groupId, [id]);
        const alerts = [...new Set(gone.map((g) => g.alertId).filter((a): a is string => a !== null))];
        const still = alerts.length
          ? await tx
              .selectDistinct({ alertId: hubStixObjects.alertId })
              .from(hubStixObjects)
              .where(inArray(hubStixObjects.alertId, alerts))
          : [];
        const kept = new Set(still.map((r) => r.alertId));
        return { deleted: gone.length, orphanAlerts: alerts.filter((a) => !kept.has(a)) };
      });
    },
  };
}

export type ObjectStore = ReturnType<typeof createObjectStore>;
