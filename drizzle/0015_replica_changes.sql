-- Replicas of one node on one PostgreSQL database hear of each other's committed changes here
-- (src/replicas): triggers record what changed (a table's topic and a row's id, the few values a
-- replica cannot read back afterwards) and NOTIFY on commit; a replica re-reads the rows and catches
-- up by sequence number after a lost notification or a reconnect. The triggers write only for a
-- connection that names itself a replica (the setting hanoi247.replica, which the PostgreSQL pool
-- sets): embedded PGlite, one process, writes nothing here.
CREATE TABLE "replica_changes" (
	"seq" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
	"origin" text NOT NULL,
	"topic" text NOT NULL,
	"object_id" text NOT NULL,
	"detail" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "replica_changes_created_idx" ON "replica_changes" USING btree ("created_at");
--> statement-breakpoint
CREATE FUNCTION hanoi247_replica_change(p_topic text, p_object text, p_detail jsonb) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	v_origin text := current_setting('hanoi247.replica', true);
	v_seq bigint;
BEGIN
	IF v_origin IS NULL OR v_origin = '' THEN
		RETURN;
	END IF;
	INSERT INTO replica_changes (origin, topic, object_id, detail)
		VALUES (v_origin, p_topic, p_object, p_detail) RETURNING seq INTO v_seq;
	PERFORM pg_notify('hanoi247_changes', v_seq::text);
END $$;
--> statement-breakpoint
CREATE FUNCTION hanoi247_replica_row() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_TABLE_NAME = 'request_events' THEN
		PERFORM hanoi247_replica_change('request', NEW.request_id::text,
			jsonb_build_object('action', NEW.action, 'created', NEW.from_status IS NULL));
	ELSIF TG_TABLE_NAME = 'hub_alerts' THEN
		PERFORM hanoi247_replica_change('hub_alert', NEW.id::text, jsonb_build_object('version', NEW.version));
	ELSIF TG_TABLE_NAME = 'hub_reports' THEN
		PERFORM hanoi247_replica_change('hub_report', NEW.id::text, NULL);
	ELSIF TG_TABLE_NAME = 'users' THEN
		PERFORM hanoi247_replica_change('principal', OLD.id::text, NULL);
	ELSE
		-- sessions and api_tokens: the user whose credentials changed
		PERFORM hanoi247_replica_change('principal', OLD.user_id::text, NULL);
	END IF;
	RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION hanoi247_replica_indicators() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF coalesce(current_setting('hanoi247.replica', true), '') = '' THEN
		RETURN NULL;
	END IF;
	IF TG_OP = 'INSERT' THEN
		PERFORM hanoi247_replica_change('hub_indicators_added', a.alert_id::text, jsonb_build_object('rows', a.rows))
		FROM (SELECT alert_id, jsonb_agg(row_no) AS rows FROM added GROUP BY alert_id) a;
	ELSE
		-- Deleted rows cannot be read back: their values travel with the change.
		PERFORM hanoi247_replica_change('hub_indicators_removed', r.alert_id::text, jsonb_build_object('rows', r.rows))
		FROM (SELECT alert_id, jsonb_agg(jsonb_build_array(id, row_no, type, value)) AS rows
			FROM removed GROUP BY alert_id) r;
	END IF;
	RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION hanoi247_replica_table() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM hanoi247_replica_change(TG_ARGV[0], '', NULL);
	RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER replica_request_events AFTER INSERT ON request_events FOR EACH ROW EXECUTE FUNCTION hanoi247_replica_row();
--> statement-breakpoint
CREATE TRIGGER replica_hub_alerts AFTER INSERT OR UPDATE ON hub_alerts FOR EACH ROW EXECUTE FUNCTION hanoi247_replica_row();
--> statement-breakpoint
CREATE TRIGGER replica_hub_reports AFTER INSERT ON hub_reports FOR EACH ROW EXECUTE FUNCTION hanoi247_replica_row();
--> statement-breakpoint
CREATE TRIGGER replica_users AFTER UPDATE OR DELETE ON users FOR EACH ROW EXECUTE FUNCTION hanoi247_replica_row();
--> statement-breakpoint
CREATE TRIGGER replica_sessions AFTER DELETE ON sessions FOR EACH ROW EXECUTE FUNCTION hanoi247_replica_row();
--> statement-breakpoint
CREATE TRIGGER replica_api_tokens AFTER UPDATE OR DELETE ON api_tokens FOR EACH ROW EXECUTE FUNCTION hanoi247_replica_row();
--> statement-breakpoint
CREATE TRIGGER replica_hub_indicators_added AFTER INSERT ON hub_indicators REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION hanoi247_replica_indicators();
--> statement-breakpoint
CREATE TRIGGER replica_hub_indicators_removed AFTER DELETE ON hub_indicators REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION hanoi247_replica_indicators();
--> statement-breakpoint
CREATE TRIGGER replica_hub_orgs AFTER INSERT OR UPDATE OR DELETE ON hub_orgs FOR EACH STATEMENT EXECUTE FUNCTION hanoi247_replica_table('hub_membership');
--> statement-breakpoint
CREATE TRIGGER replica_hub_groups AFTER INSERT OR UPDATE OR DELETE ON hub_groups FOR EACH STATEMENT EXECUTE FUNCTION hanoi247_replica_table('hub_membership');
--> statement-breakpoint
CREATE TRIGGER replica_hub_group_members AFTER INSERT OR UPDATE OR DELETE ON hub_group_members FOR EACH STATEMENT EXECUTE FUNCTION hanoi247_replica_table('hub_membership');
--> statement-breakpoint
CREATE TRIGGER replica_hub_org_members AFTER INSERT OR UPDATE OR DELETE ON hub_org_members FOR EACH STATEMENT EXECUTE FUNCTION hanoi247_replica_table('hub_membership');
--> statement-breakpoint
CREATE TRIGGER replica_hub_group_nodes AFTER INSERT OR UPDATE OR DELETE ON hub_group_nodes FOR EACH STATEMENT EXECUTE FUNCTION hanoi247_replica_table('hub_membership');
--> statement-breakpoint
CREATE TRIGGER replica_hub_remote_orgs AFTER INSERT OR UPDATE OR DELETE ON hub_remote_orgs FOR EACH STATEMENT EXECUTE FUNCTION hanoi247_replica_table('hub_membership');
--> statement-breakpoint
CREATE TRIGGER replica_hub_webhooks AFTER INSERT OR UPDATE OR DELETE ON hub_webhooks FOR EACH STATEMENT EXECUTE FUNCTION hanoi247_replica_table('hub_webhooks');
