CREATE TABLE "federation_outbox" (
	"id" uuid PRIMARY KEY NOT NULL,
	"recipient" text NOT NULL,
	"message_type" text NOT NULL,
	"request_id" uuid,
	"in_reply_to" uuid,
	"seq" integer,
	"body" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL CHECK ("status" IN ('pending', 'sent', 'dead')),
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone NOT NULL,
	"claimed_by" text,
	"last_error_code" text,
	"last_error" text,
	"payload_sha256" text,
	"receipt" text,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "federation_outbox_due_idx" ON "federation_outbox" USING btree ("status", "next_attempt_at");
--> statement-breakpoint
CREATE INDEX "federation_outbox_request_idx" ON "federation_outbox" USING btree ("recipient", "request_id", "seq");
--> statement-breakpoint
CREATE TABLE "federation_inbox" (
	"message_id" uuid PRIMARY KEY NOT NULL,
	"sender" text NOT NULL,
	"message_type" text NOT NULL,
	"request_id" uuid,
	"seq" integer,
	"payload_sha256" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"receipt" text NOT NULL
);
--> statement-breakpoint
CREATE INDEX "federation_inbox_expires_idx" ON "federation_inbox" USING btree ("expires_at");
--> statement-breakpoint
CREATE TABLE "federation_sequences" (
	"peer" text NOT NULL,
	"request_id" uuid NOT NULL,
	"last_seq" integer NOT NULL,
	CONSTRAINT "federation_sequences_pk" PRIMARY KEY ("peer", "request_id")
);
