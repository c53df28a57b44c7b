// The public transparency page and the desk's Indicators page in a real browser: released reports
// with their charts (Chart.js on a canvas) and definitions, without sign-in, in each of the seven
// languages at phone width (Arabic right to left), axe clean; and the drill-down from a figure to the
// requests behind it, each a link to the request.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { WEB_DIST } from '../../src/api/routes/web/web-routes.ts';
import { INDICATORS } from '../../src/domain/indicators-report/index.ts';
import { LANGUAGES } from '../../src/web/i18n/languages.ts';
import { reportsAr } from '../../src/web/i18n/locales/reports/ar.ts';
import { reportsEn } from '../../src/web/i18n/locales/reports/en.ts';
import { reportsEs } from '../../src/web/i18n/locales/reports/es.ts';
import { reportsFr } from '../../src/web/i18n/locales/reports/fr.ts';
import { reportsRu } from '../../src/web/i18n/locales/reports/ru.ts';
import { reportsVi } from '../../src/web/i18n/locales/reports/vi.ts';
import { reportsZh } from '../../src/web/i18n/locales/reports/zh.ts';
import { client } from '../helpers/http-client.ts';
import { startTestNode, type TestNode } from '../helpers/test-node.ts';
import { launchBrowser } from './browser.ts';
import {
  assertAccessible,
  newPage,
  receiveFromFrance,
  SCREENSHOTS,
  signIn,
  tokenClient,
} from './desk-page.ts';

const TITLES: Record<string, string> = {
  en: reportsEn.transparency.title,
  fr: reportsFr.transparency.title,
  vi: reportsVi.transparency.title,
  ar: reportsAr.transparency.title,
  zh: reportsZh.transparency.title,
  ru: reportsRu.transparency.title,
  es: reportsEs.transparency.title,
};

let node: TestNode;
let browser: Browser;
const received: string[] = [];
let quarter = '';

before(async () => {
  assert.ok(existsSync(`${WEB_DIST}/index.html`), 'run `npm run build:web` first (npm run test:e2e does)');
  // This node is the hub of a region too: its own released reports make the regional aggregate.
  node = await startTestNode({
    config: { demo: true, reportRegion: { name: 'ASEAN', hub: 'VN', members: ['VN', 'SG'] } },
  });
  browser = await launchBrowser();
  const duty = await tokenClient(node, 'reporter', ['DUTY_OFFICER']);
  for (let i = 1; i <= 6; i++) {
    const id = await receiveFromFrance(duty, { caseReference: `FR-2026-07${i}` });
    const ack = await duty.post(`/api/v1/requests/${id}/transitions`, { action: 'acknowledge' });
    assert.equal(ack.status, 200, JSON.stringify(ack.body));
    received.push(id);
  }
  const now = node.ctx.clock.now();
  quarter = `${now.getUTCFullYear()}-Q${Math.floor(now.getUTCMonth() / 3) + 1}`;
  const previous =
    now.getUTCMonth() < 3
      ? `${now.getUTCFullYear() - 1}-Q4`
      : `${now.getUTCFullYear()}-Q${Math.floor(now.getUTCMonth() / 3)}`;
  // Built by one approver, released by another person (four eyes): only then public.
  const users = Object.fromEntries((await node.ctx.users.list(100, null)).map((u) => [u.username, u.id]));
  const as = async (username: string, role: string) => {
    const api = client(node.url);
    api.setToken(
      (
        await node.ctx.auth.createToken(users[username]!, {
          name: 'e2e',
          scopes: [role as never],
          ttlDays: 1,
        })
      ).token,
    );
    return api;
  };
  const approver = await as('approver', 'APPROVER');
  const admin = await as('admin', 'ADMIN');
  for (const period of [previous, quarter]) {
    const built = await approver.post('/api/v1/reports', { period });
    assert.equal(built.status, 201, JSON.stringify(built.body));
    const released = await admin.post(`/api/v1/reports/${built.body.summary.id}/release`, {});
    assert.equal(released.status, 200, JSON.stringify(released.body));
  }
  // A report built and not released stays off the public page.
  assert.equal((await approver.post('/api/v1/reports', { period: quarter })).status, 201);
});
after(async () => {
  await browser?.close();
  await node?.close();
});

/** True when the canvas has something drawn on it (Chart.js ran), not a blank box. */
async function drawnCharts(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      [...document.querySelectorAll('figure.indicator-chart canvas')].filter((c) => {
        const canvas = c as HTMLCanvasElement;
        if (canvas.width === 0 || canvas.height === 0) return false;
        const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) return true;
        return false;
      }).length,
  );
}

async function fitsWidth(page: Page, what: string) {
  const { scroll, width } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    width: window.innerWidth,
  }));
  assert.ok(scroll <= width + 1, `${what}: page is ${scroll}px wide on a ${width}px screen`);
}

