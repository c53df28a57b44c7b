-- Joint exercises (issue #18), the end and the evidence.
-- The final scores of the other participating nodes: the controller's end carries its own State's
-- outcomes to each joined node, and each node that archives the exercise sends its State's outcomes
-- back to the controller. One row per exercise and State; `outcomes` is what that node archived for
-- the expected actions of its State, `score` their tally.
CREATE TABLE "exercise_final_scores" (
	"exercise_id" uuid NOT NULL REFERENCES "exercises"("id"),
	"state" text NOT NULL,
	"score" jsonb NOT NULL,
	"outcomes" jsonb NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	CONSTRAINT "exercise_final_scores_pk" PRIMARY KEY ("exercise_id", "state")
);
--> statement-breakpoint
-- Evidence of an exercise request carries its exercise, as the request does: items, uploads and
-- packages (also received ones). Null for real evidence.
ALTER TABLE "evidence_items" ADD COLUMN "exercise_id" uuid;
--> statement-breakpoint
ALTER TABLE "evidence_uploads" ADD COLUMN "exercise_id" uuid;
--> statement-breakpoint
ALTER TABLE "evidence_packages" ADD COLUMN "exercise_id" uuid;
--> statement-breakpoint
UPDATE "evidence_items" SET "exercise_id" = r."exercise_id" FROM "requests" r
	WHERE r."id" = "evidence_items"."request_id" AND r."exercise_id" IS NOT NULL;
--> statement-breakpoint
UPDATE "evidence_uploads" SET "exercise_id" = r."exercise_id" FROM "requests" r
	WHERE r."id" = "evidence_uploads"."request_id" AND r."exercise_id" IS NOT NULL;
--> statement-breakpoint
UPDATE "evidence_packages" SET "exercise_id" = r."exercise_id" FROM "requests" r
	WHERE r."id" = "evidence_packages"."request_id" AND r."exercise_id" IS NOT NULL;
