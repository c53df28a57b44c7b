-- STIX objects as clients pushed them (TAXII add, STIX import): every SDO, SRO and observable, each
-- version, in the collection (sharing group) it was added to, fetchable back by its id. Indicators are
-- additionally indexed as alerts for checks (alert_id). date_added_us is the TAXII date added in
-- microseconds, distinct and rising within a collection (assigned under a per-collection lock), and
-- the keyset of TAXII paging.
CREATE TABLE "hub_stix_objects" (
	"group_id" uuid NOT NULL REFERENCES "hub_groups"("id") ON DELETE CASCADE,
	"id" text NOT NULL,
	"version" text NOT NULL,
	"type" text NOT NULL,
	"spec_version" text NOT NULL,
	"created" timestamp with time zone,
	"modified" timestamp with time zone,
	"object" json NOT NULL,
	"tlp" text NOT NULL,
	"owner_org_id" uuid NOT NULL REFERENCES "hub_orgs"("id"),
	"added_by" uuid NOT NULL,
	"date_added_us" bigint NOT NULL,
	"alert_id" uuid REFERENCES "hub_alerts"("id") ON DELETE SET NULL,
	CONSTRAINT "hub_stix_objects_pk" PRIMARY KEY ("group_id", "id", "version"),
	CONSTRAINT "hub_stix_objects_tlp_check" CHECK ("tlp" IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX "hub_stix_objects_added_idx" ON "hub_stix_objects" ("group_id", "date_added_us", "id");
--> statement-breakpoint
CREATE INDEX "hub_stix_objects_alert_idx" ON "hub_stix_objects" ("alert_id") WHERE "alert_id" IS NOT NULL;
