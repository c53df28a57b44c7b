-- TAXII positions (dates added, in microseconds) of the STIX objects made from alerts, taken in the
-- database in the alert's own transaction, as kept objects take theirs (hub_stix_objects), so that
-- every replica of a node serves a collection in one order, the order in which the writes committed
-- (issue 20: a client paging through one replica, then another, missed or repeated objects when each
-- replica dated the alerts' objects in its own memory). A write takes its dates after the audit
-- append, whose row lock on audit_state it holds to the commit: dates follow commit order.
--
-- hub_taxii_marks: the last date handed out in each collection, to either source. An alert takes a
-- run of even dates, two apart, one for each object it can make without its feedback (its TLP
-- marking, its publisher's identity, the four extension objects, its report and its indicators), at
-- each publication, change or revocation; a feedback takes two even dates (the reporter's identity,
-- the sighting or opinion); kept objects take odd dates. src/taxii/taxii-positions.ts.
CREATE TABLE "hub_taxii_marks" (
	"group_id" uuid PRIMARY KEY REFERENCES "hub_groups"("id") ON DELETE CASCADE,
	"last_us" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "hub_alerts" ADD COLUMN "taxii_us" bigint;
--> statement-breakpoint
ALTER TABLE "hub_alerts" ADD COLUMN "taxii_last_us" bigint;
--> statement-breakpoint
ALTER TABLE "hub_reports" ADD COLUMN "taxii_us" bigint;
--> statement-breakpoint
-- The alerts and feedback whose dates fall in a page's range: the page stops below the first one
-- this replica has not read yet.
CREATE INDEX "hub_alerts_taxii_idx" ON "hub_alerts" USING btree ("group_id", "taxii_last_us");
--> statement-breakpoint
CREATE INDEX "hub_reports_taxii_idx" ON "hub_reports" USING btree ("taxii_us");
--> statement-breakpoint
-- The alerts and feedback already written, in the order the TAXII view read them until now: an alert
-- at its last change, its feedback at its own time but not before the alert's last change, each run
-- starting at its time or past the run before, whichever is later.
WITH items AS (
	SELECT a.group_id, 0 AS kind, a.id, a.updated_at AS at,
		2 * (7 + (SELECT count(*) FROM hub_indicators i WHERE i.alert_id = a.id)) AS width
	FROM hub_alerts a
	UNION ALL
	SELECT a.group_id, 1, r.id, greatest(r.created_at, a.updated_at), 4
	FROM hub_reports r JOIN hub_alerts a ON a.id = r.alert_id
), floored AS (
	SELECT group_id, kind, id, at, width,
		floor(extract(epoch FROM at) * 1000000)::bigint AS at_us,
		coalesce(sum(width) OVER (PARTITION BY group_id ORDER BY at, kind, id
			ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before
	FROM items
), evened AS (
	SELECT *, at_us + mod(at_us, 2) AS floor_us FROM floored
), placed AS (
	-- first(i) = max(floor(i), first(i - 1) + width(i - 1)) = before(i) + max over j <= i of (floor(j) - before(j))
	SELECT group_id, kind, id, width, before + max(floor_us - before) OVER (PARTITION BY group_id
		ORDER BY at, kind, id ROWS UNBOUNDED PRECEDING) AS first_us
	FROM evened
), alerts AS (
	UPDATE hub_alerts a SET taxii_us = p.first_us, taxii_last_us = p.first_us + p.width - 2
	FROM placed p WHERE p.kind = 0 AND a.id = p.id
	RETURNING a.group_id, a.taxii_last_us
), reports AS (
	UPDATE hub_reports r SET taxii_us = p.first_us
	FROM placed p WHERE p.kind = 1 AND r.id = p.id
	RETURNING p.group_id, r.taxii_us + 2 AS last_us
)
INSERT INTO hub_taxii_marks (group_id, last_us)
	SELECT group_id, max(last_us) FROM (
		SELECT group_id, taxii_last_us AS last_us FROM alerts
		UNION ALL SELECT group_id, last_us FROM reports
		UNION ALL SELECT group_id, max(date_added_us) FROM hub_stix_objects GROUP BY group_id
	) l GROUP BY group_id;
