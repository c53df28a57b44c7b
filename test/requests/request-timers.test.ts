import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { createDirectoryService } from '../../src/directory/directory-service.ts';
import type { Role } from '../../src/domain/codes.ts';
import { planTimers } from '../../src/domain/requests/index.ts';
import {
  createNotificationDelivery,
  retryDelayMs,
  signWebhook,
  WEBHOOK_DELIVERY_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
} from '../../src/requests/notification-delivery.ts';
import { messageText } from '../../src/requests/notification-text.ts';
import { createRequestService, type RequestActor } from '../../src/requests/request-service.ts';
import { manualClock } from '../../src/shared/clock.ts';
import { rowsOf } from '../../src/store/database.ts';
import { buildRequest } from '../domain/requests/request-fixtures.ts';
import { client } from '../helpers/http-client.ts';
import { DEMO_PASSWORD, startTestNode, TEST_KEY_SECRET, type TestNode } from '../helpers/test-node.ts';

// Timers are rows: they fire from any service instance on the same database (a restart, or a
// replica), each exactly once, and leave in-app notifications.
const START = '2026-12-10T08:00:00Z';
const HOUR = 3_600_000;
const clock = manualClock(START);
let node: TestNode;
const actors: Record<string, RequestActor> = {};

before(async () => {
  node = await startTestNode({ clock });
  for (const u of await node.ctx.users.list(100, null))
    actors[u.username] = { id: u.id, roles: u.roles as Role[] };
});
after(() => node.close());

const incoming = (type: 'MLA_GENERAL' | 'PRESERVATION', overrides: Record<string, unknown> = {}) =>
  node.ctx.requests.create(actors.duty!, {
    type,
    direction: 'INCOMING',
    ...buildRequest(type, { requestingState: 'FR', requestedState: 'VN', ...overrides }),
  });

async function notificationsOf(userId: string) {
  return rowsOf<{ kind: string; message: string; request_id: string }>(
    await node.ctx.database.db.execute(
      sql`SELECT kind, message, request_id FROM notifications WHERE recipient = ${userId} ORDER BY id`,
    ),
  );
}

async function pendingTimers(requestId: string) {
  return rowsOf<{ kind: string; due_at: string | Date }>(
    await node.ctx.database.db.execute(
      sql`SELECT kind, due_at FROM request_timers WHERE request_id = ${requestId} AND done_at IS NULL ORDER BY due_at`,
    ),
  );
}

test('a deadline timer fires once when overdue, and a step that meets the deadline cancels it', async () => {
  const { request: late } = await incoming('MLA_GENERAL');
  const { request: onTime } = await incoming('MLA_GENERAL');
  assert.deepEqual(
    (await pendingTimers(late.id)).map((t) => [t.kind, new Date(t.due_at).toISOString()]),
    [['DEADLINE', '2026-12-11T08:00:00.000Z']],
  );
  clock.set(new Date(Date.parse(START) + HOUR));
  assert.equal(await node.ctx.requests.processDueTimers(), 0);
  await node.ctx.requests.transition(actors.duty!, onTime.id, { action: 'acknowledge' });
  assert.equal((await pendingTimers(onTime.id))[0]!.kind, 'DEADLINE'); // now the execution deadline
  clock.set(new Date(Date.parse(START) + 25 * HOUR));
  // A second service on the same database, as after a restart, finds and fires the timer.
  const restarted = createRequestService(
    node.ctx.database,
    clock,
    createDirectoryService(node.ctx.database, clock),
    {
      nodeState: 'VN',
      nodeSecret: TEST_KEY_SECRET,
    },
  );
  assert.equal(await restarted.processDueTimers(), 1);
  assert.equal(await node.ctx.requests.processDueTimers(), 0);
  const mine = (await notificationsOf(actors.duty!.id)).filter((n) => n.request_id === late.id);
  assert.equal(mine.length, 1);
  // Said in words: the type, the partner State and the case, not codes and a UUID.
  assert.match(
    messageText(mine[0]!.message, 'en'),
    /^Overdue: the deadline to acknowledge Mutual legal assistance \(art\. 40\) · France · .+ has passed\.$/,
  );
  const audited = rowsOf<{ n: string }>(
    await node.ctx.database.db.execute(
      sql`SELECT count(*) AS n FROM audit_entries WHERE action = 'request.timer' AND object_id = ${late.id}`,
    ),
  );
  assert.equal(Number(audited[0]!.n), 1);
  clock.set(START);
});

