-- When each sharing group first used privacy mode. Its privacy-mode table is built on its first
-- such check, which waited for the whole build (84 s at 10,000,000 indicators); with this the node
-- builds the tables of the groups that used privacy mode before in the background after each start.
ALTER TABLE "hub_groups" ADD COLUMN "privacy_used_at" timestamp with time zone;
