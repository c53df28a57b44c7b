-- Alerts whose indicator ids are all derived from (alert id, type, value) (src/hub/indicator-ids.ts):
-- a check answers their hits from memory, with no database query. Alerts stored before keep random
-- ids, which only the database knows, and stay false.
ALTER TABLE "hub_alerts" ADD COLUMN "indicator_ids_derived" boolean DEFAULT false NOT NULL;
