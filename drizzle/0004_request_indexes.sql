-- Requests at scale and notifications leaving the node: the delivery outbox of webhooks and
-- e-mails, the overdue filter as an index (combined with the other list filters), and the
-- status-led composite indexes used by combined list filters (see bench/requests.bench.ts).
CREATE TABLE "notification_deliveries" (
	"id" uuid PRIMARY KEY NOT NULL,
	"notification_id" uuid NOT NULL REFERENCES "notifications"("id"),
	"channel" text NOT NULL CHECK ("channel" IN ('webhook', 'email')),
	"target" text NOT NULL,
	"status" text NOT NULL CHECK ("status" IN ('pending', 'delivered', 'failed')),
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone NOT NULL,
	"last_error" text,
	"delivered_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "notification_deliveries_due_idx" ON "notification_deliveries" USING btree ("next_attempt_at") WHERE "status" = 'pending';
--> statement-breakpoint
CREATE INDEX "notification_deliveries_notification_idx" ON "notification_deliveries" USING btree ("notification_id");
--> statement-breakpoint
CREATE INDEX "requests_overdue_idx" ON "requests" USING btree ((LEAST("next_due_at", CASE WHEN "emergency_approval_pending" THEN "emergency_approval_due_at" END)), "partner_state", "urgency", "type", "status", "assigned_to") WHERE "next_due_at" IS NOT NULL OR "emergency_approval_pending";
--> statement-breakpoint
CREATE INDEX "requests_status_partner_idx" ON "requests" USING btree ("status", "partner_state", "id");
--> statement-breakpoint
CREATE INDEX "requests_status_type_idx" ON "requests" USING btree ("status", "type", "id");
