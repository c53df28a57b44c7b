-- Implementation indicators (issue #17) at a million requests: each step of the request timeline
-- with the columns of its request that the figures break it down by, in one narrow row, so that a
-- period's figures read the period's rows by `at` instead of looking each step's request up (a wide
-- row) and, for each answer, the request's first sending or receipt. Kept by triggers in the same
-- transaction as the step or the change of the request, so it never disagrees with the timeline:
-- a step adds its row; a change of the request (a draft edited) rewrites its rows; `started`, the
-- first sending or receipt of the request, is the least `at` of those steps, rewritten on every row
-- of the request when a step moves it; `first_of_case`, whether no request of its case is older (by
-- creation, then id), rewritten on the rows of a case when a request joins it or moves. src/reports/indicator-facts.ts reads it; the definition it
-- must agree with (test/reports/indicator-step-facts.test.ts) is the timeline joined to the request.
CREATE TABLE "request_step_facts" (
	"id" bigint PRIMARY KEY,
	"request_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"refusal_ground" text,
	"case_id" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"requested_deadline" timestamp with time zone,
	"exercise" boolean NOT NULL,
	"confidential" boolean NOT NULL,
	"type" text NOT NULL,
	"direction" text NOT NULL,
	"partner" text NOT NULL,
	"urgency" text NOT NULL,
	"legal_basis" text NOT NULL,
	"started" timestamp with time zone,
	"first_of_case" boolean NOT NULL
);
--> statement-breakpoint
CREATE INDEX "request_step_facts_at_idx" ON "request_step_facts" USING btree ("at");
--> statement-breakpoint
CREATE INDEX "request_step_facts_request_idx" ON "request_step_facts" USING btree ("request_id");
--> statement-breakpoint
-- The two kinds of step the response times read one by one (the others are only counted): the
-- answers (an acknowledgement, an execution, a refusal) and the steps a person took on a request
-- received (24/7 availability). The conditions are those of src/reports/indicator-facts.ts.
CREATE INDEX "request_step_facts_answer_idx" ON "request_step_facts" USING btree ("at")
	WHERE "action" IN ('acknowledge', 'record_acknowledgement')
		OR "to_status" IN ('executed', 'partially_executed', 'refused');
--> statement-breakpoint
CREATE INDEX "request_step_facts_received_idx" ON "request_step_facts" USING btree ("at")
	WHERE "direction" = 'INCOMING' AND "action" <> 'register_incoming'
		AND "actor" NOT LIKE 'node:%' AND "actor" NOT LIKE 'system:%';
--> statement-breakpoint
-- Whether a request is the first of its case: an index the triggers' look-ups answer from alone.
CREATE INDEX "requests_case_created_idx" ON "requests" USING btree ("case_id", "created_at", "id");
--> statement-breakpoint
CREATE FUNCTION hanoi247_first_of_case(p_case uuid, p_created timestamp with time zone, p_id uuid)
RETURNS boolean LANGUAGE sql STABLE AS $$
	SELECT NOT EXISTS (SELECT 1 FROM requests r2 WHERE r2.case_id = p_case
		AND (r2.created_at < p_created OR (r2.created_at = p_created AND r2.id < p_id)))
$$;
--> statement-breakpoint
CREATE FUNCTION hanoi247_step_facts_add() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	-- Set-based (a bulk load adds a hundred thousand steps in one statement; a node, one).
	INSERT INTO request_step_facts (id, request_id, at, actor, action, from_status, to_status, refusal_ground,
			case_id, created_at, requested_deadline, exercise, confidential, type, direction, partner, urgency,
			legal_basis, started, first_of_case)
		SELECT e.id, e.request_id, e.at, e.actor, e.action, e.from_status, e.to_status, e.details->>'ground',
			r.case_id, r.created_at, r.requested_deadline, r.exercise_id IS NOT NULL,
			COALESCE(r.body->>'confidentialityRequired', 'false') = 'true',
			r.type, r.direction, r.partner_state, r.urgency, r.legal_basis, s.started,
			NOT EXISTS (SELECT 1 FROM requests r2 WHERE r2.case_id = r.case_id
				AND (r2.created_at < r.created_at OR (r2.created_at = r.created_at AND r2.id < r.id)))
		FROM added e JOIN requests r ON r.id = e.request_id
		LEFT JOIN (SELECT x.request_id, min(x.at) AS started FROM request_events x
				WHERE x.request_id IN (SELECT a.request_id FROM added a) AND x.action IN ('send', 'register_incoming')
				GROUP BY x.request_id) s ON s.request_id = e.request_id;
	-- A sending or receipt may move the first one of its request: its earlier rows follow.
	UPDATE request_step_facts f SET started = s.started
		FROM (SELECT x.request_id, min(x.at) AS started FROM request_events x
				WHERE x.request_id IN (SELECT a.request_id FROM added a WHERE a.action IN ('send', 'register_incoming'))
					AND x.action IN ('send', 'register_incoming')
				GROUP BY x.request_id) s
		WHERE f.request_id = s.request_id AND f.started IS DISTINCT FROM s.started
			AND f.id NOT IN (SELECT a.id FROM added a);
	RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "request_step_facts_add" AFTER INSERT ON "request_events"
	REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION hanoi247_step_facts_add();
