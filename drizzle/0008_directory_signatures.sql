-- The signed directory as received (compact JWS), with the publisher key that verified it, so an
-- auditor can show which signed document the node used; and, when the trust anchors no longer
-- verify it (a publisher key revoked, removed or expired), when and why the node refused it.
ALTER TABLE "directory_versions" ADD COLUMN "signed_jws" text;
--> statement-breakpoint
ALTER TABLE "directory_versions" ADD COLUMN "publisher_kid" text;
--> statement-breakpoint
ALTER TABLE "directory_versions" ADD COLUMN "publisher_jwk" jsonb;
--> statement-breakpoint
ALTER TABLE "directory_versions" ADD COLUMN "refused_at" timestamp with time zone;
--> statement-breakpoint
ALTER TABLE "directory_versions" ADD COLUMN "refused_code" text;
--> statement-breakpoint
ALTER TABLE "directory_versions" ADD COLUMN "refused_reason" text;
