import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import { auditEntries } from '../../src/store/schema/index.ts';
import { startTestNode, type TestNode } from '../helpers/test-node.ts';

// Issue 16, part 3: each anonymous junk POST to /federation/v1/* wrote an audit entry, so anyone
// could flood the audit log. Now: one entry for the first refusal of an address in a minute, one
// summary for the rest, and 429 past 60 refusals.
let node: TestNode;
before(async () => {
  node = await startTestNode({ seed: false });
});
after(() => node.close());

async function entries(action?: string): Promise<number> {
  const [row] = await node.ctx.database.db
    .select({ n: sql<number>`count(*)` })
    .from(auditEntries)
    .where(action ? eq(auditEntries.action, action) : sql`true`);
  return Number(row!.n);
}

async function junk(path: string, i: number) {
  const response = await fetch(`${node.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/jose' },
    body: `junk.${i}.not.a.jwe`,
  });
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    retryAfter: response.headers.get('retry-after'),
    body: (await response.json()) as { code: string },
  };
}

test('a flood of junk posts writes two audit entries, not one per post, and is cut off with 429', async () => {
  const before = await entries();
  const statuses: number[] = [];
  for (let i = 0; i < 100; i++) {
    const reply = await junk(i % 2 === 0 ? '/federation/v1/messages' : '/federation/v1/batches', i);
    assert.match(reply.type, /application\/problem\+json/);
    statuses.push(reply.status);
    if (reply.status === 429) {
      assert.equal(reply.body.code, 'ERR_RATE_LIMITED');
      assert.ok(Number(reply.retryAfter) > 0);
    } else assert.equal(reply.body.code, 'ERR_PEER_ENVELOPE');
  }
  assert.equal(statuses.filter((s) => s === 400).length, 60, 'sixty refusals a minute, then 429');
  assert.ok(statuses.slice(60).every((s) => s === 429));
  assert.equal(await entries('federation.refuse'), 1, 'the first refusal is audited in full');
  assert.equal(node.ctx.federation.inbox.countedRefusals(), 59, 'the rest are counted');
  await node.ctx.federation.inbox.flushRefusals();
  assert.equal(await entries('federation.refuse_summary'), 1, 'and audited as one summary');
  assert.equal((await entries()) - before, 2);
});
