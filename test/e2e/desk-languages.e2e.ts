// The desk in every language and at phone width: the main screens in each of the seven languages
// at 390×844 (Arabic right to left), rows that do not overlap, a header that leaves room for work,
// nothing wider than a 360 px screen, no serious accessibility violation, and a pseudo-locale run
// that fails on any visible text not coming from the resources.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { WEB_DIST } from '../../src/api/routes/web/web-routes.ts';
import { LANGUAGES } from '../../src/web/i18n/languages.ts';
import { DEMO_PASSWORD, startTestNode, type TestNode } from '../helpers/test-node.ts';
import { launchBrowser } from './browser.ts';
import { assertAccessible, receiveFromFrance, SCREENSHOTS, tokenClient } from './desk-page.ts';

let node: TestNode;
let browser: Browser;
let incoming: string;
const PHONE = { width: 390, height: 844 };

before(async () => {
  assert.ok(existsSync(`${WEB_DIST}/index.html`), 'run `npm run build:web` first (npm run test:e2e does)');
  node = await startTestNode({ config: { demo: true } });
  browser = await launchBrowser();
  const api = await tokenClient(node, 'phone', ['DUTY_OFFICER', 'APPROVER']);
  incoming = await receiveFromFrance(api, {
    caseReference: 'FR-2026-0901',
    urgency: 'EMERGENCY',
    emergencyJustification: 'A victim is being extorted and threatened with violence.',
  });
  for (const n of [2, 3, 4, 5]) await receiveFromFrance(api, { caseReference: `FR-2026-090${n}` });
});
after(async () => {
  await browser?.close();
  await node?.close();
});

async function phonePage(options: { language: string; pseudo?: boolean; width?: number }) {
  const context = await browser.newContext({
    locale: 'en-GB',
    timezoneId: 'Asia/Ho_Chi_Minh',
    viewport: { width: options.width ?? PHONE.width, height: PHONE.height },
  });
  await context.addInitScript(
    ([language, pseudo]) => {
      localStorage.setItem('hanoi247.language', language as string);
      if (pseudo) localStorage.setItem('hanoi247.pseudo', '1');
    },
    [options.language, options.pseudo === true] as const,
  );
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  page.on('pageerror', (error) => console.error('[page error]', error.message));
  await page.goto(node.url);
  await page.locator('input[name="username"], input[autocomplete="username"]').first().fill('duty');
  await page.locator('input[type="password"]').fill(DEMO_PASSWORD);
  await page.locator('form button[type="submit"]').click();
  await page.locator('nav.main-nav').waitFor();
  return { context, page };
}

