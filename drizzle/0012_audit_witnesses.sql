-- A witnessed audit log (C2SP checkpoints and cosignatures). Each signed tree head also as a signed
-- checkpoint note; the cosignatures partner nodes gave this node's checkpoints; as a witness, the
-- latest checkpoint cosigned for each partner's log; and proof of any fork seen (two checkpoints of
-- one log that cannot both be true), kept for good.
ALTER TABLE "audit_tree_heads" ADD COLUMN "checkpoint" text;
--> statement-breakpoint
CREATE TABLE "audit_cosignatures" (
	"witness" text NOT NULL,
	"tree_size" bigint NOT NULL,
	"root_hash" text NOT NULL,
	"note" text NOT NULL,
	"cosigned_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	CONSTRAINT "audit_cosignatures_witness_tree_size_pk" PRIMARY KEY("witness","tree_size")
);
--> statement-breakpoint
CREATE TABLE "witnessed_logs" (
	"node" text PRIMARY KEY NOT NULL,
	"tree_size" bigint NOT NULL,
	"root_hash" text NOT NULL,
	"note" text NOT NULL,
	"cosigned_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "witness_forks" (
	"id" serial PRIMARY KEY NOT NULL,
	"node" text NOT NULL,
	"reason" text NOT NULL,
	"first_note" text NOT NULL,
	"second_note" text NOT NULL,
	"detected_at" timestamp with time zone NOT NULL
);
