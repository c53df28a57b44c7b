// The live request stream on a real node and database: who may open it, what it carries (committed
// changes only, in order, with the summary), keep-alive comments, an ended session, server close.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { verifyInclusion } from '../../src/crypto/merkle.ts';
import type { Role } from '../../src/domain/codes.ts';
import { HANDLER_ROLES } from '../../src/domain/requests/index.ts';
import { manualClock } from '../../src/shared/clock.ts';
import { uuidv7 } from '../../src/shared/ids.ts';
import { buildRequest } from '../domain/requests/request-fixtures.ts';
import { client } from '../helpers/http-client.ts';
import { startTestNode, type TestNode } from '../helpers/test-node.ts';

const clock = manualClock('2026-12-10T08:00:00Z');
let node: TestNode;
const tokens: Record<string, string> = {};

before(async () => {
  node = await startTestNode({ clock, config: { eventsHeartbeatSeconds: 1 } });
  const accounts: [string, Role[]][] = [
    ['investigator', ['INVESTIGATOR']],
    ['duty', ['DUTY_OFFICER']],
    ['auditor', ['AUDITOR']],
    ['cert', ['CERT_ANALYST']],
    ['admin', ['ADMIN']],
  ];
  for (const [username, roles] of accounts) {
    const { user } = await node.ctx.users.addUser('test', {
      username: `sse-${username}`,
      password: 'events-test-pw-01',
      roles,
    });
    tokens[username] = (
      await node.ctx.auth.createToken(user.id, { name: 'test', scopes: roles, ttlDays: 30 })
    ).token;
  }
});
after(() => node.close());

// biome-ignore lint/suspicious/noExplicitAny: event data is read as the JSON it is
type Block = { event: string; data: any; comment: string | null };

/** A raw reader of the stream that keeps comments too (the keep-alives), with a deadline per wait. */
async function openStream(token: string | null, accept = 'text/event-stream') {
  const controller = new AbortController();
  const headers: Record<string, string> = { accept };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${node.url}/api/v1/requests/events`, { headers, signal: controller.signal });
  const blocks: Block[] = [];
  let ended = false;
  const waiter: { wake: (() => void) | null } = { wake: null };
  const pump = (async () => {
    if (!response.headers.get('content-type')?.startsWith('text/event-stream')) return;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body!) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        for (let cut = buffer.indexOf('\n\n'); cut >= 0; cut = buffer.indexOf('\n\n')) {
          const lines = buffer.slice(0, cut).split('\n');
          buffer = buffer.slice(cut + 2);
          const fields: Record<string, string> = {};
          let comment: string | null = null;
          for (const line of lines) {
            if (line.startsWith(':')) comment = line.slice(1).trim();
            else if (line.includes(':'))
              fields[line.slice(0, line.indexOf(':'))] = line.slice(line.indexOf(':') + 1).trim();
          }
          blocks.push({
            event: fields.event ?? (fields.data ? 'message' : ''),
            data: fields.data ? JSON.parse(fields.data) : null,
            comment,
          });
          waiter.wake?.();
        }
      }
    } catch {
      // aborted by close()
    } finally {
      ended = true;
      waiter.wake?.();
    }
  })();
  return {
    response,
    blocks,
    get ended() {
      return ended;
    },
    /** Waits until a block matches, or fails after the deadline. */
    async waitFor(match: (b: Block) => boolean, what: string, timeoutMs = 5000): Promise<Block> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = blocks.find(match);
        if (found) return found;
        if (ended) throw new Error(`the stream ended before ${what}`);
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`timed out waiting for ${what}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiter.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    },
    async waitEnd(timeoutMs = 5000) {
      await Promise.race([
        pump,
        new Promise((_, reject) => setTimeout(() => reject(new Error('the stream did not end')), timeoutMs)),
      ]);
    },
    async close() {
      controller.abort();
      await pump;
    },
  };
}

async function createDraft(caseReference: string) {
  const api = client(node.url);
  api.setToken(tokens.investigator!);
  const reply = await api.post('/api/v1/requests', {
    type: 'PRESERVATION',
    ...buildRequest('PRESERVATION', { caseReference }),
  });
  assert.equal(reply.status, 201, JSON.stringify(reply.body));
  return { api, request: reply.body.request as { id: string; version: number } };
}

