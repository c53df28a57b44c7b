-- Implementation indicators (issue #17) in under 2 s at a million requests: what the figures still
-- computed row by row from request_step_facts (drizzle/0037), kept by triggers in the same
-- transaction instead. (Follows 0038.)
--
-- 1. request_step_counts: the steps counted per UTC month and per value of everything that decides
--    which step indicators a step counts in and how it is broken down (STEP_KEY in
--    src/reports/indicator-facts.ts, and whether its request is an exercise). Periods are whole UTC
--    months (a month, a quarter, a year), so a quarter's step counts are three months of these
--    rows instead of a pass over its steps. Kept by triggers on request_step_facts itself, so
--    whatever changes that table (a step, an edit of its request, a request joining a case) moves
--    the counts with it. Upserted (n = n + excluded.n), not delta rows: see docs/indicators.md.
-- 2. Two columns of request_step_facts that the response times and the 24/7 availability looked up
--    for each step: `first_answer` (a settled answer, executed, partly executed or refused, with no
--    such step before it in its request's timeline, by id) and `first_action_after` (the instants of
--    the registrations whose first step by a person this step is: a person, neither `node:…` nor
--    `system:…`, and no other step by a person between them). Both depend only on the steps before
--    a step (by id), and a step added always has the greatest id of its request, so they are set
--    once, when the step is added.
ALTER TABLE "request_step_facts" ADD COLUMN "first_answer" boolean NOT NULL DEFAULT false;
--> statement-breakpoint
ALTER TABLE "request_step_facts" ADD COLUMN "first_action_after" timestamp with time zone[];
--> statement-breakpoint
-- What request_events.actor says about a person (the same test as src/reports/indicator-facts.ts).
CREATE FUNCTION hanoi247_by_person(p_actor text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
	SELECT p_actor NOT LIKE 'node:%' AND p_actor NOT LIKE 'system:%'
$$;
--> statement-breakpoint
-- The two columns for each step of some requests, from their whole timelines: one pass in id order
-- per request (windows whose frame starts at the first row, so each is added to, never recomputed).
CREATE FUNCTION hanoi247_step_lookups(p_requests uuid[])
RETURNS TABLE (id bigint, first_answer boolean, first_action_after timestamp with time zone[])
LANGUAGE sql STABLE AS $$
	SELECT s.id, s.first_answer, v.regs
	FROM (SELECT x.id, x.to_status IN ('executed', 'partially_executed', 'refused')
			AND NOT COALESCE(bool_or(x.to_status IN ('executed', 'partially_executed', 'refused')) OVER (
				PARTITION BY x.request_id ORDER BY x.id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), false)
			AS first_answer
		FROM request_events x WHERE x.request_id = ANY (p_requests)) s
	LEFT JOIN (SELECT g.next_person, array_agg(g.at ORDER BY g.id) AS regs
		FROM (SELECT x.id, x.action, x.at, min(x.id) FILTER (WHERE hanoi247_by_person(x.actor)) OVER (
				PARTITION BY x.request_id ORDER BY x.id DESC ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
				AS next_person
			FROM request_events x WHERE x.request_id = ANY (p_requests)) g
		JOIN request_events p ON p.id = g.next_person AND p.action <> 'register_incoming'
		WHERE g.action = 'register_incoming'
		GROUP BY g.next_person) v ON v.next_person = s.id
$$;
--> statement-breakpoint
UPDATE request_step_facts f SET first_answer = true
	FROM (SELECT x.id, x.to_status IN ('executed', 'partially_executed', 'refused')
			AND NOT COALESCE(bool_or(x.to_status IN ('executed', 'partially_executed', 'refused')) OVER (
				PARTITION BY x.request_id ORDER BY x.id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), false)
			AS first_answer
		FROM request_events x) s
	WHERE s.id = f.id AND s.first_answer;
--> statement-breakpoint
UPDATE request_step_facts f SET first_action_after = v.regs
	FROM (SELECT g.next_person, array_agg(g.at ORDER BY g.id) AS regs
		FROM (SELECT x.id, x.action, x.at, min(x.id) FILTER (WHERE hanoi247_by_person(x.actor)) OVER (
				PARTITION BY x.request_id ORDER BY x.id DESC ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
				AS next_person
			FROM request_events x) g
		JOIN request_events p ON p.id = g.next_person AND p.action <> 'register_incoming'
		WHERE g.action = 'register_incoming'
		GROUP BY g.next_person) v
	WHERE v.next_person = f.id;
--> statement-breakpoint
-- The response times read the answers, the availability the steps a person took first after a
-- registration of a request received: each from a partial index of its own.
DROP INDEX "request_step_facts_received_idx";
--> statement-breakpoint
CREATE INDEX "request_step_facts_first_action_idx" ON "request_step_facts" USING btree ("at")
	WHERE "direction" = 'INCOMING' AND "first_action_after" IS NOT NULL;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION hanoi247_step_facts_add() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	touched uuid[] := ARRAY(SELECT DISTINCT a.request_id FROM added a);
BEGIN
	-- Set-based (a bulk load adds a hundred thousand steps in one statement; a node, one).
	INSERT INTO request_step_facts (id, request_id, at, actor, action, from_status, to_status, refusal_ground,
			case_id, created_at, requested_deadline, exercise, confidential, type, direction, partner, urgency,
			legal_basis, started, first_of_case, first_answer, first_action_after)
		SELECT e.id, e.request_id, e.at, e.actor, e.action, e.from_status, e.to_status, e.details->>'ground',
			r.case_id, r.created_at, r.requested_deadline, r.exercise_id IS NOT NULL,
			COALESCE(r.body->>'confidentialityRequired', 'false') = 'true',
			r.type, r.direction, r.partner_state, r.urgency, r.legal_basis, s.started,
			NOT EXISTS (SELECT 1 FROM requests r2 WHERE r2.case_id = r.case_id
				AND (r2.created_at < r.created_at OR (r2.created_at = r.created_at AND r2.id < r.id))),
			l.first_answer, l.first_action_after
		FROM added e JOIN requests r ON r.id = e.request_id
		JOIN hanoi247_step_lookups(touched) l ON l.id = e.id
		LEFT JOIN (SELECT x.request_id, min(x.at) AS started FROM request_events x
				WHERE x.request_id = ANY (touched) AND x.action IN ('send', 'register_incoming')
				GROUP BY x.request_id) s ON s.request_id = e.request_id;
	-- A sending or receipt may move the first one of its request: its earlier rows follow (the rows
	-- just added have it already, so `IS DISTINCT FROM` leaves them). 0037 also left them out by
	-- `f.id NOT IN (SELECT a.id FROM added a)`, which adds nothing and, once the added rows outgrow
	-- work_mem, may be checked by reading them all again for each row (a bulk load of 300,000 steps
	-- in one statement into a million requests was still in its first statement after 8 minutes,
	-- reading temporary files; without it, all 3,000,000 took 219 s; the cause was not isolated).
	UPDATE request_step_facts f SET started = s.started
		FROM (SELECT x.request_id, min(x.at) AS started FROM request_events x
				WHERE x.request_id IN (SELECT a.request_id FROM added a WHERE a.action IN ('send', 'register_incoming'))
					AND x.action IN ('send', 'register_incoming')
				GROUP BY x.request_id) s
		WHERE f.request_id = s.request_id AND f.started IS DISTINCT FROM s.started;
	RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TABLE "request_step_counts" (
	"month" date NOT NULL,
	"action" text NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"refusal_ground" text,
	"opens_case" boolean NOT NULL,
	"confidential" boolean NOT NULL,
	"type" text NOT NULL,
	"direction" text NOT NULL,
	"partner" text NOT NULL,
	"urgency" text NOT NULL,
	"legal_basis" text NOT NULL,
	"exercise" boolean NOT NULL,
	"n" bigint NOT NULL,
	CONSTRAINT "request_step_counts_key" UNIQUE NULLS NOT DISTINCT ("month", "action", "from_status",
		"to_status", "refusal_ground", "opens_case", "confidential", "type", "direction", "partner", "urgency",
		"legal_basis", "exercise")
);
--> statement-breakpoint
-- Adds to the counts the rows of `new_rows` (an insert), takes away those of `old_rows` (a delete), or
-- both (an update; a change that leaves a row's key alone, such as `started`, nets to nothing and
-- touches no count). One statement, its rows in key order, so two transactions lock counts in the same
-- order. A count that falls to 0 stays, at 0.
CREATE FUNCTION hanoi247_step_counts() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	source text := CASE TG_OP
		WHEN 'INSERT' THEN 'SELECT f.*, 1 AS d FROM new_rows f'
		WHEN 'DELETE' THEN 'SELECT f.*, -1 AS d FROM old_rows f'
		ELSE 'SELECT f.*, 1 AS d FROM new_rows f UNION ALL SELECT f.*, -1 AS d FROM old_rows f' END;
BEGIN
	EXECUTE format($q$INSERT INTO request_step_counts AS c (month, action, from_status, to_status, refusal_ground,
			opens_case, confidential, type, direction, partner, urgency, legal_basis, exercise, n)
		SELECT (date_trunc('month', f.at AT TIME ZONE 'UTC'))::date AS month, f.action, f.from_status, f.to_status,
			f.refusal_ground, f.action IN ('create', 'register_incoming') AND f.first_of_case AS opens_case,
			f.confidential, f.type, f.direction, f.partner, f.urgency, f.legal_basis, f.exercise, sum(f.d)
		FROM (%s) f
		GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13 HAVING sum(f.d) <> 0
		ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13
		ON CONFLICT ON CONSTRAINT request_step_counts_key DO UPDATE SET n = c.n + excluded.n$q$, source);
	RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "request_step_counts_add" AFTER INSERT ON "request_step_facts"
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION hanoi247_step_counts();
--> statement-breakpoint
CREATE TRIGGER "request_step_counts_change" AFTER UPDATE ON "request_step_facts"
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION hanoi247_step_counts();
--> statement-breakpoint
CREATE TRIGGER "request_step_counts_remove" AFTER DELETE ON "request_step_facts"
	REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION hanoi247_step_counts();
--> statement-breakpoint
-- The steps already taken.
INSERT INTO request_step_counts (month, action, from_status, to_status, refusal_ground, opens_case, confidential,
		type, direction, partner, urgency, legal_basis, exercise, n)
	SELECT (date_trunc('month', f.at AT TIME ZONE 'UTC'))::date, f.action, f.from_status, f.to_status,
		f.refusal_ground, f.action IN ('create', 'register_incoming') AND f.first_of_case, f.confidential, f.type,
		f.direction, f.partner, f.urgency, f.legal_basis, f.exercise, count(*)
	FROM request_step_facts f
	GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13;