--> statement-breakpoint
CREATE FUNCTION hanoi247_step_facts_request() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	UPDATE request_step_facts SET case_id = NEW.case_id, created_at = NEW.created_at,
			requested_deadline = NEW.requested_deadline, exercise = NEW.exercise_id IS NOT NULL,
			confidential = COALESCE(NEW.body->>'confidentialityRequired', 'false') = 'true',
			type = NEW.type, direction = NEW.direction, partner = NEW.partner_state, urgency = NEW.urgency,
			legal_basis = NEW.legal_basis
		WHERE request_id = NEW.id;
	IF OLD.case_id IS DISTINCT FROM NEW.case_id OR OLD.created_at IS DISTINCT FROM NEW.created_at THEN
		UPDATE request_step_facts f SET first_of_case = hanoi247_first_of_case(f.case_id, f.created_at, f.request_id)
			WHERE f.request_id IN (SELECT r.id FROM requests r WHERE r.case_id IN (OLD.case_id, NEW.case_id))
				AND f.first_of_case IS DISTINCT FROM hanoi247_first_of_case(f.case_id, f.created_at, f.request_id);
	END IF;
	RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "request_step_facts_request" AFTER UPDATE ON "requests" FOR EACH ROW
	WHEN (OLD.case_id IS DISTINCT FROM NEW.case_id OR OLD.created_at IS DISTINCT FROM NEW.created_at
		OR OLD.requested_deadline IS DISTINCT FROM NEW.requested_deadline
		OR OLD.exercise_id IS DISTINCT FROM NEW.exercise_id
		OR OLD.body->>'confidentialityRequired' IS DISTINCT FROM NEW.body->>'confidentialityRequired'
		OR OLD.type IS DISTINCT FROM NEW.type OR OLD.direction IS DISTINCT FROM NEW.direction
		OR OLD.partner_state IS DISTINCT FROM NEW.partner_state OR OLD.urgency IS DISTINCT FROM NEW.urgency
		OR OLD.legal_basis IS DISTINCT FROM NEW.legal_basis)
	EXECUTE FUNCTION hanoi247_step_facts_request();
--> statement-breakpoint
-- A request older than the first of its case (by creation, then id) takes its place.
CREATE FUNCTION hanoi247_step_facts_case() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	UPDATE request_step_facts SET first_of_case = false
		WHERE first_of_case AND request_id IN (SELECT r.id FROM added n JOIN requests r ON r.case_id = n.case_id
			AND (n.created_at < r.created_at OR (n.created_at = r.created_at AND n.id < r.id)));
	RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "request_step_facts_case" AFTER INSERT ON "requests"
	REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION hanoi247_step_facts_case();
--> statement-breakpoint
-- The steps already taken.
INSERT INTO request_step_facts (id, request_id, at, actor, action, from_status, to_status, refusal_ground,
		case_id, created_at, requested_deadline, exercise, confidential, type, direction, partner, urgency,
		legal_basis, started, first_of_case)
	SELECT e.id, e.request_id, e.at, e.actor, e.action, e.from_status, e.to_status, e.details->>'ground',
		r.case_id, r.created_at, r.requested_deadline, r.exercise_id IS NOT NULL,
		COALESCE(r.body->>'confidentialityRequired', 'false') = 'true',
		r.type, r.direction, r.partner_state, r.urgency, r.legal_basis,
		min(e.at) FILTER (WHERE e.action IN ('send', 'register_incoming')) OVER (PARTITION BY e.request_id),
		r.first_of_case
	FROM request_events e
	JOIN (SELECT r.*, r.id = first_value(r.id) OVER (PARTITION BY r.case_id ORDER BY r.created_at, r.id)
			AS first_of_case
		FROM requests r) r ON r.id = e.request_id;
