// TAXII dates added (positions, in microseconds) of a collection's objects, taken in the database
// (drizzle/0038): every write calls these after its audit append, whose row lock on audit_state it
// holds to the commit, so dates rise in commit order on every replica of a node, and a date a page
// serves has nothing uncommitted below it. Kept objects (src/stix/object-store.ts) take odd dates, one
// each; an alert takes a run of even dates, two apart, one for each object it can make without its
// feedback (alertSlots); a feedback takes two (the reporter's identity, then the sighting or opinion).
// Objects that recur across alerts (TLP markings, identities, extension definitions) are dated once
// per collection, by the first write that brings them, at their slot in its run (drizzle/0040).
import { type SQL, sql } from 'drizzle-orm';
import type { IndicatorType } from '../domain/indicators/index.ts';
import { OBSERVABLE_EXTENSIONS } from '../stix/stix-extensions.ts';
import { patternFor } from '../stix/stix-patterns.ts';
import { type Db, rowsOf } from '../store/database.ts';

/** The custom observable types, in the order of their extension definitions' slots. */
const EXTENSION_TYPES = Object.keys(OBSERVABLE_EXTENSIONS).sort();

/**
 * The slot (0, 1, 2…: the date first + 2 × slot) of each object an alert makes, feedback aside: its
 * TLP marking, its publisher's identity, the author of the extension definitions, each extension
 * definition, its report, then its indicators. Fixed, whether or not the alert makes the object, so
 * that drizzle/0040 can compute them: drizzle/0038 counts seven slots besides the indicators.
 */
export const SLOT = {
  marking: 0,
  publisher: 1,
  extensionAuthor: 2,
  extension: (type: string) => 3 + EXTENSION_TYPES.indexOf(type),
  report: 3 + EXTENSION_TYPES.length,
  indicator: (i: number) => 4 + EXTENSION_TYPES.length + i,
};
export const alertSlots = (indicators: number) => SLOT.indicator(indicators);

/** What names an object that recurs across alerts in hub_taxii_shared (SQL can compute these). */
export const sharedKey = {
  tlp: (level: string) => `tlp:${level}`,
  org: (orgId: string) => `org:${orgId}`,
  extensionAuthor: 'ext:author',
  extension: (type: string) => `ext:${type}`,
};

/** The recurring objects an alert brings, by key, with their slots in its run. */
export function alertShared(
  tlp: string,
  publisherOrgId: string,
  indicatorTypes: readonly IndicatorType[],
): { key: string; slot: number }[] {
  const out = [
    { key: sharedKey.tlp(tlp), slot: SLOT.marking },
    { key: sharedKey.org(publisherOrgId), slot: SLOT.publisher },
  ];
  const patterns = indicatorTypes.map((t) => patternFor(t, ''));
  const used = EXTENSION_TYPES.filter((e) => patterns.some((p) => p.includes(`${e}:`)));
  if (used.length) out.push({ key: sharedKey.extensionAuthor, slot: SLOT.extensionAuthor });
  for (const e of used) out.push({ key: sharedKey.extension(e), slot: SLOT.extension(e) });
  return out;
}

/** Dates the recurring objects a write brings that the collection has no date for yet. */
async function placeShared(
  tx: Db,
  groupId: string,
  byId: string,
  first: number,
  shared: { key: string; slot: number }[],
): Promise<void> {
  const rows = sql.join(
    shared.map((s) => sql`(${groupId}::uuid, ${s.key}, ${first + 2 * s.slot}::bigint, ${byId}::uuid)`),
    sql`, `,
  );
  await tx.execute(sql`INSERT INTO hub_taxii_shared (group_id, key, us, by_id) VALUES ${rows}
    ON CONFLICT (group_id, key) DO NOTHING`);
}

/** A feedback's objects: its reporter's identity, then the sighting or opinion. */
export const FEEDBACK_SLOTS = 2;

/**
 * Takes `count` dates two apart in the collection, the first at or after `nowUs`, past every date
 * handed out, even (alerts, feedback) or odd (kept objects); returns the first.
 */
export async function takeDates(
  tx: Db,
  groupId: string,
  nowUs: number,
  count: number,
  parity: 0 | 1,
): Promise<number> {
  const span = 2 * (count - 1);
  const first = (last: SQL) =>
    sql`(greatest(${nowUs}::bigint, ${last} + 1) + mod(greatest(${nowUs}::bigint, ${last} + 1) + ${parity}, 2))`;
  const [row] = rowsOf<{ last_us: string | number }>(
    await tx.execute(sql`
      INSERT INTO hub_taxii_marks AS m (group_id, last_us) VALUES (${groupId}, ${first(sql`-1::bigint`)} + ${span})
      ON CONFLICT (group_id) DO UPDATE SET last_us = ${first(sql`m.last_us`)} + ${span}
      RETURNING last_us`),
  );
  return Number(row!.last_us) - span;
}

/** Dates an alert's objects (after its publication, change or revocation), in its transaction. */
export async function placeAlert(
  tx: Db,
  alert: { id: string; groupId: string },
  indicators: number,
  now: Date,
): Promise<void> {
  const count = alertSlots(indicators);
  const first = await takeDates(tx, alert.groupId, now.getTime() * 1000, count, 0);
  const [row] = rowsOf<{ tlp: string; publisher: string; types: IndicatorType[] | string | null }>(
    await tx.execute(sql`UPDATE hub_alerts SET taxii_us = ${first}, taxii_last_us = ${first + 2 * (count - 1)}
      WHERE id = ${alert.id}
      RETURNING tlp, publisher_org_id AS publisher,
        (SELECT array_agg(DISTINCT type) FROM hub_indicators WHERE alert_id = ${alert.id}) AS types`),
  );
  if (row)
    await placeShared(
      tx,
      alert.groupId,
      alert.id,
      first,
      alertShared(row.tlp, row.publisher, arrayOf(row.types)),
    );
}