/** Nothing is wider than the screen: no sideways scrolling of the page itself. */
async function assertFitsWidth(page: Page, what: string) {
  const { scroll, width, widest } = await page.evaluate(() => {
    const over = [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
      .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}`);
    return { scroll: document.documentElement.scrollWidth, width: window.innerWidth, widest: over.slice(-3) };
  });
  assert.ok(
    scroll <= width + 1,
    `${what}: page is ${scroll}px wide on a ${width}px screen (${widest.join(', ')})`,
  );
}

/** Request rows are drawn one below the other, none over the next, none with content cut off. */
async function assertRowsApart(page: Page) {
  await page.locator('table.requests tbody tr:not(.spacer)').first().waitFor();
  const rows = await page.evaluate(() =>
    [...document.querySelectorAll('table.requests tbody tr:not(.spacer)')].map((tr) => {
      const box = tr.getBoundingClientRect();
      return { top: box.top, bottom: box.bottom, clipped: tr.scrollHeight - tr.clientHeight };
    }),
  );
  assert.ok(rows.length >= 3, `rows shown: ${rows.length}`);
  for (let i = 1; i < rows.length; i++)
    assert.ok(rows[i]!.top >= rows[i - 1]!.bottom - 1, `row ${i} starts above the end of row ${i - 1}`);
  for (const [i, r] of rows.entries()) assert.ok(r.clipped <= 2, `row ${i} is cut off by ${r.clipped}px`);
}

test('at phone width the header leaves room, rows do not overlap, and every screen fits 360 px', async () => {
  for (const width of [390, 360]) {
    const { context, page } = await phonePage({ language: 'en', width });
    const header = await page.evaluate(() => {
      const nav = document.querySelector('nav.main-nav')!.getBoundingClientRect();
      return nav.bottom;
    });
    // Before: 40 % of the first screen. Now about a quarter, the rest is the work.
    assert.ok(header < PHONE.height * 0.3, `header and navigation take ${header}px of ${PHONE.height}px`);
    await page.goto(`${node.url}/desk`);
    await assertRowsApart(page);
    await assertFitsWidth(page, `desk at ${width}px`);
    if (width === 390) await page.screenshot({ path: `${SCREENSHOTS}/phone-desk.png` });
    for (const path of ['/requests', `/requests/${incoming}`, '/composer', '/directory', '/approvals']) {
      await page.goto(`${node.url}${path}`);
      await page.locator('main h1').first().waitFor();
      await assertFitsWidth(page, `${path} at ${width}px`);
    }
    await context.close();
  }
});

test('the main screens in each of the seven languages at phone width, Arabic right to left', async () => {
  for (const { code, dir } of LANGUAGES) {
    const { context, page } = await phonePage({ language: code });
    assert.equal(await page.evaluate(() => document.documentElement.dir), dir);
    assert.equal(await page.evaluate(() => document.documentElement.lang), code);
    await page.goto(`${node.url}/desk`);
    await assertRowsApart(page);
    await page.screenshot({ path: `${SCREENSHOTS}/phone-${code}-desk.png` });
    await assertAccessible(page, `${code} desk`);
    await page.goto(`${node.url}/requests/${incoming}`);
    await page.locator('#steps-title').waitFor();
    await page.locator('.timeline .actor').first().waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}/phone-${code}-request.png`, fullPage: true });
    await assertAccessible(page, `${code} request`);
    // The partner is named in the reader's language, not as a code.
    const france = new Intl.DisplayNames([code], { type: 'region' }).of('FR')!;
    assert.ok(((await page.locator('main').textContent()) ?? '').includes(france), `${code}: ${france}`);
    await page.goto(`${node.url}/composer`);
    await page.locator('main h1').first().waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}/phone-${code}-composer.png` });
    await assertAccessible(page, `${code} composer`);
    await context.close();
  }
});

/**
 * Visible text in `main` and the header that is neither marked as coming from the resources nor
 * data (case references, names, dates and State names from Intl, typed facts, codes).
 */
async function unmarkedText(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const DATA =
      'time, code, input, textarea, .row-link, .deadline, .state-name, .language-switcher, .brand .name, .who, dd, .sub, .timeline, [lang]:not(html)';
    const out: string[] = [];
    for (const root of document.querySelectorAll('main, header.top, nav.main-nav')) {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const el = n.parentElement;
        if (!el || el.closest(DATA) || el.closest('[aria-hidden="true"], .visually-hidden')) continue;
        if (!(el as HTMLElement).offsetParent && getComputedStyle(el).position !== 'fixed') continue;
        // Strip marked texts (innermost first), then what carries no words.
        let text = n.textContent ?? '';
        for (let before = ''; before !== text; ) {
          before = text;
          text = text.replace(/⟦[^⟦⟧]*⟧/g, ' ');
        }
        const left = text.replace(/[\d\s\p{P}\p{S}]/gu, '');
        // Case references are data the officers typed.
        if (left.length > 1 && !/^[A-Z]{2}-\d{4}-\d{4}$/.test(text.trim())) out.push(text.trim());
      }
    }
    return [...new Set(out)];
  });
}

test('pseudo-locale: every visible text of the main screens comes from the resources', async () => {
  const { context, page } = await phonePage({ language: 'en', pseudo: true });
  const screens: [string, () => Promise<void>][] = [
    ['/desk', () => page.locator('table.requests tbody tr:not(.spacer)').first().waitFor()],
    ['/requests', () => page.locator('table.requests tbody tr:not(.spacer)').first().waitFor()],
    [`/requests/${incoming}`, () => page.locator('#steps-title').waitFor()],
    ['/composer', () => page.locator('main h1').first().waitFor()],
    ['/approvals', () => page.locator('main h1').first().waitFor()],
  ];
  for (const [path, ready] of screens) {
    await page.goto(`${node.url}${path}`);
    await ready();
    assert.ok(
      ((await page.locator('main h1').first().textContent()) ?? '').includes('⟦'),
      `${path}: pseudo-locale is on`,
    );
    const bare = await unmarkedText(page);
    assert.deepEqual(bare, [], `${path}: text not from the resources`);
  }
  await page.screenshot({ path: `${SCREENSHOTS}/pseudo-compose.png`, fullPage: true });
  await context.close();
});

test('pseudo-locale: the composer’s sections and its field errors come from the resources', async () => {
  const { context, page } = await phonePage({ language: 'en', pseudo: true });
  try {
    // A preservation request begun in this tab (the draft the composer keeps), every field empty.
    await page.evaluate(() =>
      sessionStorage.setItem('hanoi247.composer', JSON.stringify({ type: 'PRESERVATION', value: {} })),
    );
    await page.goto(`${node.url}/composer`);
    await page.locator('.composer-section h2').first().waitFor();
    assert.equal(await page.locator('.composer-section').count(), 5, 'five sections');
    assert.deepEqual(await unmarkedText(page), [], 'composer sections');
    // Asked to review with nothing filled in: every field says what to do, in words of the resources.
    await page.locator('form.schema-form button[type="submit"]').click();
    await page.locator('.error-summary li').first().waitFor();
    assert.deepEqual(await unmarkedText(page), [], 'composer field errors');
    await page.screenshot({ path: `${SCREENSHOTS}/pseudo-composer-errors.png`, fullPage: true });
    await assertAccessible(page, 'composer with field errors (pseudo-locale)');
  } finally {
    await context.close();
  }
});
