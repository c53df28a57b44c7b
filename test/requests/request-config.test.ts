import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ConfigError, parseConfig } from '../../src/config.ts';
import type { Role } from '../../src/domain/codes.ts';
import { parseRequestPolicy } from '../../src/domain/requests/index.ts';
import type { RequestActor } from '../../src/requests/request-service.ts';
import { manualClock } from '../../src/shared/clock.ts';
import { buildRequest } from '../domain/requests/request-fixtures.ts';
import { startTestNode } from '../helpers/test-node.ts';

// The request settings of a node: its deadline and preservation policy, where notifications go.
const dir = mkdtempSync(join(tmpdir(), 'h247-request-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function problemsOf(raw: Record<string, string>): string[] {
  try {
    parseConfig(raw);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

test('the request policy comes from a JSON file, checked as a whole', () => {
  assert.equal(parseConfig({}).requestPolicy, null);
  const file = join(dir, 'policy.json');
  writeFileSync(
    file,
    JSON.stringify({
      deadlines: { acknowledge: { EMERGENCY: 'PT30M' }, emergencyApprovalWithin: 'PT2H' },
      preservation: { periodDays: 90 },
    }),
  );
  const config = parseConfig({ HANOI247_REQUEST_POLICY_FILE: file });
  assert.equal(config.requestPolicy?.deadlines.acknowledge.EMERGENCY, 'PT30M');
  assert.equal(config.requestPolicy?.deadlines.acknowledge.URGENT, 'PT24H');
  assert.equal(config.requestPolicy?.deadlines.emergencyApprovalWithin, 'PT2H');
  assert.equal(config.requestPolicy?.preservation.periodDays, 90);

  const bad = join(dir, 'bad.json');
  writeFileSync(
    bad,
    JSON.stringify({ preservation: { periodDays: 30 }, deadlines: { execute: { SOON: 'P1D' } } }),
  );
  const problems = problemsOf({ HANOI247_REQUEST_POLICY_FILE: bad });
  assert.ok(problems.some((p) => /HANOI247_REQUEST_POLICY_FILE: deadlines\.execute\.SOON/.test(p)));
  assert.match(problemsOf({ HANOI247_REQUEST_POLICY_FILE: join(dir, 'missing.json') })[0]!, /cannot read/);
});

test('notifications: webhooks need a signing secret, e-mail needs recipients', () => {
  assert.deepEqual(parseConfig({}).notify, {
    webhookUrls: [],
    smtpUrl: null,
    mailFrom: 'hanoi247@localhost',
    mailTo: [],
  });
  const config = parseConfig({
    HANOI247_WEBHOOK_URLS: 'http://127.0.0.1:9000/a, http://127.0.0.1:9001/b',
    HANOI247_WEBHOOK_SECRET: 'a-secret-of-sixteen+',
    HANOI247_SMTP_URL: 'smtp://127.0.0.1:2525',
    HANOI247_MAIL_TO: 'duty@vn.test,ca@vn.test',
  });
  assert.deepEqual(config.notify.webhookUrls, ['http://127.0.0.1:9000/a', 'http://127.0.0.1:9001/b']);
  assert.deepEqual(config.notify.mailTo, ['duty@vn.test', 'ca@vn.test']);
  assert.equal(config.secrets.webhookSecret, 'a-secret-of-sixteen+');
  const problems = problemsOf({
    HANOI247_WEBHOOK_URLS: 'ftp://127.0.0.1/x',
    HANOI247_WEBHOOK_SECRET: 'short',
    HANOI247_SMTP_URL: 'mail.example',
  });
  assert.ok(problems.some((p) => p.startsWith('HANOI247_WEBHOOK_URLS:')));
  assert.ok(problems.some((p) => p.startsWith('HANOI247_WEBHOOK_SECRET:')));
  assert.ok(problems.some((p) => p.startsWith('HANOI247_SMTP_URL:')));
  assert.ok(problems.some((p) => p.startsWith('HANOI247_MAIL_TO:')));
});

test('a node started with a policy applies it: deadlines, the emergency approval window, preservation', async () => {
  const parsed = parseRequestPolicy({
    deadlines: { acknowledge: { EMERGENCY: 'PT30M' }, emergencyApprovalWithin: 'PT2H' },
    preservation: { periodDays: 90 },
  });
  assert.ok(parsed.ok);
  const clock = manualClock('2026-12-10T08:00:00Z');
  await using node = await startTestNode({ clock, config: { requestPolicy: parsed.policy } });
  const users: Record<string, RequestActor> = {};
  for (const u of await node.ctx.users.list(100, null))
    users[u.username] = { id: u.id, roles: u.roles as Role[] };
  const { request: emergency } = await node.ctx.requests.create(users.duty!, {
    type: 'EMERGENCY_DISCLOSURE',
    ...buildRequest('EMERGENCY_DISCLOSURE'),
  });
  const sent = await node.ctx.requests.transition(users.duty!, emergency.id, { action: 'send' });
  assert.equal(sent.emergencyApprovalPending, true);
  assert.equal(sent.emergencyApprovalDueAt, '2026-12-10T10:00:00.000Z');
  const { request: incoming } = await node.ctx.requests.create(users.duty!, {
    type: 'PRESERVATION',
    direction: 'INCOMING',
    ...buildRequest('PRESERVATION', {
      requestingState: 'FR',
      requestedState: 'VN',
      urgency: 'EMERGENCY',
      emergencyJustification: 'a life is at risk',
    }),
  });
  assert.deepEqual(incoming.nextDue, { kind: 'ACKNOWLEDGE', dueAt: '2026-12-10T08:30:00.000Z' });
  for (const action of ['acknowledge', 'start_execution', 'complete'])
    await node.ctx.requests.transition(users.duty!, incoming.id, { action });
  assert.equal(
    (await node.ctx.requests.get(incoming.id)).preservation?.expiresAt,
    '2027-03-10T08:00:00.000Z',
  );
});
