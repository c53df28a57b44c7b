-- TAXII paging by keyset (date added, id) filtered by type: match[type] pages read this index in order
-- instead of scanning the collection for the types asked (hub_stix_objects_added_idx serves the rest).
CREATE INDEX "hub_stix_objects_type_idx" ON "hub_stix_objects" ("group_id", "type", "date_added_us", "id");
