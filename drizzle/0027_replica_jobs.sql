-- What replicas of one node must share: sign-in throttling counters (src/auth/login-throttle.ts), so
-- that N replicas do not allow N times the budget; and claims of background jobs with a side effect
-- outside the database (src/store/job-claims.ts), so that each runs once whichever replica gets there
-- first. Keys are hashes: no name or address is stored in clear.
CREATE TABLE "login_throttle" (
	"key" text PRIMARY KEY NOT NULL,
	"count" integer NOT NULL,
	"started_ms" bigint NOT NULL,
	"last_ms" bigint NOT NULL,
	"locked_until_ms" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX "login_throttle_last_idx" ON "login_throttle" USING btree ("last_ms");
--> statement-breakpoint
CREATE TABLE "job_claims" (
	"job" text NOT NULL,
	"key" text NOT NULL,
	"claimed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "job_claims_job_key_pk" PRIMARY KEY("job","key")
);
--> statement-breakpoint
CREATE INDEX "job_claims_claimed_idx" ON "job_claims" USING btree ("claimed_at");
