// TAXII dates added (positions, in microseconds) of a collection's objects, taken in the database
// (drizzle/0038): every write calls these after its audit append, whose row lock on audit_state it
// holds to the commit, so dates rise in commit order on every replica of a node, and a date a page
// serves has nothing uncommitted below it. Kept objects (src/stix/object-store.ts) take odd dates, one
// each; an alert takes a run of even dates, two apart, one for each object it can make without its
// feedback (alertSlots); a feedback takes two (the reporter's identity, then the sighting or opinion).
import { type SQL, sql } from 'drizzle-orm';
import { OBSERVABLE_EXTENSIONS } from '../stix/stix-extensions.ts';
import { type Db, rowsOf } from '../store/database.ts';

/**
 * The objects an alert makes, feedback aside, in the order taxii-derived.ts dates them: its TLP
 * marking, its publisher's identity, the extension definitions and their author (four at most), its
 * report and its indicators. drizzle/0038 counts seven besides the indicators.
 */
export const alertSlots = (indicators: number) => 4 + Object.keys(OBSERVABLE_EXTENSIONS).length + indicators;
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
  await tx.execute(sql`UPDATE hub_alerts SET taxii_us = ${first}, taxii_last_us = ${first + 2 * (count - 1)}
    WHERE id = ${alert.id}`);
}

/** Dates a feedback's objects, in its transaction. */
export async function placeFeedback(tx: Db, groupId: string, reportId: string, now: Date): Promise<void> {
  const first = await takeDates(tx, groupId, now.getTime() * 1000, FEEDBACK_SLOTS, 0);
  await tx.execute(sql`UPDATE hub_reports SET taxii_us = ${first} WHERE id = ${reportId}`);
}

/** Where an alert's objects and each of its feedback's are, and at which version of the alert. */
export type AlertPlace = { us: number; version: number; feedback: Map<string, number> };

/** The dates of these alerts and of their feedback, as committed now. */
export async function placesOf(db: Db, alertIds: string[]): Promise<Map<string, AlertPlace>> {
  const out = new Map<string, AlertPlace>();
  for (let i = 0; i < alertIds.length; i += 5000) {
    const ids = sql.join(
      alertIds.slice(i, i + 5000).map((id) => sql`${id}`),
      sql`, `,
    );
    const alerts = rowsOf<{ id: string; us: string | number | null; version: number }>(
      await db.execute(sql`SELECT id, taxii_us AS us, version FROM hub_alerts WHERE id IN (${ids})`),
    );
    for (const a of alerts)
      if (a.us !== null) out.set(a.id, { us: Number(a.us), version: Number(a.version), feedback: new Map() });
    const reports = rowsOf<{ id: string; alert_id: string; us: string | number | null }>(
      await db.execute(sql`SELECT id, alert_id, taxii_us AS us FROM hub_reports WHERE alert_id IN (${ids})`),
    );
    for (const r of reports) if (r.us !== null) out.get(r.alert_id)?.feedback.set(r.id, Number(r.us));
  }
  return out;
}

/**
 * The alerts and feedback of a collection with dates from `fromUs` on (after it when `toUs` is null,
 * else up to `toUs`), as committed now: id and first date. An alert whose run began before `fromUs`
 * and reaches it is among them.
 */
export async function placedBetween(
  db: Db,
  groupId: string,
  fromUs: number,
  toUs: number | null,
): Promise<{ id: string; us: number }[]> {
  const upTo = (col: SQL) => (toUs === null ? sql`true` : sql`${col} <= ${toUs}`);
  const rows = rowsOf<{ id: string; us: string | number }>(
    await db.execute(sql`
      SELECT id, taxii_us AS us FROM hub_alerts
        WHERE group_id = ${groupId} AND taxii_last_us >= ${fromUs} AND ${upTo(sql`taxii_us`)}
      UNION ALL
      SELECT r.id, r.taxii_us FROM hub_reports r JOIN hub_alerts a ON a.id = r.alert_id
        WHERE a.group_id = ${groupId} AND r.taxii_us >= ${fromUs - 2 * (FEEDBACK_SLOTS - 1)}
          AND ${upTo(sql`r.taxii_us`)}`),
  );
  return rows.map((r) => ({ id: r.id, us: Number(r.us) }));
}
