// The Notifications page: a deadline that fired on the node appears in the desk in French and in
// Arabic (right to left), worded in the reader's language, linked to its request; the navigation
// counts the unread ones and follows a notice marked read; older notices come on request; axe finds
// nothing serious or critical and nothing is wider than a 390 px phone.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { WEB_DIST } from '../../src/api/routes/web/web-routes.ts';
import type { Role } from '../../src/domain/codes.ts';
import type { RequestActor } from '../../src/requests/request-service.ts';
import { manualClock } from '../../src/shared/clock.ts';
import { buildRequest } from '../domain/requests/request-fixtures.ts';
import { DEMO_PASSWORD, startTestNode, type TestNode } from '../helpers/test-node.ts';
import { launchBrowser } from './browser.ts';
import { assertAccessible, SCREENSHOTS } from './desk-page.ts';

const HOUR = 3_600_000;
const PHONE = { width: 390, height: 844 };
// One more than a page of the list (20), so "load more" has something to bring.
const REQUESTS = 21;
const clock = manualClock(new Date());
let node: TestNode;
let browser: Browser;
// The request of the newest notice (timers firing in one batch share a millisecond, so the order
// among them is the ids' order, not the order the requests were made in).
let watched: string;
let watchedReference: string;

before(async () => {
  assert.ok(existsSync(`${WEB_DIST}/index.html`), 'run `npm run build:web` first (npm run test:e2e does)');
  node = await startTestNode({ clock, config: { demo: true } });
  browser = await launchBrowser();
  const duty = (await node.ctx.users.list(100, null)).find((u) => u.username === 'duty')!;
  const actor: RequestActor = { id: duty.id, roles: duty.roles as Role[] };
  // Requests from France recorded by the duty officer: each has a 24-hour acknowledge deadline.
  for (let i = 1; i <= REQUESTS; i++) {
    await node.ctx.requests.create(actor, {
      type: 'MLA_GENERAL',
      direction: 'INCOMING',
      ...buildRequest('MLA_GENERAL', {
        requestingState: 'FR',
        requestedState: 'VN',
        caseReference: `FR-2026-${String(700 + i).padStart(4, '0')}`,
      }),
    });
  }
  // A day and an hour later the deadlines are missed: the node notifies the officer holding each.
  clock.advance(25 * HOUR);
  const deadline = Date.now() + 60_000;
  for (;;) {
    await node.ctx.requests.processDueTimers();
    const { items } = await node.ctx.requests.notifications.list(actor, { limit: 500 });
    if (items.filter((n) => n.kind.startsWith('DEADLINE')).length >= REQUESTS) {
      watched = items[0]!.requestId!;
      watchedReference = items[0]!.notice!.params.reference;
      break;
    }
    assert.ok(Date.now() < deadline, `deadline notices fired: ${items.length}`);
  }
});
after(async () => {
  await browser?.close();
  await node?.close();
});

async function phonePage(language: string) {
  const context = await browser.newContext({
    locale: 'en-GB',
    timezoneId: 'Europe/Paris',
    viewport: PHONE,
  });
  await context.addInitScript((lng) => localStorage.setItem('hanoi247.language', lng), language);
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  page.on('pageerror', (error) => console.error('[page error]', error.message));
  await page.goto(node.url);
  await page.locator('input[autocomplete="username"], input[name="username"]').first().fill('duty');
  await page.locator('input[type="password"]').fill(DEMO_PASSWORD);
  await page.locator('form button[type="submit"]').click();
  await page.locator('nav.main-nav').waitFor();
  return { context, page };
}

