// The shipped sample scenarios served to the control room: both samples, each valid as served, and
// only to the exercise controller.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { client } from '../helpers/http-client.ts';
import { DEMO_PASSWORD, startTestNode, type TestNode } from '../helpers/test-node.ts';

let node: TestNode;
before(async () => {
  node = await startTestNode({ config: { demo: true } });
});
after(() => node.close());

test('the administrator gets the shipped samples, each of which the node validates as it is', async () => {
  const admin = client(node.url);
  assert.equal((await admin.login('admin', DEMO_PASSWORD)).status, 200);
  const reply = await admin.get('/api/v1/exercises/samples');
  assert.equal(reply.status, 200, reply.text);
  const ids = reply.body.items.map((s: { id: string }) => s.id);
  assert.ok(ids.includes('bilateral-emergency-vn-fr'), ids.join(', '));
  assert.ok(ids.includes('asean-ransomware') || ids.length >= 2, ids.join(', '));
  const bilateral = reply.body.items.find((s: { id: string }) => s.id === 'bilateral-emergency-vn-fr');
  assert.equal(bilateral.title, 'Emergency disclosure between Viet Nam and France');
  for (const sample of reply.body.items) {
    const checked = await admin.post('/api/v1/exercises/validate', { scenario: sample.scenario });
    assert.equal(checked.status, 200, checked.text);
    assert.deepEqual(checked.body.problems, [], sample.id);
    assert.equal(checked.body.valid, true, sample.id);
  }
});

test('a duty officer may not list the samples (only the controller starts exercises)', async () => {
  const duty = client(node.url);
  assert.equal((await duty.login('duty', DEMO_PASSWORD)).status, 200);
  const reply = await duty.get('/api/v1/exercises/samples');
  assert.equal(reply.status, 403);
  assert.equal(reply.body.code, 'ERR_FORBIDDEN');
});
