CREATE TABLE "hub_alerts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"description" text NOT NULL,
	"confidence" integer NOT NULL,
	"valid_from" timestamp with time zone NOT NULL,
	"valid_until" timestamp with time zone,
	"tlp" text NOT NULL,
	"group_id" uuid NOT NULL,
	"publisher_org_id" uuid NOT NULL,
	"recipient_org_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"status" text NOT NULL,
	"version" integer NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "hub_alerts_kind_check" CHECK ("hub_alerts"."kind" IN ('scam_campaign', 'ransomware', 'crypto_fraud', 'csam_infrastructure')),
	CONSTRAINT "hub_alerts_status_check" CHECK ("hub_alerts"."status" IN ('active', 'revoked')),
	CONSTRAINT "hub_alerts_tlp_check" CHECK ("hub_alerts"."tlp" IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')),
	CONSTRAINT "hub_alerts_confidence_check" CHECK ("hub_alerts"."confidence" BETWEEN 0 AND 100),
	CONSTRAINT "hub_alerts_version_check" CHECK ("hub_alerts"."version" >= 1)
);
--> statement-breakpoint
CREATE TABLE "hub_group_members" (
	"group_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "hub_group_members_group_id_org_id_pk" PRIMARY KEY("group_id","org_id")
);
--> statement-breakpoint
CREATE TABLE "hub_groups" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"hash_key" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "hub_groups_name_unique" UNIQUE("name"),
	CONSTRAINT "hub_groups_kind_check" CHECK ("hub_groups"."kind" IN ('national', 'regional', 'bilateral'))
);
--> statement-breakpoint
CREATE TABLE "hub_indicators" (
	"id" uuid PRIMARY KEY NOT NULL,
	"alert_id" uuid NOT NULL,
	"type" text NOT NULL,
	"value" text NOT NULL,
	"value_hash" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "hub_indicators_alert_value_unique" UNIQUE("alert_id","type","value")
);
--> statement-breakpoint
CREATE TABLE "hub_org_members" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "hub_orgs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"country" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "hub_orgs_name_unique" UNIQUE("name"),
	CONSTRAINT "hub_orgs_kind_check" CHECK ("hub_orgs"."kind" IN ('bank', 'telecom', 'platform', 'cert', 'law_enforcement', 'regulator'))
);
--> statement-breakpoint
CREATE TABLE "hub_reports" (
	"id" uuid PRIMARY KEY NOT NULL,
	"alert_id" uuid NOT NULL,
	"indicator_id" uuid,
	"kind" text NOT NULL,
	"org_id" uuid NOT NULL,
	"reported_by" uuid NOT NULL,
	"count" integer NOT NULL,
	"note" text NOT NULL,
	"observed_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "hub_reports_kind_check" CHECK ("hub_reports"."kind" IN ('sighting', 'false_positive')),
	CONSTRAINT "hub_reports_count_check" CHECK ("hub_reports"."count" >= 1)
);
--> statement-breakpoint
ALTER TABLE "hub_alerts" ADD CONSTRAINT "hub_alerts_group_id_hub_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."hub_groups"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hub_alerts" ADD CONSTRAINT "hub_alerts_publisher_org_id_hub_orgs_id_fk" FOREIGN KEY ("publisher_org_id") REFERENCES "public"."hub_orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hub_group_members" ADD CONSTRAINT "hub_group_members_group_id_hub_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."hub_groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hub_group_members" ADD CONSTRAINT "hub_group_members_org_id_hub_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."hub_orgs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hub_indicators" ADD CONSTRAINT "hub_indicators_alert_id_hub_alerts_id_fk" FOREIGN KEY ("alert_id") REFERENCES "public"."hub_alerts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hub_org_members" ADD CONSTRAINT "hub_org_members_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hub_org_members" ADD CONSTRAINT "hub_org_members_org_id_hub_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."hub_orgs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hub_reports" ADD CONSTRAINT "hub_reports_alert_id_hub_alerts_id_fk" FOREIGN KEY ("alert_id") REFERENCES "public"."hub_alerts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hub_reports" ADD CONSTRAINT "hub_reports_indicator_id_hub_indicators_id_fk" FOREIGN KEY ("indicator_id") REFERENCES "public"."hub_indicators"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hub_reports" ADD CONSTRAINT "hub_reports_org_id_hub_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."hub_orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "hub_alerts_group_idx" ON "hub_alerts" USING btree ("group_id");--> statement-breakpoint
CREATE INDEX "hub_alerts_updated_idx" ON "hub_alerts" USING btree ("updated_at","id");--> statement-breakpoint
CREATE INDEX "hub_group_members_org_idx" ON "hub_group_members" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "hub_indicators_lookup_idx" ON "hub_indicators" USING btree ("type","value");--> statement-breakpoint
CREATE INDEX "hub_indicators_hash_idx" ON "hub_indicators" USING btree ("value_hash");--> statement-breakpoint
CREATE INDEX "hub_org_members_org_idx" ON "hub_org_members" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "hub_reports_alert_idx" ON "hub_reports" USING btree ("alert_id");--> statement-breakpoint
CREATE TABLE "hub_webhooks" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"url" text NOT NULL,
	"secret" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "hub_webhooks" ADD CONSTRAINT "hub_webhooks_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "hub_webhooks_user_idx" ON "hub_webhooks" USING btree ("user_id");