async function assertFitsWidth(page: Page, what: string) {
  const { scroll, width, widest } = await page.evaluate(() => {
    const over = [...document.querySelectorAll('body *')]
      .filter(
        (e) => e.getBoundingClientRect().right > window.innerWidth + 1 || e.getBoundingClientRect().left < -1,
      )
      .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}`);
    return { scroll: document.documentElement.scrollWidth, width: window.innerWidth, widest: over.slice(-4) };
  });
  assert.ok(
    scroll <= width + 1,
    `${what}: page is ${scroll}px wide on a ${width}px screen (${widest.join(', ')})`,
  );
}

/** The unread count shown beside "Notifications" in the navigation (0 when none is shown). */
async function navCount(page: Page): Promise<number> {
  const badge = page.locator('nav.main-nav .unread-count');
  if ((await badge.count()) === 0) return 0;
  return Number.parseInt(((await badge.textContent()) ?? '').replace(/\D/g, ''), 10);
}

async function until(what: string, check: () => Promise<boolean>) {
  const deadline = Date.now() + 20_000;
  while (!(await check())) assert.ok(Date.now() < deadline, `waited for ${what}`);
}

/** The card of the watched request's notice. */
const watchedCard = (page: Page) =>
  page.locator('.notification').filter({ has: page.locator(`a[href="/requests/${watched}"]`) });

test('French: the deadline notice in French, the unread count, mark read, load more', async () => {
  const { context, page } = await phonePage('fr');
  try {
    await until('the unread count', async () => (await navCount(page)) === REQUESTS);
    await page.locator('nav.main-nav a[href="/notifications"]').click();
    await page.locator('.notification').first().waitFor();
    assert.equal(await page.locator('main h1').textContent(), 'Notifications');
    // Newest first: the newest notice is on the first page, in French, linked to its request.
    const card = watchedCard(page);
    await card.waitFor();
    assert.match((await card.locator('.notification-text').textContent()) ?? '', /^En retard : /);
    assert.ok(((await card.locator('.notification-text').textContent()) ?? '').includes(watchedReference));
    assert.equal(await card.locator('.badge.unread').textContent(), 'Non lue');
    assert.match((await card.locator('time').getAttribute('datetime')) ?? '', /^\d{4}-\d\d-\d\dT/);
    assert.equal(await page.locator('.notification').count(), 20);
    await assertFitsWidth(page, 'notifications in French at 390px');
    await assertAccessible(page, 'notifications in French');
    await page.screenshot({ path: `${SCREENSHOTS}/phone-fr-notifications.png` });

    await card.getByRole('button', { name: /^Marquer comme lue/ }).click();
    await until('the notice marked read', async () => (await card.locator('.badge.read').count()) === 1);
    assert.equal(await card.locator('.badge.read').textContent(), 'Lue');
    await until('the count to follow', async () => (await navCount(page)) === REQUESTS - 1);

    await page.getByRole('button', { name: 'Afficher les notifications plus anciennes' }).click();
    await until('the older notice', async () => (await page.locator('.notification').count()) === REQUESTS);
    assert.equal(
      await page.getByRole('button', { name: 'Afficher les notifications plus anciennes' }).count(),
      0,
    );
    await assertFitsWidth(page, 'all notifications in French at 390px');
  } finally {
    await context.close();
  }
});

test('Arabic: right to left, the notice in Arabic, its link opens the request', async () => {
  const { context, page } = await phonePage('ar');
  try {
    assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
    await page.goto(`${node.url}/notifications`);
    const card = watchedCard(page);
    await card.waitFor();
    const text = (await card.locator('.notification-text').textContent()) ?? '';
    assert.match(text, /^متأخر: /);
    assert.ok(text.includes(new Intl.DisplayNames(['ar'], { type: 'region' }).of('FR')!), text);
    // Read in French by the previous test: the state belongs to the officer, not to the tab.
    assert.equal(await card.locator('.badge.read').count(), 1);
    await assertFitsWidth(page, 'notifications in Arabic at 390px');
    // The navigation scrolls sideways on a phone: the current page's link is brought into view.
    const current = await page
      .locator('nav.main-nav a[aria-current="page"]')
      .evaluate((a) => a.getBoundingClientRect());
    assert.ok(current.left >= 0 && current.right <= PHONE.width, JSON.stringify(current));
    await assertAccessible(page, 'notifications in Arabic');
    await page.screenshot({ path: `${SCREENSHOTS}/phone-ar-notifications.png` });

    await card.locator(`a[href="/requests/${watched}"]`).click();
    await page.waitForURL(`**/requests/${watched}`);
    await page.locator('#steps-title').waitFor();
    assert.ok(((await page.locator('main').textContent()) ?? '').includes(watchedReference));
  } finally {
    await context.close();
  }
});