test('concurrent job runs never fire the same timer twice (FOR UPDATE SKIP LOCKED)', async () => {
  const ids: string[] = [];
  for (let i = 0; i < 6; i++)
    ids.push(
      (await incoming('MLA_GENERAL', { urgency: 'EMERGENCY', emergencyJustification: 'life at risk' }))
        .request.id,
    );
  clock.set(new Date(Date.parse(START) + 2 * HOUR));
  try {
    const counts = await Promise.all([1, 2, 3].map(() => node.ctx.requests.processDueTimers(2)));
    let total = counts.reduce((a, b) => a + b, 0);
    while (true) {
      const more = await node.ctx.requests.processDueTimers(2);
      if (more === 0) break;
      total += more;
    }
    const fired = rowsOf<{ request_id: string; n: string }>(
      await node.ctx.database.db.execute(
        sql`SELECT request_id, count(*) AS n FROM notifications WHERE kind = 'DEADLINE' AND recipient = ${actors.duty!.id} GROUP BY request_id`,
      ),
    ).filter((r) => ids.includes(r.request_id));
    assert.equal(fired.length, 6);
    assert.ok(fired.every((r) => Number(r.n) === 1));
    assert.ok(total >= 6);
  } finally {
    clock.set(START);
  }
});

test('preservation: reminders at D-15, D-7, D-2, then expiry unless an MLA request holds the data', async () => {
  const { request: p } = await incoming('PRESERVATION');
  await node.ctx.requests.transition(actors.duty!, p.id, { action: 'acknowledge' });
  await node.ctx.requests.transition(actors.duty!, p.id, { action: 'start_execution' });
  await node.ctx.requests.transition(actors.duty!, p.id, { action: 'complete' });
  assert.deepEqual(
    (await pendingTimers(p.id)).map((t) => t.kind),
    ['PRESERVATION_REMINDER', 'PRESERVATION_REMINDER', 'PRESERVATION_REMINDER', 'PRESERVATION_EXPIRY'],
  );
  const kinds = async () =>
    (await notificationsOf(actors.duty!.id))
      .filter((n) => n.request_id === p.id)
      .map((n) => messageText(n.message, 'en'));
  try {
    clock.set('2027-01-25T09:00:00Z'); // D-14
    await node.ctx.requests.processDueTimers();
    assert.equal((await kinds()).length, 1);
    assert.match((await kinds())[0]!, /^Preservation ends on February 8, 2027 at 8:00 AM UTC: /);
    clock.set('2027-02-07T09:00:00Z'); // D-1
    await node.ctx.requests.processDueTimers();
    assert.equal((await kinds()).length, 3);
    clock.set('2027-02-09T09:00:00Z');
    await node.ctx.requests.processDueTimers();
    assert.match((await kinds()).at(-1)!, /has expired/);
  } finally {
    clock.set(START);
  }
  const { request: held } = await incoming('PRESERVATION');
  for (const action of ['acknowledge', 'start_execution', 'complete'])
    await node.ctx.requests.transition(actors.duty!, held.id, { action });
  await node.ctx.requests.create(actors.lawyer!, {
    type: 'MLA_STORED_DATA',
    direction: 'INCOMING',
    ...buildRequest('MLA_STORED_DATA', {
      requestingState: 'FR',
      requestedState: 'VN',
      linkedPreservationId: held.id,
    }),
  });
  try {
    clock.set('2027-02-09T09:00:00Z');
    await node.ctx.requests.processDueTimers();
    const messages = (await notificationsOf(actors.duty!.id)).filter((n) => n.request_id === held.id);
    // Issue 21, correction 5: while the follow-up is pending no "ask for an extension" reminder goes out
    // (this test used to expect three).
    assert.equal(messages.filter((n) => n.kind === 'PRESERVATION_REMINDER').length, 0);
    assert.ok(!messages.some((n) => /has expired/.test(messageText(n.message, 'en'))));
  } finally {
    clock.set(START);
  }
});

test('an emergency sent before approval notifies the approvers through the API', async () => {
  const { request: r } = await node.ctx.requests.create(actors.duty!, {
    type: 'EMERGENCY_DISCLOSURE',
    ...buildRequest('EMERGENCY_DISCLOSURE'),
  });
  await node.ctx.requests.transition(actors.duty!, r.id, { action: 'send' });
  clock.set(new Date(Date.parse(START) + 5 * HOUR));
  try {
    await node.ctx.requests.processDueTimers();
  } finally {
    clock.set(START);
  }
  const approver = client(node.url);
  assert.equal((await approver.login('approver', DEMO_PASSWORD)).status, 200);
  const list = await approver.get('/api/v1/notifications?unread=true');
  assert.equal(list.status, 200);
  const mine = list.body.items.find(
    (n: { requestId: string; kind: string }) => n.requestId === r.id && n.kind === 'EMERGENCY_APPROVAL',
  );
  assert.ok(mine, JSON.stringify(list.body));
  assert.equal(mine.toRole, 'APPROVER');
  assert.equal((await approver.post(`/api/v1/notifications/${mine.id}/read`)).status, 204);
  const after = await approver.get('/api/v1/notifications?unread=true');
  assert.ok(!after.body.items.some((n: { id: string }) => n.id === mine.id));
  const cert = client(node.url);
  await cert.login('cert', DEMO_PASSWORD);
  assert.ok(
    !(await cert.get('/api/v1/notifications')).body.items.some((n: { id: string }) => n.id === mine.id),
  );
  assert.equal((await cert.post(`/api/v1/notifications/${mine.id}/read`)).status, 404);
});

