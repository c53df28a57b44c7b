-- TAXII positions of the objects that recur across alerts (TLP marking definitions, organisations'
-- identities, the extension definitions and their author): each is served once per collection, and
-- each replica of a node placed it at the date of the first alert it happened to read with it, so
-- two replicas that read alerts in another order placed it at different dates (issue 20: a client
-- paging through both missed or repeated it). Now the write that first brings one to a collection
-- dates it, at its slot in the write's run (src/taxii/taxii-positions.ts: marking 0, publisher 1,
-- extension author 2, bank-account 3, cryptocurrency-wallet 4, phone-number 5; a feedback's reporter
-- at the feedback's first date), and the date never moves. `by_id`: the alert or feedback that wrote
-- it (a page waits until its replica has read that write as it is now).
CREATE TABLE "hub_taxii_shared" (
	"group_id" uuid NOT NULL REFERENCES "hub_groups"("id") ON DELETE CASCADE,
	"key" text NOT NULL,
	"us" bigint NOT NULL,
	"by_id" uuid NOT NULL,
	PRIMARY KEY ("group_id", "key")
);
--> statement-breakpoint
CREATE INDEX "hub_taxii_shared_us_idx" ON "hub_taxii_shared" USING btree ("group_id", "us");
--> statement-breakpoint
-- Those already written: at their slot in the earliest alert or feedback (by date) that brings them.
INSERT INTO hub_taxii_shared (group_id, key, us, by_id)
SELECT DISTINCT ON (group_id, key) group_id, key, us, by_id FROM (
	SELECT a.group_id, 'tlp:' || a.tlp AS key, a.taxii_us AS us, a.id AS by_id
	FROM hub_alerts a WHERE a.taxii_us IS NOT NULL
	UNION ALL
	SELECT a.group_id, 'org:' || a.publisher_org_id, a.taxii_us + 2, a.id
	FROM hub_alerts a WHERE a.taxii_us IS NOT NULL
	UNION ALL
	SELECT DISTINCT a.group_id, k.key, a.taxii_us + 2 * k.slot, a.id
	FROM hub_alerts a JOIN hub_indicators i ON i.alert_id = a.id
	JOIN (VALUES ('phone', 'phone-number', 5), ('iban', 'bank-account', 3), ('bank_account', 'bank-account', 3),
		('btc_wallet', 'cryptocurrency-wallet', 4), ('eth_wallet', 'cryptocurrency-wallet', 4),
		('trx_wallet', 'cryptocurrency-wallet', 4)) e(type, ext, slot) ON e.type = i.type
	CROSS JOIN LATERAL (VALUES ('ext:' || e.ext, e.slot), ('ext:author', 2)) k(key, slot)
	WHERE a.taxii_us IS NOT NULL
	UNION ALL
	SELECT a.group_id, 'org:' || r.org_id, r.taxii_us, r.id
	FROM hub_reports r JOIN hub_alerts a ON a.id = r.alert_id WHERE r.taxii_us IS NOT NULL
) s ORDER BY group_id, key, us;