/** A text[] as either driver gives it (PGlite: an array; some paths: the literal '{a,b}'). */
function arrayOf<T extends string>(value: T[] | string | null): T[] {
  if (value === null) return [];
  if (Array.isArray(value)) return value;
  return value
    .replace(/^\{|\}$/g, '')
    .split(',')
    .filter(Boolean) as T[];
}

/** Dates a feedback's objects, in its transaction. */
export async function placeFeedback(tx: Db, groupId: string, reportId: string, now: Date): Promise<void> {
  const first = await takeDates(tx, groupId, now.getTime() * 1000, FEEDBACK_SLOTS, 0);
  const [row] = rowsOf<{ org: string }>(
    await tx.execute(
      sql`UPDATE hub_reports SET taxii_us = ${first} WHERE id = ${reportId} RETURNING org_id AS org`,
    ),
  );
  if (row) await placeShared(tx, groupId, reportId, first, [{ key: sharedKey.org(row.org), slot: 0 }]);
}

/** The dates of a collection's recurring objects, by key. */
export async function sharedOf(db: Db, groupId: string): Promise<Map<string, number>> {
  const rows = rowsOf<{ key: string; us: string | number }>(
    await db.execute(sql`SELECT key, us FROM hub_taxii_shared WHERE group_id = ${groupId}`),
  );
  return new Map(rows.map((r) => [r.key, Number(r.us)]));
}

/** Where an alert's objects and each of its feedback's are, and at which version of the alert. */
export type AlertPlace = { us: number; lastUs: number; version: number; feedback: Map<string, number> };

/** The dates of these alerts and of their feedback, as committed now. */
export async function placesOf(db: Db, alertIds: string[]): Promise<Map<string, AlertPlace>> {
  const out = new Map<string, AlertPlace>();
  for (let i = 0; i < alertIds.length; i += 5000) {
    const ids = sql.join(
      alertIds.slice(i, i + 5000).map((id) => sql`${id}`),
      sql`, `,
    );
    const alerts = rowsOf<{ id: string; us: string | number | null; last: string | number; version: number }>(
      await db.execute(sql`SELECT id, taxii_us AS us, taxii_last_us AS last, version FROM hub_alerts
        WHERE id IN (${ids})`),
    );
    for (const a of alerts)
      if (a.us !== null)
        out.set(a.id, {
          us: Number(a.us),
          lastUs: Number(a.last),
          version: Number(a.version),
          feedback: new Map(),
        });
    const reports = rowsOf<{ id: string; alert_id: string; us: string | number | null }>(
      await db.execute(sql`SELECT id, alert_id, taxii_us AS us FROM hub_reports WHERE alert_id IN (${ids})`),
    );
    for (const r of reports) if (r.us !== null) out.get(r.alert_id)?.feedback.set(r.id, Number(r.us));
  }
  return out;
}

/**
 * What the dates of a collection from `fromUs` to `toUs` (null: no end) hold, as committed now, that a
 * page must have read before it serves past them (`at`, and `reach`: the last date of the entry):
 * each alert and feedback (its id and first date, `us`; an alert whose run reaches `fromUs` is among
 * them), and each recurring object (the id and present first date of the write that brought it: once
 * a replica has read that write as it is now, it holds the object if the write still brings it).
 */
export async function placedBetween(
  db: Db,
  groupId: string,
  fromUs: number,
  toUs: number | null,
): Promise<{ id: string; us: number; at: number; reach: number }[]> {
  const upTo = (col: SQL) => (toUs === null ? sql`true` : sql`${col} <= ${toUs}`);
  const rows = rowsOf<{
    id: string;
    us: string | number | null;
    at: string | number;
    reach: string | number;
  }>(
    await db.execute(sql`
      SELECT id, taxii_us AS us, taxii_us AS at, taxii_last_us AS reach FROM hub_alerts
        WHERE group_id = ${groupId} AND taxii_last_us >= ${fromUs} AND ${upTo(sql`taxii_us`)}
      UNION ALL
      SELECT r.id, r.taxii_us, r.taxii_us, r.taxii_us + ${2 * (FEEDBACK_SLOTS - 1)}
        FROM hub_reports r JOIN hub_alerts a ON a.id = r.alert_id
        WHERE a.group_id = ${groupId} AND r.taxii_us >= ${fromUs - 2 * (FEEDBACK_SLOTS - 1)}
          AND ${upTo(sql`r.taxii_us`)}
      UNION ALL
      SELECT s.by_id, coalesce(a.taxii_us, r.taxii_us), s.us, s.us FROM hub_taxii_shared s
        LEFT JOIN hub_alerts a ON a.id = s.by_id LEFT JOIN hub_reports r ON r.id = s.by_id
        WHERE s.group_id = ${groupId} AND s.us >= ${fromUs} AND ${upTo(sql`s.us`)}`),
  );
  // A recurring object whose write is gone (an alert deleted) has nothing left to wait for.
  return rows
    .filter((r) => r.us !== null)
    .map((r) => ({ id: r.id, us: Number(r.us), at: Number(r.at), reach: Number(r.reach) }));
}
