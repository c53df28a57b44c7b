-- TAXII pages serve the last version of each object (issue 20, finding 8). A row whose object has a
-- newer version in the collection is marked, so that a page looks for the last version a reader may
-- see only on those rows: before, every row of a page cost a random read of the primary key, which at
-- a million objects no longer stays in memory.
ALTER TABLE "hub_stix_objects" ADD COLUMN "superseded" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
UPDATE "hub_stix_objects" o SET "superseded" = true
WHERE EXISTS (SELECT 1 FROM "hub_stix_objects" o2
              WHERE o2.group_id = o.group_id AND o2.id = o.id AND o2.version > o.version);
