// What every browser test does with the desk: open a tab as an officer somewhere in the world, sign
// in, pick options of react-aria selects, check accessibility, keep a screenshot of each screen.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import type { Role } from '../../src/domain/codes.ts';
import { buildRequest } from '../domain/requests/request-fixtures.ts';
import { client } from '../helpers/http-client.ts';
import { DEMO_PASSWORD, type TestNode } from '../helpers/test-node.ts';
import { seriousViolations } from './browser.ts';

/** Screenshots of the main screens are kept here (gitignored) as the run's artifacts. */
export const SCREENSHOTS = process.env.E2E_SCREENSHOTS ?? 'test-results/screenshots';
mkdirSync(SCREENSHOTS, { recursive: true });

export async function newPage(
  browser: Browser,
  options: { locale?: string; timezoneId?: string } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    locale: options.locale ?? 'en-GB',
    timezoneId: options.timezoneId ?? 'Asia/Ho_Chi_Minh',
    viewport: { width: 1280, height: 900 },
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  // A script error in the page fails loudly here rather than as a blank screen and a timeout.
  page.on('pageerror', (error) => console.error('[page error]', error.message));
  page.on('console', (m) => void (m.type() === 'error' && console.error('[page console]', m.text())));
  return { context, page };
}

export async function signIn(page: Page, url: string, username: string, password = DEMO_PASSWORD) {
  await page.goto(url);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('navigation', { name: 'Main navigation' }).waitFor();
}

/** Picks an option of a react-aria select named by its label. */
export async function choose(page: Page, label: RegExp, option: string | RegExp) {
  await page.getByRole('button', { name: label }).click();
  await page.getByRole('option', { name: option, exact: typeof option === 'string' }).click();
}

/** Ticks a checkbox by its visible label, as a user does (the input itself is visually hidden). */
export async function tick(page: Page, label: string | RegExp) {
  await page.locator('label').filter({ hasText: label }).click();
  assert.equal(await page.getByRole('checkbox', { name: label }).isChecked(), true);
}

export async function assertAccessible(page: Page, what: string) {
  const violations = await seriousViolations(page);
  assert.deepEqual(violations, [], `${what}: ${violations.join('\n')}`);
}

/** Clicks a download link and answers the SHA-256 (hex) of the file the browser saved. */
export async function downloadedSha256(page: Page, link: Locator): Promise<string> {
  const download = page.waitForEvent('download');
  await link.click();
  const file = await (await download).path();
  return createHash('sha256')
    .update(await readFile(file))
    .digest('hex');
}

export async function shot(page: Page, name: string) {
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
}

/** Marks the document so that a later check can tell it was never reloaded. */
export async function markDocument(page: Page) {
  await page.evaluate(() => {
    (window as unknown as { __sameDocument: boolean }).__sameDocument = true;
  });
}

export async function assertSameDocument(page: Page) {
  assert.equal(
    await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument === true),
    true,
    'the page was reloaded',
  );
}

/** An API client acting through a token of a new account with these roles (to set the scene). */
export async function tokenClient(node: TestNode, username: string, roles: Role[]) {
  const { user } = await node.ctx.users.addUser('test', {
    username,
    password: `${username}-password-0123`,
    roles,
  });
  const { token } = await node.ctx.auth.createToken(user.id, { name: 'e2e', scopes: roles, ttlDays: 1 });
  const api = client(node.url);
  api.setToken(token);
  return api;
}

/** Records a preservation request received from France by hand; returns its id. */
export async function receiveFromFrance(
  api: ReturnType<typeof client>,
  fields: { caseReference: string; urgency?: 'EMERGENCY'; emergencyJustification?: string },
): Promise<string> {
  const reply = await api.post('/api/v1/requests', {
    type: 'PRESERVATION',
    direction: 'INCOMING',
    ...buildRequest('PRESERVATION', {
      requestingState: 'FR',
      requestedState: 'VN',
      requestingAuthority: 'OFAC, point de contact 24/7',
      ...fields,
    }),
  });
  assert.equal(reply.status, 201, JSON.stringify(reply.body));
  return reply.body.request.id;
}
