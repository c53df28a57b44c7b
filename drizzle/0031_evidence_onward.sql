-- Onward transfer node to node (issue #15, art. 36): the originating State's signed grant of consent
-- (kept by both sides, carried to the third State), the onward transfers a receiving node made, and,
-- on the third State's node, where a package it received onward came from.
ALTER TABLE "evidence_consents" ADD COLUMN "grant_jws" text;
--> statement-breakpoint
ALTER TABLE "evidence_packages" ADD COLUMN "onward" jsonb;
--> statement-breakpoint
CREATE TABLE "evidence_onward_transfers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"package_id" uuid NOT NULL REFERENCES "evidence_packages"("id"),
	"consent_id" uuid NOT NULL REFERENCES "evidence_consents"("id"),
	"request_id" uuid NOT NULL REFERENCES "requests"("id"),
	"to_state" text NOT NULL CHECK ("to_state" ~ '^[A-Z]{2}$'),
	"status" text NOT NULL CHECK ("status" IN ('sending', 'delivered')),
	"receipt" text,
	"sent_by" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	UNIQUE ("package_id", "to_state")
);
