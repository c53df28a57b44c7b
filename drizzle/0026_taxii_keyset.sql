-- TAXII paging by keyset (date added, id) filtered by type: match[type] pages read this index in order
-- instead of scanning the collection for the types asked (hub_stix_objects_added_idx serves the rest).
CREATE INDEX "hub_stix_objects_type_idx" ON "hub_stix_objects" ("group_id", "type", "date_added_us", "id");
--> statement-breakpoint
-- Privacy mode from the first check: each indicator row keeps its group's HMAC-SHA-256 of its value
-- (written with the row; rows from before, or copied from other nodes, are filled in the background),
-- so that a privacy-mode check is answered by this index while the group's in-memory table is built.
ALTER TABLE "hub_indicators" ADD COLUMN "keyed_digest" bytea;
--> statement-breakpoint
CREATE INDEX "hub_indicators_keyed_idx" ON "hub_indicators" ("keyed_digest") WHERE "keyed_digest" IS NOT NULL;
--> statement-breakpoint
CREATE INDEX "hub_indicators_undigested_idx" ON "hub_indicators" ("alert_id") WHERE "keyed_digest" IS NULL;