test('the transparency page needs no sign-in: released reports only, charts drawn, every definition', async () => {
  const { context, page } = await newPage(browser);
  await page.goto(`${node.url}/transparency`);
  await page.getByRole('heading', { level: 1, name: reportsEn.transparency.title }).waitFor();
  // Two released reports; the third was built but not released.
  await page.locator('.report-list > li').nth(1).waitFor();
  assert.equal(await page.locator('.report-list > li').count(), 2);
  assert.equal(await page.getByRole('button', { name: 'Sign in', exact: true }).count(), 0);
  await page.locator('figure.indicator-chart canvas').nth(2).waitFor();
  const chart = page
    .getByRole('img', { name: new RegExp(`^${reportsEn.transparency.countsChart}\\.`) })
    .first();
  assert.match((await chart.getAttribute('aria-label')) ?? '', new RegExp(`${quarter} 6`));
  assert.equal(await page.locator('dl.definitions dt').count(), INDICATORS.length);
  // The regional aggregate, charted too.
  await page.getByRole('heading', { level: 2, name: 'Regional aggregate: ASEAN' }).waitFor();
  assert.equal(await drawnCharts(page), 4);
  // The figures as a table, for readers who cannot see the chart.
  await page.getByText(reportsEn.transparency.asTable).first().click();
  const cells = await page
    .locator('figure.indicator-chart')
    .first()
    .locator('tbody tr')
    .last()
    .locator('td')
    .allTextContents();
  assert.equal(cells[0], '6');
  const csv = await page.getByRole('link', { name: reportsEn.transparency.csv }).first().getAttribute('href');
  assert.match(csv ?? '', /format=csv&lang=en/);
  await assertAccessible(page, 'transparency page');
  await page.screenshot({ path: `${SCREENSHOTS}/transparency-en.png`, fullPage: true });
  await context.close();
});

test('the transparency page in each of the seven languages at 390 px, Arabic right to left', async () => {
  for (const { code, dir } of LANGUAGES) {
    const context = await browser.newContext({
      locale: 'en-GB',
      timezoneId: 'Asia/Ho_Chi_Minh',
      viewport: { width: 390, height: 844 },
    });
    await context.addInitScript((language) => localStorage.setItem('hanoi247.language', language), code);
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(`${node.url}/transparency`);
    await page.getByRole('heading', { level: 1, name: TITLES[code] }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.dir), dir);
    assert.equal(await page.evaluate(() => document.documentElement.lang), code);
    await page.locator('figure.indicator-chart canvas').nth(3).waitFor();
    assert.equal(await drawnCharts(page), 4, `${code}: charts drawn`);
    await fitsWidth(page, `transparency ${code}`);
    await assertAccessible(page, `transparency ${code}`);
    await page.screenshot({ path: `${SCREENSHOTS}/phone-${code}-transparency.png`, fullPage: true });
    await context.close();
  }
});

test('the Indicators page: figures of the quarter, filters, and the drill-down to the requests', async () => {
  const { context, page } = await newPage(browser);
  await signIn(page, node.url, 'auditor');
  await page
    .getByRole('navigation', { name: 'Main navigation' })
    .getByRole('link', { name: 'Indicators' })
    .click();
  await page.getByRole('heading', { level: 1, name: reportsEn.indicatorsPage.title }).waitFor();
  const figure = page.getByRole('button', {
    name: `What makes up Requests received (Total): 6`,
  });
  await figure.waitFor();
  await assertAccessible(page, 'indicators page');
  await figure.click();
  const trace = page.locator('section.trace', { hasText: 'What makes up: Requests received' });
  await trace.waitFor();
  const links = trace.getByRole('link');
  await links.nth(5).waitFor();
  assert.equal(await links.count(), 6);
  const hrefs = (await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')))).sort();
  assert.deepEqual(hrefs, received.map((id) => `/requests/${id}`).sort());
  await assertAccessible(page, 'drill-down');
  await page.screenshot({ path: `${SCREENSHOTS}/indicators-drill-down.png`, fullPage: true });
  // A filter that matches nothing of these requests: the figure is 0 and the drill-down lists nothing.
  await page.getByRole('button', { name: /Direction/ }).click();
  await page.getByRole('option', { name: 'Outgoing', exact: true }).click();
  await page.getByRole('button', { name: reportsEn.indicatorsPage.show, exact: true }).click();
  await page.getByRole('button', { name: 'What makes up Requests received (Total): 0' }).click();
  await page.getByText(reportsEn.indicatorsPage.traceEmpty).waitFor();
  // The link leads to the request itself.
  await page.getByRole('button', { name: /Direction/ }).click();
  await page.getByRole('option', { name: reportsEn.indicatorsPage.any, exact: true }).click();
  await page.getByRole('button', { name: reportsEn.indicatorsPage.show, exact: true }).click();
  await page.getByRole('button', { name: 'What makes up Requests received (Total): 6' }).click();
  await page
    .getByRole('region', { name: /What makes up/ })
    .getByRole('link')
    .first()
    .click();
  await page.waitForURL(/\/requests\/[0-9a-f-]{36}$/);
  assert.ok(received.includes(page.url().split('/').pop()!));
  await context.close();
});
