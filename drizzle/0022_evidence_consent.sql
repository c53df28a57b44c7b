-- Onward transfer of evidence (issue #15, art. 36): a State that received a package may pass it to a
-- third State only with the originating State's consent, asked and answered over federation. Each
-- node keeps its side: the receiving node what it asked (OUT), the originating node what it was asked (IN).
CREATE TABLE "evidence_consents" (
	"id" uuid PRIMARY KEY NOT NULL,
	"package_id" uuid NOT NULL REFERENCES "evidence_packages"("id"),
	"request_id" uuid NOT NULL REFERENCES "requests"("id"),
	"direction" text NOT NULL CHECK ("direction" IN ('OUT', 'IN')),
	"origin_state" text NOT NULL CHECK ("origin_state" ~ '^[A-Z]{2}$'),
	"asking_state" text NOT NULL CHECK ("asking_state" ~ '^[A-Z]{2}$'),
	"to_state" text NOT NULL CHECK ("to_state" ~ '^[A-Z]{2}$'),
	"purpose" text NOT NULL,
	"status" text NOT NULL CHECK ("status" IN ('pending', 'granted', 'refused')),
	"asked_by" text NOT NULL,
	"asked_at" timestamp with time zone NOT NULL,
	"answered_by" text,
	"answered_at" timestamp with time zone,
	"reason" text
);
--> statement-breakpoint
CREATE INDEX "evidence_consents_package_idx" ON "evidence_consents" ("package_id", "to_state");