test('planTimers: settled requests have none, except an executed preservation', () => {
  const base = {
    type: 'MLA_GENERAL',
    status: 'closed' as const,
    nextDueAt: null,
    nextDueKind: null,
    emergencyApprovalPending: false,
    emergencyApprovalDueAt: null,
    preservationExpiresAt: null,
  };
  assert.deepEqual(planTimers(base, new Date(START)), []);
  const p = planTimers(
    {
      ...base,
      type: 'PRESERVATION',
      status: 'executed',
      preservationExpiresAt: new Date('2027-02-08T08:00:00Z'),
    },
    new Date('2027-02-03T00:00:00Z'),
  );
  assert.deepEqual(
    p.map((t) => t.kind),
    ['PRESERVATION_REMINDER', 'PRESERVATION_EXPIRY'],
  );
});

/**
 * As after a restart: a second request service on the node's database that delivers to the targets of
 * `settings`, and an emergency sent before approval whose approval window has passed. Returns the
 * approval notification its timer made.
 */
async function overdueEmergencyApproval(settings: { webhookUrls: string[]; mailTo: string[] }) {
  const service = createRequestService(
    node.ctx.database,
    clock,
    createDirectoryService(node.ctx.database, clock),
    {
      nodeState: 'VN',
      nodeSecret: TEST_KEY_SECRET,
      deliveryTargets: { webhookUrls: settings.webhookUrls, mailTo: settings.mailTo },
    },
  );
  const { request: r } = await service.create(actors.duty!, {
    type: 'EMERGENCY_DISCLOSURE',
    ...buildRequest('EMERGENCY_DISCLOSURE'),
  });
  await service.transition(actors.duty!, r.id, { action: 'send' });
  clock.set(new Date(Date.parse(START) + 5 * HOUR));
  await service.processDueTimers();
  const [notification] = rowsOf<{ id: string }>(
    await node.ctx.database.db.execute(
      sql`SELECT id FROM notifications WHERE request_id = ${r.id} AND kind = 'EMERGENCY_APPROVAL' LIMIT 1`,
    ),
  );
  return { requestId: r.id, notification };
}

