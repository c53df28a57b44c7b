import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'drizzle-orm';
import type { RequestType, Role } from '../../src/domain/codes.ts';
import {
  allowedNextSteps,
  type Direction,
  decideTransition,
  type LifecycleSnapshot,
  REQUEST_ACTIONS,
  type RequestState,
  TRANSITIONS,
  type TransitionRule,
} from '../../src/domain/requests/index.ts';
import type { RequestActor } from '../../src/requests/request-service.ts';
import { manualClock } from '../../src/shared/clock.ts';
import { AppError, ValidationError } from '../../src/shared/errors.ts';
import { rowsOf } from '../../src/store/database.ts';
import { buildRequest } from '../domain/requests/request-fixtures.ts';
import { MISSING, RULES } from '../domain/requests/validation-cases.ts';
import { startTestNode, type TestNode } from '../helpers/test-node.ts';

// Every transition of the life cycle table and every validation rule, through the request service on
// a real database (PGlite, or PostgreSQL with DATABASE_URL): each (rule, from-state) pair is reached
// on a fresh request by a path through the table, refused without its inputs and by a wrong role
// (nothing changes), then taken (state, version, timeline and audit entry change together); from every
// state reached, every step that is not allowed answers 409 with the allowed next steps.
const START = '2026-12-10T08:00:00Z';
const clock = manualClock(START);
let node: TestNode;
const users: Record<string, RequestActor> = {};

before(async () => {
  node = await startTestNode({ clock });
  for (const u of await node.ctx.users.list(100, null))
    users[u.username] = { id: u.id, roles: u.roles as Role[] };
});
after(() => node.close());

const INPUTS = {
  reason: 'written reasons',
  ground: 'ESSENTIAL_INTERESTS',
  until: '2027-06-01T00:00:00.000Z',
  message: 'what was asked, proposed or answered',
  assignee: 'lawyer',
} as const;

function inputFor(rule: TransitionRule): Record<string, unknown> {
  const input: Record<string, unknown> = { action: rule.action };
  for (const r of rule.requires ?? []) input[r] = INPUTS[r];
  return input;
}

/** Who takes a step: the first of these holding one of its roles (never the drafter for an approval). */
function actorFor(rule: TransitionRule): RequestActor {
  for (const name of ['duty', 'lawyer', 'approver', 'investigator']) {
    const u = users[name]!;
    if (u.roles.some((r) => rule.roles.includes(r)) && !(rule.action === 'approve' && name === 'duty'))
      return u;
  }
  throw new Error(`no actor for ${rule.action}`);
}

/** Someone the rule does not allow. */
function outsiderFor(rule: TransitionRule): RequestActor {
  for (const name of ['investigator', 'approver', 'duty', 'cert']) {
    const u = users[name]!;
    if (!u.roles.some((r) => rule.roles.includes(r))) return u;
  }
  throw new Error(`no outsider for ${rule.action}`);
}

type Path = { type: RequestType; snapshot: LifecycleSnapshot; steps: TransitionRule[] };

const CANDIDATE_TYPES: RequestType[] = [
  'MLA_GENERAL',
  'EMERGENCY_DISCLOSURE',
  'SPONTANEOUS_INFORMATION',
  'PRESERVATION',
];

/** The shortest path from the initial state to a snapshot where `rule` applies from `from`. */
function pathTo(rule: TransitionRule, from: RequestState): Path {
  for (const type of CANDIDATE_TYPES) {
    const start: LifecycleSnapshot = {
      direction: rule.direction,
      type,
      urgency: type === 'EMERGENCY_DISCLOSURE' ? 'EMERGENCY' : 'URGENT',
      state: rule.direction === 'OUTGOING' ? 'draft' : 'received',
      draftedBy: 'drafter',
      emergencyApprovalPending: false,
      scopeResult: 'CONVENTION_OFFENCE',
    };
    const key = (s: LifecycleSnapshot) => `${s.state}|${s.emergencyApprovalPending}`;
    const seen = new Set([key(start)]);
    const queue: { s: LifecycleSnapshot; steps: TransitionRule[] }[] = [{ s: start, steps: [] }];
    while (queue.length > 0) {
      const { s, steps } = queue.shift()!;
      if (s.state === from && (!rule.when || rule.when.test(s)) && rule.from.includes(s.state))
        return { type, snapshot: s, steps };
      for (const next of TRANSITIONS) {
        if (
          next.direction !== s.direction ||
          !next.from.includes(s.state) ||
          (next.when && !next.when.test(s))
        )
          continue;
        if (next.to === 'same' && next.action !== 'approve') continue; // assign and extensions change no state
        const d = decideTransition(s, inputFor(next) as never, { id: 'x', roles: next.roles }, clock.now(), {
          emergencyApprovalWithinMs: 4 * 3_600_000,
        });
        if (!d.ok) continue;
        const t: LifecycleSnapshot = {
          ...s,
          state: d.outcome.to,
          emergencyApprovalPending: d.outcome.changes.emergencyApprovalPending ?? s.emergencyApprovalPending,
        };
        if (seen.has(key(t))) continue;
        seen.add(key(t));
        queue.push({ s: t, steps: [...steps, next] });
      }
    }
  }
  throw new Error(`no path to ${rule.direction} ${from} for ${rule.action}`);
}