test('only the roles that may list requests open the stream; others are refused before it opens', async () => {
  const anonymous = await openStream(null);
  assert.equal(anonymous.response.status, 401);
  for (const who of ['cert', 'admin']) {
    const refused = await openStream(tokens[who]!);
    assert.equal(refused.response.status, 403, who);
    assert.match(refused.response.headers.get('content-type') ?? '', /application\/problem\+json/);
    assert.equal((await refused.response.json()).code, 'ERR_FORBIDDEN');
  }
  const wrongAccept = await openStream(tokens.duty!, 'application/json');
  assert.equal(wrongAccept.response.status, 406);
  for (const who of ['duty', 'auditor', 'investigator']) {
    const stream = await openStream(tokens[who]!);
    assert.equal(stream.response.status, 200, who);
    assert.equal(stream.response.headers.get('cache-control'), 'no-store');
    await stream.waitFor((b) => b.comment === 'connected', 'the first comment');
    await stream.close();
  }
});

test('a draft and its steps arrive in order with the summary; keep-alive comments between', async () => {
  const duty = await openStream(tokens.duty!);
  const auditor = await openStream(tokens.auditor!);
  try {
    await duty.waitFor((b) => b.comment === 'connected', 'connected');
    const { api, request } = await createDraft('VN-SSE-0001');
    const created = await duty.waitFor((b) => b.event === 'request.created', 'request.created');
    assert.equal(created.data.action, 'create');
    assert.equal(created.data.request.id, request.id);
    assert.equal(created.data.request.caseReference, 'VN-SSE-0001');
    assert.equal(created.data.request.status, 'draft');
    // A summary, as the list shows it: never the body of the request.
    assert.equal(created.data.request.body, undefined);

    const submitted = await api.post(`/api/v1/requests/${request.id}/transitions`, { action: 'submit' });
    assert.equal(submitted.status, 200, JSON.stringify(submitted.body));
    const changed = await duty.waitFor(
      (b) => b.event === 'request.changed' && b.data.request.status === 'pending_approval',
      'request.changed',
    );
    assert.equal(changed.data.action, 'submit');
    assert.equal(changed.data.request.id, request.id);
    const events = duty.blocks.filter((b) => b.event.startsWith('request.'));
    assert.deepEqual(
      events.map((b) => b.data.request.status),
      ['draft', 'pending_approval'],
    );
    // Every reader receives the same change.
    await auditor.waitFor((b) => b.data?.request?.status === 'pending_approval', 'the auditor copy');

    // A refused step changes nothing and announces nothing.
    const refused = await api.post(`/api/v1/requests/${request.id}/transitions`, { action: 'execute' });
    assert.equal(refused.status, 409);
    // The heartbeat (1 s here) is a comment; by then any announcement of the refusal would have come.
    await duty.waitFor((b) => b.comment === 'keep-alive', 'a keep-alive comment', 5000);
    assert.equal(duty.blocks.filter((b) => b.event.startsWith('request.')).length, 2);
  } finally {
    await duty.close();
    await auditor.close();
  }
});

test('a change inside another transaction is announced once committed, never when rolled back', async () => {
  const stream = await openStream(tokens.duty!);
  try {
    await stream.waitFor((b) => b.comment === 'connected', 'connected');
    const { document } = await node.ctx.directory.current();
    const incoming = (caseReference: string) => ({
      type: 'PRESERVATION',
      direction: 'INCOMING',
      ...buildRequest('PRESERVATION', { caseReference, requestingState: 'FR', requestedState: 'VN' }),
    });
    const actor = { id: 'node:FR', roles: HANDLER_ROLES };
    // As the inbox applies a message from a peer: in its transaction, running the steps left for
    // after the commit only once it has committed.
    const inTransaction = async (caseReference: string, fail: boolean) => {
      const steps: (() => void)[] = [];
      await node.ctx.database.db.transaction(async (tx) => {
        const within = { tx, document, id: uuidv7(), afterCommit: (step: () => void) => steps.push(step) };
        await node.ctx.requests.create(actor, incoming(caseReference), within);
        if (fail) throw new Error('the message could not be audited');
      });
      assert.equal(steps.length, 1, 'the announcement waits for the commit');
      for (const step of steps) step();
    };
    await assert.rejects(inTransaction('FR-SSE-ROLLBACK', true), /could not be audited/);
    await inTransaction('FR-SSE-KEPT', false);
    const created = await stream.waitFor((b) => b.event === 'request.created', 'the committed copy');
    assert.equal(created.data.request.caseReference, 'FR-SSE-KEPT');
    assert.equal(created.data.action, 'register_incoming');
    assert.equal(created.data.request.direction, 'INCOMING');
    await stream.waitFor((b) => b.comment === 'keep-alive', 'a keep-alive after it');
    assert.deepEqual(
      stream.blocks.filter((b) => b.event.startsWith('request.')).map((b) => b.data.request.caseReference),
      ['FR-SSE-KEPT'],
    );
  } finally {
    await stream.close();
  }
});

