// Issue 19, accounts in the browser: a person changes their password and signs out another of their
// sessions; an administrator resets a password, and the one-time password forces a change.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { WEB_DIST } from '../../src/api/routes/web/web-routes.ts';
import { client } from '../helpers/http-client.ts';
import { DEMO_PASSWORD, startTestNode, type TestNode } from '../helpers/test-node.ts';
import { launchBrowser, seriousViolations } from './browser.ts';
import { SCREENSHOTS } from './desk-page.ts';

let node: TestNode;
let browser: Browser;
const PASSWORD = 'browser-password-1';

before(async () => {
  assert.ok(existsSync(`${WEB_DIST}/index.html`), 'build the desk first (npm run build:web)');
  node = await startTestNode();
  browser = await launchBrowser();
  for (const username of ['mai', 'binh'])
    await node.ctx.users.addUser('test', { username, password: PASSWORD, roles: ['DUTY_OFFICER'] });
});
after(async () => {
  await browser?.close();
  await node?.close();
});

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ locale: 'en-GB' });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  page.on('pageerror', (error) => console.error('[page error]', error.message));
  return page;
}

async function signIn(page: Page, username: string, password: string) {
  await page.goto(node.url);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

async function choosePassword(page: Page, current: string, next: string) {
  await page.getByLabel('Current password').fill(current);
  await page.getByLabel('New password', { exact: true }).fill(next);
  await page.getByLabel('New password again').fill(next);
  await page.getByRole('button', { name: 'Change password' }).click();
}

test('a duty officer signs out another of their sessions and changes their password', async () => {
  const elsewhere = client(node.url);
  assert.equal((await elsewhere.login('mai', PASSWORD)).status, 200);
  const page = await newPage();
  await signIn(page, 'mai', PASSWORD);
  await page
    .getByRole('navigation', { name: 'Main navigation' })
    .getByRole('link', { name: 'My account' })
    .click();
  await page.getByRole('heading', { name: 'My account' }).waitFor();
  const sessions = page.getByRole('list', { name: 'Where you are signed in' }).getByRole('listitem');
  await sessions.nth(1).waitFor();
  assert.equal(await sessions.count(), 2);
  await page.getByRole('button', { name: 'Sign out this session' }).click();
  await page.getByRole('status').filter({ hasText: 'The session was signed out.' }).waitFor();
  assert.equal((await elsewhere.get('/api/v1/auth/me')).status, 401, 'the other session ended');
  assert.deepEqual(await seriousViolations(page), []);

  await choosePassword(page, 'wrong-password-here', 'mai-new-password-1');
  await page.getByRole('alert').filter({ hasText: 'The current password is wrong.' }).waitFor();
  await choosePassword(page, PASSWORD, 'mai-new-password-1');
  await page.getByText('Your password is changed.').waitFor();
  assert.equal((await client(node.url).login('mai', PASSWORD)).status, 401);
  assert.equal((await client(node.url).login('mai', 'mai-new-password-1')).status, 200);
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}/account-page.png`, fullPage: true });
  await page.context().close();
});

test('an administrator resets a password; the one-time password must be changed at sign-in', async () => {
  const admin = await newPage();
  await signIn(admin, 'admin', DEMO_PASSWORD);
  await admin.getByRole('link', { name: 'Accounts' }).click();
  await admin.getByRole('button', { name: 'Manage binh' }).click();
  await admin.getByRole('button', { name: 'Reset the password of binh' }).click();
  const oneTime = (await admin.locator('code.one-time').textContent())?.trim() ?? '';
  assert.ok(oneTime.length >= 12, `one-time password shown: ${oneTime}`);
  assert.deepEqual(await seriousViolations(admin), []);
  await admin.context().close();

  const page = await newPage();
  await signIn(page, 'binh', oneTime);
  await page.getByText('An administrator set your password.').waitFor();
  assert.equal(await page.getByRole('navigation', { name: 'Main navigation' }).count(), 1);
  await choosePassword(page, oneTime, 'binh-own-password-1');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL((url) => url.pathname === '/desk');
  await page.locator('#main').getByRole('link', { name: 'New request' }).waitFor();
  assert.equal(await page.getByText('An administrator set your password.').count(), 0);
  await page.context().close();
});
