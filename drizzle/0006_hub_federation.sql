-- Hub alerts between nodes: which nodes share a sharing group (one of them may be the regional hub that
-- redistributes), and which organisations live on another node (copies of their alerts arrive by federation).
CREATE TABLE "hub_group_nodes" (
	"group_id" uuid NOT NULL REFERENCES "hub_groups"("id") ON DELETE CASCADE,
	"state" text NOT NULL CHECK ("state" ~ '^[A-Z]{2}$'),
	"role" text NOT NULL CHECK ("role" IN ('hub', 'member')),
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "hub_group_nodes_pk" PRIMARY KEY ("group_id", "state")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "hub_group_nodes_one_hub_idx" ON "hub_group_nodes" ("group_id") WHERE "role" = 'hub';
--> statement-breakpoint
CREATE TABLE "hub_remote_orgs" (
	"org_id" uuid PRIMARY KEY NOT NULL REFERENCES "hub_orgs"("id") ON DELETE CASCADE,
	"home_state" text NOT NULL CHECK ("home_state" ~ '^[A-Z]{2}$'),
	"created_at" timestamp with time zone NOT NULL
);
