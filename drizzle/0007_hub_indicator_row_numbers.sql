-- A dense number for each indicator row. The hub's in-memory index keeps this number (4 bytes)
-- instead of the row's two UUIDs (32 bytes) and reads the ids back on a hit (src/hub/indicator-rows.ts).
-- Existing rows are numbered as the column is added.
ALTER TABLE "hub_indicators" ADD COLUMN "row_no" bigint GENERATED ALWAYS AS IDENTITY NOT NULL;
--> statement-breakpoint
CREATE UNIQUE INDEX "hub_indicators_row_no_idx" ON "hub_indicators" USING btree ("row_no");
