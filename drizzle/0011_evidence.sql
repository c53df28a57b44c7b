-- Evidence packages (issue #15): the bytes a requested State hands over, encrypted at rest and stored
-- once per content hash; the items that describe them; resumable uploads; sealed, signed packages.
CREATE TABLE "evidence_blobs" (
	"sha256" text PRIMARY KEY NOT NULL CHECK ("sha256" ~ '^[0-9a-f]{64}$'),
	"size" bigint NOT NULL CHECK ("size" >= 0),
	"chunk_size" integer NOT NULL,
	"chunk_count" integer NOT NULL,
	"chunk_root" text NOT NULL,
	"wrapped_key" text NOT NULL,
	"storage_key" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "evidence_uploads" (
	"id" uuid PRIMARY KEY NOT NULL,
	"request_id" uuid NOT NULL REFERENCES "requests"("id"),
	"created_by" text NOT NULL,
	"length" bigint NOT NULL CHECK ("length" >= 0),
	"metadata" jsonb NOT NULL,
	"wrapped_key" text NOT NULL,
	"status" text NOT NULL CHECK ("status" IN ('open', 'complete', 'cancelled')),
	"item_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "evidence_uploads_request_idx" ON "evidence_uploads" ("request_id", "status");
--> statement-breakpoint
CREATE TABLE "evidence_items" (
	"id" uuid PRIMARY KEY NOT NULL,
	"request_id" uuid NOT NULL REFERENCES "requests"("id"),
	"sha256" text NOT NULL REFERENCES "evidence_blobs"("sha256"),
	"size" bigint NOT NULL,
	"file_name" text NOT NULL,
	"media_type" text NOT NULL,
	"description" text NOT NULL,
	"source" text NOT NULL,
	"custodian" text,
	"domestic_order" text,
	"acquired_at" timestamp with time zone NOT NULL,
	"acquired_by" text NOT NULL,
	"personal_data" jsonb NOT NULL,
	"added_by" text NOT NULL,
	"added_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "evidence_items_request_idx" ON "evidence_items" ("request_id", "id");
--> statement-breakpoint
CREATE INDEX "evidence_items_sha256_idx" ON "evidence_items" ("sha256");
--> statement-breakpoint
CREATE TABLE "evidence_packages" (
	"id" uuid PRIMARY KEY NOT NULL,
	"request_id" uuid NOT NULL REFERENCES "requests"("id"),
	"status" text NOT NULL CHECK ("status" IN ('sealed', 'approved', 'sent', 'received', 'verified', 'deleted')),
	"manifest" jsonb NOT NULL,
	"jws" text NOT NULL,
	"merkle_root" text NOT NULL,
	"supersedes" uuid REFERENCES "evidence_packages"("id"),
	"sealed_by" text NOT NULL,
	"sealed_at" timestamp with time zone NOT NULL,
	"approved_by" text,
	"approved_at" timestamp with time zone,
	"retention_until" timestamp with time zone,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "evidence_packages_request_idx" ON "evidence_packages" ("request_id", "id");
--> statement-breakpoint
CREATE UNIQUE INDEX "evidence_packages_supersedes_idx" ON "evidence_packages" ("supersedes");
--> statement-breakpoint
CREATE TABLE "evidence_package_items" (
	"package_id" uuid NOT NULL REFERENCES "evidence_packages"("id"),
	"item_id" uuid NOT NULL REFERENCES "evidence_items"("id"),
	"position" integer NOT NULL,
	CONSTRAINT "evidence_package_items_pk" PRIMARY KEY ("package_id", "position")
);
--> statement-breakpoint
CREATE INDEX "evidence_package_items_item_idx" ON "evidence_package_items" ("item_id");
--> statement-breakpoint
-- The chain of custody: each event with what the audit entry's payload hash covers, so a custody report
-- can show who and from where, and a verifier can recompute the audit leaf and check its proof.
CREATE TABLE "evidence_custody" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
	"audit_seq" bigint NOT NULL,
	"request_id" uuid NOT NULL REFERENCES "requests"("id"),
	"package_id" uuid,
	"item_id" uuid,
	"object_type" text NOT NULL,
	"object_id" text NOT NULL,
	"action" text NOT NULL,
	"actor" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"details" jsonb NOT NULL
);
--> statement-breakpoint
CREATE INDEX "evidence_custody_package_idx" ON "evidence_custody" ("package_id", "id");
--> statement-breakpoint
CREATE INDEX "evidence_custody_item_idx" ON "evidence_custody" ("item_id", "id");
--> statement-breakpoint
CREATE INDEX "evidence_custody_request_idx" ON "evidence_custody" ("request_id", "id");
