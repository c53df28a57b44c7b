-- Joint exercises (issue #18): the exercises a node runs or joined, their participants, the inject
-- log (scripted injects, the controller's hand-fired ones and the simulated partners' answers, each
-- claimed with FOR UPDATE SKIP LOCKED), what the players did and the scores archived at the end,
-- and the alerts shared inside an exercise (kept out of the hub's tables, so no check, TAXII
-- collection or STIX export can ever see them). Real rows that an exercise also produces (requests,
-- federation messages, notifications) carry a nullable exercise_id; every real list filters on it.
CREATE TABLE "exercises" (
	"id" uuid PRIMARY KEY NOT NULL,
	"scenario_id" text NOT NULL,
	"title" text NOT NULL,
	"scenario" jsonb NOT NULL,
	"scenario_sha256" text NOT NULL,
	"role" text NOT NULL CHECK ("role" IN ('controller', 'participant')),
	"node_state" text NOT NULL,
	"status" text NOT NULL CHECK ("status" IN ('running', 'paused', 'ended')),
	"speed" double precision NOT NULL,
	"exercise_start" timestamp with time zone NOT NULL,
	"anchor_real" timestamp with time zone NOT NULL,
	"anchor_elapsed_ms" double precision NOT NULL,
	"started_by" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE INDEX "exercises_status_idx" ON "exercises" USING btree ("status");
--> statement-breakpoint
CREATE TABLE "exercise_participants" (
	"exercise_id" uuid NOT NULL REFERENCES "exercises"("id"),
	"position" integer NOT NULL,
	"state" text NOT NULL,
	"organisation" text NOT NULL,
	"simulated" boolean NOT NULL,
	"language" text,
	CONSTRAINT "exercise_participants_pk" PRIMARY KEY ("exercise_id", "position")
);
--> statement-breakpoint
CREATE TABLE "exercise_injects" (
	"exercise_id" uuid NOT NULL REFERENCES "exercises"("id"),
	"inject_id" text NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"source" text NOT NULL CHECK ("source" IN ('script', 'manual', 'simulated')),
	"at_minutes" double precision NOT NULL,
	"details" jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL CHECK ("status" IN ('pending', 'fired', 'cancelled')),
	"fired_at" timestamp with time zone,
	"fired_minutes" double precision,
	"fired_by" text,
	"request_id" uuid,
	"alert_id" uuid,
	CONSTRAINT "exercise_injects_pk" PRIMARY KEY ("exercise_id", "inject_id")
);
--> statement-breakpoint
CREATE INDEX "exercise_injects_due_idx" ON "exercise_injects" USING btree ("status", "exercise_id", "at_minutes");
--> statement-breakpoint
CREATE TABLE "exercise_actions" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
	"exercise_id" uuid NOT NULL REFERENCES "exercises"("id"),
	"step" text NOT NULL,
	"state" text NOT NULL,
	"actor" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"at_minutes" double precision NOT NULL,
	"request_id" uuid,
	"request_type" text,
	"partner_state" text,
	"legal_basis" text,
	"ground" text,
	"tlp" text
);
--> statement-breakpoint
CREATE INDEX "exercise_actions_exercise_idx" ON "exercise_actions" USING btree ("exercise_id", "id");
--> statement-breakpoint
CREATE TABLE "exercise_outcomes" (
	"exercise_id" uuid NOT NULL REFERENCES "exercises"("id"),
	"action_id" text NOT NULL,
	"outcome" text NOT NULL CHECK ("outcome" IN ('pending', 'met', 'late', 'missed', 'wrong')),
	"taken_minutes" double precision,
	"detail" text,
	"scored_at" timestamp with time zone NOT NULL,
	CONSTRAINT "exercise_outcomes_pk" PRIMARY KEY ("exercise_id", "action_id")
);
--> statement-breakpoint
CREATE TABLE "exercise_alerts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"exercise_id" uuid NOT NULL REFERENCES "exercises"("id"),
	"title" text NOT NULL,
	"tlp" text NOT NULL,
	"indicators" jsonb NOT NULL,
	"source" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "exercise_alerts_exercise_idx" ON "exercise_alerts" USING btree ("exercise_id", "id");
--> statement-breakpoint
ALTER TABLE "requests" ADD COLUMN "exercise_id" uuid;
--> statement-breakpoint
CREATE INDEX "requests_exercise_idx" ON "requests" USING btree ("exercise_id", "id") WHERE "exercise_id" IS NOT NULL;
--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "exercise_id" uuid;
--> statement-breakpoint
ALTER TABLE "federation_outbox" ADD COLUMN "exercise_id" uuid;
--> statement-breakpoint
ALTER TABLE "federation_inbox" ADD COLUMN "exercise_id" uuid;
