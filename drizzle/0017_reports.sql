-- Periodic implementation reports (issue #17): each row is a signed report of one period, computed
-- at an audit checkpoint (tree size + root hash). It is public only once released, by someone other
-- than whoever built it (four eyes, enforced here as well as in code).
CREATE TABLE "indicator_reports" (
  "id" uuid PRIMARY KEY NOT NULL,
  "period" text NOT NULL,
  "period_start" timestamp with time zone NOT NULL,
  "period_end" timestamp with time zone NOT NULL,
  "jws" text NOT NULL,
  "tree_size" bigint NOT NULL,
  "root_hash" text NOT NULL,
  "built_by" text NOT NULL,
  "built_at" timestamp with time zone NOT NULL,
  "released_by" text,
  "released_at" timestamp with time zone,
  CONSTRAINT "indicator_reports_four_eyes" CHECK ("released_by" IS NULL OR "released_by" <> "built_by")
);
--> statement-breakpoint
CREATE INDEX "indicator_reports_period_idx" ON "indicator_reports" ("period", "built_at");
--> statement-breakpoint
CREATE INDEX "indicator_reports_released_idx" ON "indicator_reports" ("released_at") WHERE "released_at" IS NOT NULL;
--> statement-breakpoint
-- The indicators count timeline steps by when they happened.
CREATE INDEX "request_events_at_idx" ON "request_events" ("at");