async function newRequest(direction: Direction, type: RequestType) {
  const body =
    direction === 'INCOMING'
      ? buildRequest(type, { requestingState: 'FR', requestedState: 'VN' })
      : buildRequest(type);
  const { request } = await node.ctx.requests.create(users.duty!, { type, direction, ...body });
  return request;
}

async function auditActions(id: string): Promise<string[]> {
  return rowsOf<{ action: string }>(
    await node.ctx.database.db.execute(
      sql`SELECT action FROM audit_entries WHERE object_id = ${id} AND action <> 'request.timer' ORDER BY seq`,
    ),
  ).map((r) => r.action);
}

async function auditSize(): Promise<number> {
  const [row] = rowsOf<{ n: string | number }>(
    await node.ctx.database.db.execute(sql`SELECT count(*) AS n FROM audit_entries`),
  );
  return Number(row!.n);
}

/** Runs `fn`, expecting it to throw an AppError, and proves the stored request did not change. */
async function refusedUnchanged(id: string, fn: () => Promise<unknown>): Promise<AppError> {
  const before = await node.ctx.requests.get(id);
  const audit = await auditSize();
  let caught: unknown;
  try {
    await fn();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof AppError, `expected a refusal, got ${String(caught)}`);
  assert.deepEqual(await node.ctx.requests.get(id), before);
  assert.equal(await auditSize(), audit);
  return caught;
}

const illegalChecked = new Set<string>();

for (const rule of TRANSITIONS) {
  for (const from of rule.from) {
    const to = rule.to === 'same' ? from : rule.to;
    test(`${rule.direction} ${from} --${rule.action}--> ${to}, stored`, async () => {
      const path = pathTo(rule, from);
      const r = await newRequest(rule.direction, path.type);
      for (const step of path.steps) await node.ctx.requests.transition(actorFor(step), r.id, inputFor(step));
      const before = await node.ctx.requests.get(r.id);
      assert.equal(before.status, from);
      assert.equal(before.emergencyApprovalPending, path.snapshot.emergencyApprovalPending);

      // From this state, every step outside the table is a 409 naming the allowed next steps.
      const snapshotKey = `${rule.direction}|${from}|${path.type}|${path.snapshot.emergencyApprovalPending}`;
      if (!illegalChecked.has(snapshotKey)) {
        illegalChecked.add(snapshotKey);
        const allowed = allowedNextSteps(path.snapshot).map((s) => s.action);
        assert.deepEqual(
          before.nextSteps.map((s: { action: string }) => s.action),
          allowed,
        );
        for (const action of REQUEST_ACTIONS.filter((a) => !allowed.includes(a))) {
          const error = await refusedUnchanged(r.id, () =>
            node.ctx.requests.transition(users.duty!, r.id, { action, ...INPUTS }),
          );
          assert.equal(error.status, 409, `${action}: ${error.message}`);
          assert.equal(error.code, 'ERR_ILLEGAL_TRANSITION');
          const answered = error.details?.allowed as { action: string }[] | undefined;
          assert.deepEqual(
            answered?.map((a) => a.action),
            allowed,
          );
          assert.match(error.message, /Allowed next steps: /);
        }
      }

      // Without the inputs it requires: 400 naming each one (and the article where the rule has one).
      if (rule.requires?.length) {
        const error = await refusedUnchanged(r.id, () =>
          node.ctx.requests.transition(actorFor(rule), r.id, { action: rule.action }),
        );
        assert.ok(error instanceof ValidationError);
        assert.deepEqual(error.errors.map((e) => e.field).sort(), rule.requires.map((f) => `/${f}`).sort());
        if (rule.article) assert.ok(error.errors.every((e) => e.article === rule.article));
      }
      // By a role the rule does not name: 403.
      const forbidden = await refusedUnchanged(r.id, () =>
        node.ctx.requests.transition(outsiderFor(rule), r.id, inputFor(rule)),
      );
      assert.equal(forbidden.status, 403);

      const auditBefore = await auditActions(r.id);
      const done = await node.ctx.requests.transition(actorFor(rule), r.id, inputFor(rule));
      assert.equal(done.status, to);
      assert.equal(done.version, before.version + 1);
      const last = done.timeline.at(-1)!;
      assert.deepEqual([last.action, last.from, last.to], [rule.action, from, to]);
      assert.deepEqual(await auditActions(r.id), [...auditBefore, `request.${rule.action}`]);
      assert.deepEqual(await node.ctx.requests.get(r.id), done);
      if (rule.action === 'approve') {
        assert.equal(done.approvedBy, actorFor(rule).id);
        assert.equal(done.emergencyApprovalPending, false);
      }
      if (rule.action === 'send' && from !== 'approved') {
        assert.equal(done.emergencyApprovalPending, true);
        assert.equal(done.emergencyApprovalDueAt, '2026-12-10T12:00:00.000Z');
      }
      if (rule.action === 'assign') assert.equal(done.assignedTo, users.lawyer!.id);
      if (rule.action === 'extend_preservation' || rule.action === 'record_extension')
        assert.equal(done.preservation?.extensions, 1);
      if (rule.to === 'postponed') assert.equal(done.postponedUntil, INPUTS.until);
      if (rule.to === 'refused')
        assert.deepEqual(last.details, { ground: INPUTS.ground, reason: INPUTS.reason });
    });
  }
}

