import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Role } from '../../src/domain/codes.ts';
import { parsePeriod } from '../../src/domain/indicators-report/index.ts';
import { DEFAULT_DEADLINE_POLICY } from '../../src/domain/requests/deadlines.ts';
import { computeFigures } from '../../src/reports/compute-indicators.ts';
import { hubCheckCounts } from '../../src/store/schema/index.ts';
import { client } from '../helpers/http-client.ts';
import { startTestNode, type TestNode } from '../helpers/test-node.ts';

// The hub's checks answered and hits as implementation indicators: counted per hour in memory,
// added to the database on flush (counts only: no value is stored), and summed over the period.
let node: TestNode;
let bank: ReturnType<typeof client>;

before(async () => {
  node = await startTestNode();
  const liaison = (await node.ctx.users.list(100, null)).find((u) => u.username === 'liaison')!;
  bank = client(node.url);
  bank.setToken(
    (
      await node.ctx.auth.createToken(liaison.id, {
        name: 'checks',
        scopes: liaison.roles as Role[],
        ttlDays: 1,
      })
    ).token,
  );
});
after(() => node.close());

async function totals(threshold: number) {
  const now = node.ctx.clock.now();
  const year = parsePeriod(String(now.getUTCFullYear()), now);
  assert.ok(year.ok);
  const figures = await computeFigures(node.ctx.database.db, year.period, DEFAULT_DEADLINE_POLICY, threshold);
  const value = (indicator: string, dimension = 'total', group: string | null = null) =>
    figures.find((f) => f.indicator === indicator && f.dimension === dimension && f.group === group)?.value;
  return { value };
}

test('checks answered and hits are counted, flushed as counts only, and summed over the period', async () => {
  // The once-a-minute flush is stopped, so that this test decides when counts are written: on a
  // loaded machine the checks below took over a minute, and the timer wrote them before the test looked.
  await node.ctx.hub.checkTally.stop();
  // The demo's mule IBAN is known to the national group the bank belongs to; the other is not.
  const hit = await bank.get('/api/v1/hub/check?type=iban&value=GB82%20WEST%201234%205698%207654%2032');
  assert.equal(hit.status, 200, hit.text);
  assert.equal(hit.body.matches.length, 1);
  const miss = await bank.get('/api/v1/hub/check?type=iban&value=GB33BUKB20201555555555');
  assert.equal(miss.body.matches.length, 0);
  const bulk = await bank.post('/api/v1/hub/check', [
    { type: 'phone', value: '+84 91 234 5678' },
    { type: 'domain', value: 'example.org' },
    { type: 'colour', value: 'red' },
  ]);
  assert.equal(bulk.status, 200, bulk.text);
  // Nothing is written while checks are answered; the counts reach the database on flush.
  assert.equal((await node.ctx.database.db.select().from(hubCheckCounts)).length, 0);
  assert.equal((await totals(1)).value('hub_checks_answered'), 0);
  await node.ctx.hub.checkTally.flush();
  const rows = await node.ctx.database.db.select().from(hubCheckCounts);
  assert.deepEqual(
    rows.map((r) => [r.mode, r.checks, r.hits]),
    [['exact', 4, 2]],
    'the refused value is not an answered check',
  );
  assert.deepEqual(Object.keys(rows[0]!).sort(), ['checks', 'hits', 'hour', 'mode'], 'counts only');
  const open = await totals(1);
  assert.equal(open.value('hub_checks_answered'), 4);
  assert.equal(open.value('hub_check_hits'), 2);
  assert.equal(open.value('hub_checks_answered', 'kind', 'exact'), 4);
  // Another replica's counts of the same hour add up, they do not overwrite.
  node.ctx.hub.checkTally.count('exact', 3, 1);
  await node.ctx.hub.checkTally.flush();
  const summed = await totals(5);
  assert.equal(summed.value('hub_checks_answered'), 7);
  assert.equal(summed.value('hub_check_hits'), '<5', 'small counts suppressed as any other');
});
