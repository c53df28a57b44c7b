import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { RequestType } from '../../src/domain/codes.ts';
import { buildRequest } from '../domain/requests/request-fixtures.ts';
import { client } from '../helpers/http-client.ts';
import { DEMO_PASSWORD, startTestNode, type TestNode } from '../helpers/test-node.ts';

// Cases group the requests of one investigation: listed newest first with their open requests,
// paged by cursor, narrowed by reference prefix, and shown with their requests.
let node: TestNode;
let duty: ReturnType<typeof client>;

before(async () => {
  node = await startTestNode();
  duty = client(node.url);
  assert.equal((await duty.login('duty', DEMO_PASSWORD)).status, 200);
});
after(() => node.close());

async function create(type: RequestType, caseReference: string, extra: Record<string, unknown> = {}) {
  const reply = await duty.post('/api/v1/requests', {
    type,
    ...buildRequest(type, { caseReference, ...extra }),
  });
  assert.equal(reply.status, 201, JSON.stringify(reply.body));
  return reply.body.request;
}

test('cases list their requests, open ones counted; a case shows its requests', async () => {
  const preservation = await create('PRESERVATION', 'VN-2026-0100');
  const mla = await create('MLA_STORED_DATA', 'VN-2026-0100', { linkedPreservationId: preservation.id });
  await create('MLA_GENERAL', 'VN-2026-0101');
  await create('ASSISTANCE_24_7', 'HN-2026-7');
  const withdrawn = await duty.post(`/api/v1/requests/${preservation.id}/transitions`, {
    action: 'withdraw',
    reason: 'data no longer held',
  });
  assert.equal(withdrawn.status, 200);

  const all = await duty.get('/api/v1/cases');
  assert.equal(all.status, 200);
  const byRef = Object.fromEntries(all.body.items.map((c: { reference: string }) => [c.reference, c]));
  assert.deepEqual([byRef['VN-2026-0100'].requestCount, byRef['VN-2026-0100'].openCount], [2, 1]);
  assert.equal(byRef['VN-2026-0101'].requestCount, 1);
  assert.deepEqual(
    all.body.items.map((c: { reference: string }) => c.reference),
    ['HN-2026-7', 'VN-2026-0101', 'VN-2026-0100'],
  );

  const prefix = await duty.get('/api/v1/cases?prefix=VN-');
  assert.deepEqual(
    prefix.body.items.map((c: { reference: string }) => c.reference),
    ['VN-2026-0101', 'VN-2026-0100'],
  );
  assert.equal((await duty.get('/api/v1/cases?prefix=VN_')).body.items.length, 0, '_ is not a wildcard');

  const seen: string[] = [];
  let after: string | null = null;
  do {
    const page: { body: { items: { reference: string }[]; next: string | null } } = await duty.get(
      `/api/v1/cases?limit=1${after ? `&after=${after}` : ''}`,
    );
    seen.push(...page.body.items.map((c) => c.reference));
    after = page.body.next;
  } while (after);
  assert.deepEqual(seen, ['HN-2026-7', 'VN-2026-0101', 'VN-2026-0100']);

  const one = await duty.get('/api/v1/cases/VN-2026-0100');
  assert.equal(one.status, 200);
  assert.equal(one.body.case.reference, 'VN-2026-0100');
  assert.deepEqual(
    one.body.requests.map((r: { id: string }) => r.id),
    [mla.id, preservation.id],
  );

  const unknown = await duty.get('/api/v1/cases/NO-SUCH-CASE');
  assert.equal(unknown.status, 404);
  assert.match(unknown.body.detail, /NO-SUCH-CASE/);
  const badCursor = await duty.get('/api/v1/cases?after=yesterday');
  assert.equal(badCursor.status, 400);
  assert.match(JSON.stringify(badCursor.body.errors), /after/);
  const cert = client(node.url);
  assert.equal((await cert.login('cert', DEMO_PASSWORD)).status, 200);
  assert.equal((await cert.get('/api/v1/cases')).status, 403);
  assert.equal((await client(node.url).get('/api/v1/cases')).status, 401);
});
