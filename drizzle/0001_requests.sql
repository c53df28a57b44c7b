CREATE TABLE "cases" (
	"id" uuid PRIMARY KEY NOT NULL,
	"reference" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"created_by" text NOT NULL,
	CONSTRAINT "cases_reference_unique" UNIQUE("reference")
);
--> statement-breakpoint
CREATE TABLE "requests" (
	"id" uuid PRIMARY KEY NOT NULL,
	"case_id" uuid NOT NULL REFERENCES "cases"("id"),
	"direction" text NOT NULL CHECK ("direction" IN ('OUTGOING', 'INCOMING')),
	"type" text NOT NULL,
	"status" text NOT NULL,
	"urgency" text NOT NULL CHECK ("urgency" IN ('ROUTINE', 'URGENT', 'EMERGENCY')),
	"requesting_state" text NOT NULL,
	"requested_state" text NOT NULL,
	"partner_state" text NOT NULL,
	"body" jsonb NOT NULL,
	"legal_basis" text NOT NULL,
	"treaty_ref" text,
	"legal_basis_reason" text NOT NULL,
	"legal_basis_candidates" jsonb NOT NULL,
	"scope_result" text NOT NULL,
	"scope_reason" text NOT NULL,
	"drafted_by" text NOT NULL,
	"approved_by" text,
	"assigned_to" text,
	"emergency_approval_pending" boolean DEFAULT false NOT NULL,
	"emergency_approval_due_at" timestamp with time zone,
	"requested_deadline" timestamp with time zone,
	"started_at" timestamp with time zone,
	"postponed_until" timestamp with time zone,
	"next_due_at" timestamp with time zone,
	"next_due_kind" text,
	"executed_at" timestamp with time zone,
	"preservation_expires_at" timestamp with time zone,
	"preservation_extensions" integer DEFAULT 0 NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "requests_case_idx" ON "requests" USING btree ("case_id");
--> statement-breakpoint
CREATE INDEX "requests_status_idx" ON "requests" USING btree ("status", "id");
--> statement-breakpoint
CREATE INDEX "requests_type_idx" ON "requests" USING btree ("type", "id");
--> statement-breakpoint
CREATE INDEX "requests_partner_idx" ON "requests" USING btree ("partner_state", "id");
--> statement-breakpoint
CREATE INDEX "requests_urgency_idx" ON "requests" USING btree ("urgency", "id");
--> statement-breakpoint
CREATE INDEX "requests_next_due_idx" ON "requests" USING btree ("next_due_at");
--> statement-breakpoint
CREATE INDEX "requests_assigned_idx" ON "requests" USING btree ("assigned_to", "id");
--> statement-breakpoint
CREATE TABLE "request_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
	"request_id" uuid NOT NULL REFERENCES "requests"("id"),
	"at" timestamp with time zone NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"details" jsonb NOT NULL
);
--> statement-breakpoint
CREATE INDEX "request_events_request_idx" ON "request_events" USING btree ("request_id", "id");
--> statement-breakpoint
CREATE TABLE "request_links" (
	"request_id" uuid NOT NULL REFERENCES "requests"("id"),
	"linked_id" uuid NOT NULL REFERENCES "requests"("id"),
	PRIMARY KEY ("request_id", "linked_id")
);
--> statement-breakpoint
CREATE INDEX "request_links_linked_idx" ON "request_links" USING btree ("linked_id");
--> statement-breakpoint
CREATE TABLE "request_identifiers" (
	"request_id" uuid NOT NULL REFERENCES "requests"("id"),
	"kind" text NOT NULL,
	"keyed_hash" text NOT NULL,
	PRIMARY KEY ("request_id", "keyed_hash")
);
--> statement-breakpoint
CREATE INDEX "request_identifiers_hash_idx" ON "request_identifiers" USING btree ("keyed_hash");
--> statement-breakpoint
CREATE TABLE "request_timers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"request_id" uuid NOT NULL REFERENCES "requests"("id"),
	"kind" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"details" jsonb NOT NULL,
	"done_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "request_timers_due_idx" ON "request_timers" USING btree ("due_at") WHERE "done_at" IS NULL;
--> statement-breakpoint
CREATE INDEX "request_timers_request_idx" ON "request_timers" USING btree ("request_id");
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" uuid PRIMARY KEY NOT NULL,
	"recipient" text NOT NULL,
	"request_id" uuid REFERENCES "requests"("id"),
	"kind" text NOT NULL,
	"message" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"read_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "notifications_recipient_idx" ON "notifications" USING btree ("recipient", "id");
