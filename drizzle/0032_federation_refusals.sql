-- Refusals of federation posts from unproven senders, counted by every replica of a node on one
-- PostgreSQL together (src/federation/shared-refusal-ledger.ts): one budget per address, not one per
-- replica, and one audit summary per address and window. Addresses are stored as SHA-256 only.
CREATE TABLE "federation_refusal_windows" (
	"key" text PRIMARY KEY NOT NULL,
	"started_ms" bigint NOT NULL,
	"refusals" integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX "federation_refusal_windows_started_idx" ON "federation_refusal_windows" USING btree ("started_ms");
--> statement-breakpoint
CREATE TABLE "federation_refusal_counts" (
	"key" text NOT NULL,
	"window_start_ms" bigint NOT NULL,
	"count" integer NOT NULL,
	"codes" jsonb NOT NULL,
	CONSTRAINT "federation_refusal_counts_key_window_start_ms_pk" PRIMARY KEY("key","window_start_ms")
);
--> statement-breakpoint
CREATE INDEX "federation_refusal_counts_window_idx" ON "federation_refusal_counts" USING btree ("window_start_ms");
