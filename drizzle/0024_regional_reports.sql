-- Regional aggregates of implementation reports (issue #17): on a regional hub, the released signed
-- reports its member nodes sent over federation, each checked against its node's signature before it
-- is kept. The aggregate is computed from these rows when read; the members' requests never travel.
CREATE TABLE "regional_member_reports" (
  "id" uuid PRIMARY KEY NOT NULL,
  "region" text NOT NULL,
  "node" text NOT NULL,
  "period" text NOT NULL,
  "period_start" timestamp with time zone NOT NULL,
  "generated_at" timestamp with time zone NOT NULL,
  "jws" text NOT NULL,
  "received_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "regional_member_reports_period_idx" ON "regional_member_reports" ("region", "period", "node", "generated_at");
--> statement-breakpoint
-- The early-warning hub's checks answered and hits, per hour and mode (exact or privacy), for the
-- implementation indicators: counts only, never a value or who asked. Each replica adds its own.
CREATE TABLE "hub_check_counts" (
  "hour" timestamp with time zone NOT NULL,
  "mode" text NOT NULL,
  "checks" bigint NOT NULL,
  "hits" bigint NOT NULL,
  CONSTRAINT "hub_check_counts_pk" PRIMARY KEY ("hour", "mode")
);