async function requestCount(): Promise<number> {
  const [row] = rowsOf<{ n: string | number }>(
    await node.ctx.database.db.execute(sql`SELECT count(*) AS n FROM requests`),
  );
  return Number(row!.n);
}

/** A create that must be refused naming this field and article, with nothing written. */
async function refusedCreate(
  type: RequestType,
  body: Record<string, unknown>,
  field: string,
  article: string,
) {
  const requests = await requestCount();
  const audit = await auditSize();
  await assert.rejects(
    () => node.ctx.requests.create(users.duty!, { type, ...body }),
    (error: unknown) => {
      assert.ok(error instanceof ValidationError, String(error));
      assert.ok(
        error.errors.some((e) => e.field === field && e.article === article),
        JSON.stringify(error.errors),
      );
      return true;
    },
  );
  assert.equal(await requestCount(), requests);
  assert.equal(await auditSize(), audit);
}

test('every missing required field is refused by the stored service, naming the field and article', async () => {
  for (const [type, field, article] of MISSING) {
    const body = buildRequest(type);
    delete body[field];
    await refusedCreate(type, body, `/${field}`, article);
  }
});

test('every other validation rule is refused by the stored service, naming the field and article', async () => {
  for (const [, type, overrides, field, article] of RULES)
    await refusedCreate(type, buildRequest(type, overrides), field, article);
});

test('the same rules hold when a draft is edited: the draft is unchanged', async () => {
  const r = await newRequest('OUTGOING', 'MLA_GENERAL');
  for (const [, type, overrides, field, article] of RULES.filter(([, t]) => t === 'MLA_GENERAL')) {
    assert.equal(type, 'MLA_GENERAL');
    const error = await refusedUnchanged(r.id, () =>
      node.ctx.requests.updateDraft(users.duty!, r.id, overrides),
    );
    assert.ok(error instanceof ValidationError);
    assert.ok(
      error.errors.some((e) => e.field === field && e.article === article),
      JSON.stringify(error.errors),
    );
  }
  for (const field of ['proceeding', 'purpose', 'assistanceSought', 'factsSummary', 'offences']) {
    const error = await refusedUnchanged(r.id, () =>
      node.ctx.requests.updateDraft(users.duty!, r.id, { [field]: null }),
    );
    assert.ok(error instanceof ValidationError);
    assert.ok(
      error.errors.some((e) => e.field === `/${field}` && e.article),
      JSON.stringify(error.errors),
    );
  }
});
