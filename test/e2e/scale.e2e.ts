// The desk with 10,000 open requests seeded straight into the database: every one is counted, only
// the rows in view are in the page, scrolling to the end shows the last ones, and a live change still
// lands in the list. Figures (load time, rows in the page) are printed, never asserted as timings.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { sql } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { WEB_DIST } from '../../src/api/routes/web/web-routes.ts';
import { rowsOf } from '../../src/store/database.ts';
import type { client } from '../helpers/http-client.ts';
import { startTestNode, type TestNode } from '../helpers/test-node.ts';
import { launchBrowser } from './browser.ts';
import { assertAccessible, newPage, receiveFromFrance, shot, signIn, tokenClient } from './desk-page.ts';

const MANY = 10_000;
let node: TestNode;
let browser: Browser;
let api: ReturnType<typeof client>;

before(async () => {
  assert.ok(existsSync(`${WEB_DIST}/index.html`), 'run `npm run build:web` first (npm run test:e2e does)');
  node = await startTestNode({ config: { demo: true } });
  api = await tokenClient(node, 'seeder', ['DUTY_OFFICER']);
  const templateId = await receiveFromFrance(api, { caseReference: 'FR-BULK-TEMPLATE' });
  // Copies of that request, each in its own case, with deadlines spread over two days.
  const { db } = node.ctx.database;
  const columns = rowsOf<{ column_name: string }>(
    await db.execute(
      sql`SELECT column_name FROM information_schema.columns WHERE table_name = 'requests' ORDER BY ordinal_position`,
    ),
  ).map((c) => c.column_name);
  const pick = columns
    .map((c) =>
      c === 'id'
        ? 'gen_random_uuid()'
        : c === 'case_id'
          ? 'c.id'
          : c === 'next_due_at' || c === 'started_at'
            ? `t.${c} + (c.n * interval '17 seconds')`
            : `t.${c}`,
    )
    .join(', ');
  await db.execute(
    sql.raw(`WITH c AS (
      INSERT INTO cases (id, reference, created_at, created_by)
      SELECT gen_random_uuid(), 'FR-BULK-' || lpad(g::text, 5, '0'), now(), 'test' FROM generate_series(1, ${MANY}) g
      RETURNING id, (substring(reference from 9))::int AS n)
    INSERT INTO requests (${columns.join(', ')})
    SELECT ${pick} FROM c, requests t WHERE t.id = '${templateId}'`),
  );
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await node?.close();
});

/** The list's count line, whether or not the language groups the digits. */
const shownText = (n: number) => new RegExp(`^(${n}|${n.toLocaleString('en')}) requests shown$`);

test('the desk stays usable with 10,000 open requests: windowed, complete, still live', async () => {
  const { context, page } = await newPage(browser);
  try {
    await signIn(page, node.url, 'duty');
    const started = Date.now();
    await page.getByText(shownText(MANY + 1)).waitFor({ timeout: 60_000 });
    await page.waitForFunction(() => !/Loading/.test(document.querySelector('.pager')?.textContent ?? ''));
    console.log(`# desk: ${MANY + 1} requests loaded and sorted in ${Date.now() - started} ms`);
    const rendered = await page.locator('table.requests tbody tr:not(.spacer)').count();
    console.log(`# desk: ${rendered} rows in the page for ${MANY + 1} requests`);
    assert.ok(rendered > 5 && rendered < 60, `${rendered} rows rendered`);
    assert.equal(await page.locator('table.requests').getAttribute('aria-rowcount'), String(MANY + 2));
    // Sorted by deadline: the template (earliest) first, the last copy last.
    await page.getByRole('row', { name: /FR-BULK-TEMPLATE/ }).waitFor();
    await shot(page, 'desk-10000');
    await assertAccessible(page, 'desk with 10,000 requests');

    const box = page.locator('.table-scroll');
    await box.evaluate((el) => {
      el.scrollTop = el.scrollHeight;
    });
    await page.getByRole('row', { name: new RegExp(`FR-BULK-${String(MANY).padStart(5, '0')}`) }).waitFor();
    assert.equal(await page.getByRole('row', { name: /FR-BULK-TEMPLATE/ }).count(), 0);
    assert.ok((await page.locator('table.requests tbody tr:not(.spacer)').count()) < 60);

    // A new emergency arrives while the desk is open: it goes to the top without a reload.
    await box.evaluate((el) => {
      el.scrollTop = 0;
    });
    await receiveFromFrance(api, {
      caseReference: 'FR-LIVE-EMERGENCY',
      urgency: 'EMERGENCY',
      emergencyJustification: 'A child is in immediate danger.',
    });
    await page.getByText(shownText(MANY + 2)).waitFor();
    const first = page.locator('table.requests tbody tr:not(.spacer)').first();
    assert.match((await first.textContent()) ?? '', /FR-LIVE-EMERGENCY/);
  } finally {
    await context.close();
  }
});