test('notifications leave by signed webhook (retried after a failure) and by e-mail over SMTP', async () => {
  const hooks: { headers: IncomingHttpHeaders; body: string; answered: number }[] = [];
  const webhook = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      // The first call for each notification fails, so the retry is exercised.
      const id = JSON.parse(body).id;
      const answered = hooks.some((h) => JSON.parse(h.body).id === id) ? 204 : 503;
      hooks.push({ headers: req.headers, body, answered });
      res.writeHead(answered).end();
    });
  });
  await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve));
  const mails: string[] = [];
  const smtp = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      let data = '';
      stream.on('data', (chunk: Buffer) => {
        data += chunk.toString('utf8');
      });
      stream.on('end', () => {
        mails.push(data);
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const secret = 'webhook-secret-0123456789';
  const hookUrl = `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/hanoi247`;
  const smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
  const settings = {
    webhookUrls: [hookUrl],
    webhookSecret: secret,
    smtpUrl,
    mailFrom: 'node@vn.test',
    mailTo: ['duty@vn.test'],
    retryBaseMs: 60_000,
    // The node's officers read Vietnamese (its own 24/7 point's first language in the directory).
    mailLanguage: async () => 'vi' as const,
  };
  const delivery = createNotificationDelivery(node.ctx.database, clock, settings);
  try {
    const { requestId, notification } = await overdueEmergencyApproval(settings);
    assert.ok(notification);
    // Other tests' timers may fire too: count only this notification's deliveries.
    assert.ok((await delivery.processDue()) >= 2);
    let rows = await delivery.status(notification.id);
    const hookRow = () => rows.find((d) => d.channel === 'webhook')!;
    assert.equal(hookRow().status, 'pending');
    assert.equal(hookRow().attempts, 1);
    assert.match(hookRow().lastError ?? '', /503/);
    assert.equal(rows.find((d) => d.channel === 'email')!.status, 'delivered');
    // Not yet due again: nothing is attempted before the backoff has passed.
    await delivery.processDue();
    rows = await delivery.status(notification.id);
    assert.equal(hookRow().attempts, 1);
    clock.advance(retryDelayMs(1, settings.retryBaseMs));
    await delivery.processDue();
    rows = await delivery.status(notification.id);
    assert.equal(hookRow().status, 'delivered');
    assert.equal(hookRow().attempts, 2);
    await delivery.processDue();
    assert.equal((await delivery.status(notification.id)).find((d) => d.channel === 'webhook')!.attempts, 2);

    const mine = hooks.filter((h) => JSON.parse(h.body).id === notification.id);
    assert.deepEqual(
      mine.map((h) => h.answered),
      [503, 204],
    );
    const last = mine[1]!;
    const payload = JSON.parse(last.body);
    assert.equal(payload.requestId, requestId);
    assert.equal(payload.kind, 'EMERGENCY_APPROVAL');
    assert.equal(last.headers[WEBHOOK_DELIVERY_HEADER], hookRow().id);
    const signature = String(last.headers[WEBHOOK_SIGNATURE_HEADER]);
    const t = Number(/t=(\d+)/.exec(signature)![1]);
    assert.equal(signature, signWebhook(secret, last.body, new Date(t * 1000)));
    assert.notEqual(signature, signWebhook('another-secret-0123456', last.body, new Date(t * 1000)));

    const mail = mails.find((m) => m.includes(notification.id));
    assert.ok(mail);
    assert.match(mail, /To: duty@vn\.test/);
    assert.match(mail, /Content-Language: vi/);
    const { subject, body } = mailText(mail);
    assert.match(subject, /^\[hanoi247\] Yêu cầu khẩn cấp đang chờ phê duyệt: /);
    assert.match(body, /^Yêu cầu khẩn cấp đã gửi trước khi phê duyệt và vẫn chưa được phê duyệt: /);
    assert.match(body, new RegExp(`Số yêu cầu: ${requestId}`));
    assert.equal(payload.notice.code, 'EMERGENCY_APPROVAL');
    assert.match(payload.message, /^Emergency request sent before approval/);
    const audited = rowsOf<{ action: string }>(
      await node.ctx.database.db.execute(
        sql`SELECT action FROM audit_entries WHERE object_id = ${notification.id} ORDER BY seq`,
      ),
    ).map((a) => a.action);
    assert.deepEqual(audited.sort(), [
      'notification.delivered',
      'notification.delivered',
      'notification.retry',
    ]);
  } finally {
    clock.set(START);
    delivery.close();
    webhook.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  }
});

test('a delivery is given up after the configured attempts; the delay doubles up to an hour', async () => {
  assert.deepEqual(
    [1, 2, 3, 4].map((n) => retryDelayMs(n, 1000)),
    [1000, 2000, 4000, 8000],
  );
  assert.equal(retryDelayMs(30, 60_000), 3_600_000);
  const settings = {
    webhookUrls: ['http://127.0.0.1:9/nowhere'],
    webhookSecret: 'webhook-secret-0123456789',
    smtpUrl: null,
    mailFrom: 'node@vn.test',
    mailTo: [],
    maxAttempts: 2,
    retryBaseMs: 1000,
    timeoutMs: 2000,
  };
  const delivery = createNotificationDelivery(node.ctx.database, clock, settings);
  try {
    const { notification } = await overdueEmergencyApproval(settings);
    await delivery.processDue();
    clock.advance(1000);
    await delivery.processDue();
    const [row] = await delivery.status(notification!.id);
    assert.equal(row!.status, 'failed');
    assert.equal(row!.attempts, 2);
    clock.advance(HOUR);
    await delivery.processDue();
    assert.equal((await delivery.status(notification!.id))[0]!.attempts, 2);
  } finally {
    clock.set(START);
    delivery.close();
  }
});

/** The subject and text of a raw e-mail (encoded words, quoted-printable or base64 body). */
function mailText(raw: string): { subject: string; body: string } {
  const bytes = (s: string) =>
    Buffer.from(
      s.replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
      'latin1',
    ).toString('utf8');
  const [head = '', ...rest] = raw.split(/\r?\n\r?\n/);
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  const subject = (/^Subject: (.*)$/m.exec(unfolded)?.[1] ?? '').replace(
    /=\?UTF-8\?([QB])\?([^?]*)\?=\s*/gi,
    (_, e: string, t: string) =>
      e.toUpperCase() === 'B' ? Buffer.from(t, 'base64').toString('utf8') : bytes(t.replaceAll('_', ' ')),
  );
  const encoding = /Content-Transfer-Encoding: (\S+)/i.exec(head)?.[1]?.toLowerCase();
  const text = rest.join('\n\n');
  const body =
    encoding === 'base64'
      ? Buffer.from(text.replace(/\s+/g, ''), 'base64').toString('utf8')
      : encoding === 'quoted-printable'
        ? bytes(text.replace(/=\r?\n/g, ''))
        : text;
  return { subject: subject.trim(), body: body.trim() };
}
