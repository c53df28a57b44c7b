-- Evidence transfer over federation (issue #15, part 4): a package on its way from the requested State
-- to the requesting State, end to end encrypted under a transfer key only the two nodes know, and the
-- chunks the receiver has checked and stored, so either side resumes after a cut or a kill.
ALTER TABLE "evidence_packages" DROP CONSTRAINT "evidence_packages_status_check";
--> statement-breakpoint
ALTER TABLE "evidence_packages" ADD CONSTRAINT "evidence_packages_status_check"
	CHECK ("status" IN ('sealed', 'approved', 'sending', 'sent', 'receiving', 'received', 'verified', 'deleted'));
--> statement-breakpoint
CREATE TABLE "evidence_transfers" (
	"package_id" uuid PRIMARY KEY NOT NULL REFERENCES "evidence_packages"("id"),
	"direction" text NOT NULL CHECK ("direction" IN ('OUT', 'IN')),
	"peer_state" text NOT NULL,
	"transfer_key" text NOT NULL,
	"item_keys" jsonb NOT NULL,
	"status" text NOT NULL CHECK ("status" IN ('open', 'verified')),
	"receipt" text,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "evidence_transfer_chunks" (
	"package_id" uuid NOT NULL REFERENCES "evidence_transfers"("package_id"),
	"item_index" integer NOT NULL,
	"chunk_index" integer NOT NULL,
	CONSTRAINT "evidence_transfer_chunks_pk" PRIMARY KEY ("package_id", "item_index", "chunk_index")
);