test('a revoked token stops receiving: the stream says so and ends', async () => {
  const { user } = await node.ctx.users.addUser('test', {
    username: 'short-lived',
    password: 'events-test-pw-02',
    roles: ['DUTY_OFFICER'],
  });
  const { token, id } = await node.ctx.auth.createToken(user.id, {
    name: 'test',
    scopes: ['DUTY_OFFICER'],
    ttlDays: 1,
  });
  const stream = await openStream(token);
  await stream.waitFor((b) => b.comment === 'connected', 'connected');
  const api = client(node.url);
  api.setToken(token);
  assert.equal((await api.call('DELETE', `/api/v1/auth/tokens/${id}`)).status, 204);
  await createDraft('VN-SSE-AFTER-REVOKE');
  await stream.waitFor((b) => b.event === 'end', 'the end event');
  await stream.waitEnd();
  assert.equal(stream.blocks.filter((b) => b.event.startsWith('request.')).length, 0);
});

test('closing the server ends open streams cleanly', async () => {
  const own = await startTestNode({ clock });
  const { user } = await own.ctx.users.addUser('test', {
    username: 'sse-closing',
    password: 'events-test-pw-03',
    roles: ['DUTY_OFFICER'],
  });
  const { token } = await own.ctx.auth.createToken(user.id, {
    name: 'test',
    scopes: ['DUTY_OFFICER'],
    ttlDays: 1,
  });
  const response = await fetch(`${own.url}/api/v1/requests/events`, {
    headers: { accept: 'text/event-stream', authorization: `Bearer ${token}` },
  });
  assert.equal(response.status, 200);
  const read = (async () => {
    let text = '';
    for await (const chunk of response.body!) text += Buffer.from(chunk as Uint8Array).toString();
    return text;
  })();
  await own.close();
  assert.match(await read, /: connected/);
});

test('the record of a request: its audit entries with inclusion proofs that verify in the signed head', async () => {
  const { api, request } = await createDraft('VN-RECORD-0001');
  assert.equal(
    (await api.post(`/api/v1/requests/${request.id}/transitions`, { action: 'submit' })).status,
    200,
  );
  const reply = await api.get(`/api/v1/requests/${request.id}/record`);
  assert.equal(reply.status, 200, JSON.stringify(reply.body));
  const { entries, treeHead, messages } = reply.body;
  assert.deepEqual(messages, []);
  assert.deepEqual(
    entries.map((e: { action: string }) => e.action),
    ['request.create', 'request.submit'],
  );
  const root = Buffer.from(treeHead.rootHash, 'hex');
  for (const e of entries) {
    const path = e.auditPath.map((h: string) => Buffer.from(h, 'hex'));
    assert.ok(verifyInclusion(e.leafIndex, treeHead.treeSize, Buffer.from(e.leafHash, 'hex'), path, root));
    // A proof for another leaf does not pass.
    assert.equal(verifyInclusion(e.leafIndex, treeHead.treeSize, Buffer.alloc(32), path, root), false);
  }
  const cert = client(node.url);
  cert.setToken(tokens.cert!);
  assert.equal((await cert.get(`/api/v1/requests/${request.id}/record`)).status, 403);
  assert.equal((await api.get('/api/v1/requests/00000000-0000-4000-8000-000000000000/record')).status, 404);
  assert.equal((await api.get('/api/v1/requests/not-an-id/record')).status, 404);
});
