// The web desk in a real browser against a real node (seeded demo, served UI): sign in, compose a
// preservation request from its schema, find it in the list, open it, act on it, switch languages
// (Arabic mirrored), and no serious accessibility violation on the main pages.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { WEB_DIST } from '../../src/api/routes/web/web-routes.ts';
import { totpCode } from '../../src/auth/totp.ts';
import { buildRequest } from '../domain/requests/request-fixtures.ts';
import type { client } from '../helpers/http-client.ts';
import { DEMO_PASSWORD, startTestNode, type TestNode } from '../helpers/test-node.ts';
import { launchBrowser, seriousViolations } from './browser.ts';
import { receiveFromFrance, SCREENSHOTS, tokenClient } from './desk-page.ts';

let node: TestNode;
let browser: Browser;
let api: ReturnType<typeof client>;

before(async () => {
  assert.ok(existsSync(`${WEB_DIST}/index.html`), 'run `npm run build:web` first (npm run test:e2e does)');
  node = await startTestNode({ config: { demo: true } });
  browser = await launchBrowser();
  // An emergency request received from France, so the desk has a running deadline to show.
  api = await tokenClient(node, 'dual', ['DUTY_OFFICER', 'APPROVER']);
  await receiveFromFrance(api, {
    caseReference: 'FR-2026-0777',
    urgency: 'EMERGENCY',
    emergencyJustification: 'A victim is being extorted and threatened with violence.',
  });
});
after(async () => {
  await browser?.close();
  await node?.close();
});

async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
  // A duty officer in Hanoi: English browser, Vietnamese time zone (the partner, France, is elsewhere).
  const context = await browser.newContext({ locale: 'en-GB', timezoneId: 'Asia/Ho_Chi_Minh' });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  // A script error in the page fails loudly here rather than as a blank screen and a timeout.
  page.on('pageerror', (error) => console.error('[page error]', error.message));
  page.on('console', (m) => void (m.type() === 'error' && console.error('[page console]', m.text())));
  return { context, page };
}

async function signIn(page: Page, username: string, password = DEMO_PASSWORD) {
  await page.goto(node.url);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('navigation', { name: 'Main navigation' }).waitFor();
}

/** Picks an option of a react-aria select named by its label. */
async function choose(page: Page, label: RegExp, option: string | RegExp) {
  await page.getByRole('button', { name: label }).click();
  await page.getByRole('option', { name: option, exact: typeof option === 'string' }).click();
}

/** Ticks a checkbox by its visible label, as a user does (the input itself is visually hidden). */
async function tick(page: Page, label: string | RegExp) {
  await page.locator('label').filter({ hasText: label }).click();
  assert.equal(await page.getByRole('checkbox', { name: label }).isChecked(), true);
}

async function assertAccessible(page: Page, what: string) {
  const violations = await seriousViolations(page);
  assert.deepEqual(violations, [], `${what}: ${violations.join('\n')}`);
}

test('a duty officer composes a preservation request, finds it, opens it, in three languages', async () => {
  const { context, page } = await newPage();
  try {
    await page.goto(node.url);
    await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
    await page.getByText('DEMO DATA').first().waitFor();
    await assertAccessible(page, 'sign-in page');

    await signIn(page, 'duty');
    assert.match(page.url(), /\/desk$/);
    await page.getByRole('link', { name: 'New request' }).first().click();
    await choose(page, /Type of request$/, 'Expedited preservation (art. 42)');

    // The form is built from the PRESERVATION schema the node serves.
    await page.getByLabel(/^Case reference/).fill('VN-E2E-0001');
    await choose(page, /Requested State$/, /France \(FR\)/);
    await page.getByLabel(/^Requesting authority/).fill('Ministry of Public Security, 24/7 point');
    await choose(page, /Offence$/, /Computer-related theft or fraud/);
    await page.getByLabel(/^Summary of the facts/).fill('An investment scam defrauded 300 victims.');
    await choose(page, /Urgency$/, 'Urgent');
    await choose(page, /Kind$/, 'E-mail address');
    await page.getByLabel(/^Value/).fill('operator@scam.example');
    await tick(page, 'Subscriber data');
    await page.getByLabel(/^Relation to the offence/).fill('The account received the payments.');
    await page.getByLabel(/^Custodian or location/).fill('Mail provider with servers in France');
    // The form comes in sections; the legal basis and scope are the node's check, labelled as such,
    // inside the legal-basis section.
    for (const section of ['1. Who asks whom', '2. Legal basis and offences', '4. What is asked'])
      await page.getByRole('region', { name: section }).waitFor();
    const panel = page
      .getByRole('region', { name: '2. Legal basis and offences' })
      .getByRole('region', { name: 'Legal basis and scope: the node’s check of this request' });
    await panel.getByText('In scope: Convention offence').waitFor();
    await panel.getByText('Legal basis to use').waitFor();
    assert.equal(await page.getByRole('complementary').count(), 0, 'no side panel titled "Answer"');
    await page.screenshot({ path: `${SCREENSHOTS}/desk-composer.png`, fullPage: true });
    await assertAccessible(page, 'composer');

    // The draft survives a reload of the tab.
    await page.waitForFunction(() =>
      (sessionStorage.getItem('hanoi247.composer') ?? '').includes('scam.example'),
    );
    await page.reload();
    await page.getByLabel(/^Case reference/).waitFor();
    assert.equal(await page.getByLabel(/^Case reference/).inputValue(), 'VN-E2E-0001');
    assert.equal(await page.getByRole('checkbox', { name: 'Subscriber data' }).isChecked(), true);

    // Left out on purpose: each field says what to do, the box that must be ticked says so, and a
    // plain validation problem shows no request id for an administrator.
    await page.getByRole('button', { name: 'Review the request' }).click();
    const alert = page.getByRole('alert').first();
    await alert.getByText('Some fields need attention before the review. Go to each:').waitFor();
    assert.doesNotMatch((await alert.textContent()) ?? '', /Request id for the administrator/);
    const necessity = page.getByLabel(/^Need for preservation/);
    assert.equal(await necessity.getAttribute('aria-invalid'), 'true');
    await page
      .locator('.field')
      .filter({ has: necessity })
      .getByText('Fill this in: the request cannot be saved without it.')
      .waitFor();
    await page
      .locator('.field')
      .filter({ hasText: /^A request for mutual legal assistance will follow/ })
      .getByText('Tick this box: the request cannot be saved unless it is ticked.')
      .waitFor();
    await necessity.fill('The provider deletes logs after 30 days.');
    await tick(page, /^A request for mutual legal assistance will follow/);
    await page.getByRole('button', { name: 'Review the request' }).click();

    // The review step shows the request as it will be saved, in words; nothing is saved yet.
    const review = page.getByRole('region', { name: 'Review before saving' });
    await review.waitFor();
    assert.match((await review.textContent()) ?? '', /The provider deletes logs after 30 days\./);
    assert.match((await review.textContent()) ?? '', /Computer-related theft or fraud/);
    await page.screenshot({ path: `${SCREENSHOTS}/desk-composer-review.png`, fullPage: true });
    await assertAccessible(page, 'composer review');
    await page.getByRole('button', { name: 'Save the draft' }).click();

    await page.getByRole('heading', { name: /VN-E2E-0001/ }).waitFor();
    await page.getByText('Draft saved.').waitFor();
    assert.match(page.url(), /\/requests\/[0-9a-f-]{36}\?created=1/);
    const detailUrl = page.url().split('?')[0]!;

    // One click: submit for approval.
    await page.getByRole('button', { name: 'Submit for approval' }).click();
    await page.getByText('Done: Submit for approval.').waitFor();
    await page.locator('.badges').getByText('Awaiting approval').waitFor();
    await assertAccessible(page, 'request detail');

    // The list shows it; the screenshot is the desk as the officer sees it.
    await page
      .getByRole('navigation', { name: 'Main navigation' })
      .getByRole('link', { name: 'Requests' })
      .click();
    const row = page.getByRole('row', { name: /VN-E2E-0001/ });
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /Awaiting approval/);
    // The emergency from France comes first, with its deadline in Hanoi time and in Paris time.
    const first = page.getByRole('row').nth(1);
    assert.match(
      (await first.textContent()) ?? '',
      /FR-2026-0777.*Emergency.*Your time.*Local time there \(FR\)/,
    );
    await page.screenshot({ path: `${SCREENSHOTS}/desk.png`, fullPage: true });
    await choose(page, /Status$/, 'Awaiting approval');
    await row.waitFor();
    assert.match(page.url(), /status=pending_approval/);
    await assertAccessible(page, 'request list');
    await choose(page, /Status$/, 'Executed');
    await page.getByText('No request matches these filters.').waitFor();
    await choose(page, /Status$/, 'Any');
    await row.getByRole('link', { name: 'VN-E2E-0001' }).click();
    await page.waitForURL(detailUrl);
    await page.getByRole('heading', { name: 'Next steps' }).waitFor();

    // French.
    await choose(page, /Language$/, 'Français');
    await page.getByRole('heading', { name: 'Étapes suivantes' }).waitFor();
    await page.getByText('En attente d’approbation').first().waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'fr');
    assert.equal(await page.evaluate(() => document.documentElement.dir), 'ltr');
    await page.screenshot({ path: `${SCREENSHOTS}/desk-detail-fr.png`, fullPage: true });

    // Arabic, right to left; the choice survives a reload.
    await choose(page, /Langue$/, 'العربية');
    await page.waitForFunction(() => document.documentElement.dir === 'rtl');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'ar');
    await page.reload();
    await page.getByRole('heading', { name: /VN-E2E-0001/ }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
    await page.screenshot({ path: `${SCREENSHOTS}/desk-detail-ar.png`, fullPage: true });
    await assertAccessible(page, 'request detail in Arabic');
  } catch (error) {
    await page.screenshot({ path: `${SCREENSHOTS}/desk-failure.png`, fullPage: true }).catch(() => {});
    throw error;
  } finally {
    await context.close();
  }
});

test('an approver who drafted a request is told clearly that four eyes are needed', async () => {
  const created = await api.post('/api/v1/requests', {
    type: 'PRESERVATION',
    ...buildRequest('PRESERVATION', { caseReference: 'VN-E2E-4EYES' }),
  });
  assert.equal(created.status, 201);
  const id = created.body.request.id as string;
  assert.equal((await api.post(`/api/v1/requests/${id}/transitions`, { action: 'submit' })).status, 200);

  const { context, page } = await newPage();
  try {
    await signIn(page, 'dual', 'dual-password-0123');
    // The approvals queue leaves out what this approver drafted: it only says that it waits for another.
    await page
      .getByRole('navigation', { name: 'Main navigation' })
      .getByRole('link', { name: 'Approvals' })
      .click();
    await page.getByText('Awaiting another approver (you drafted it): 1 request').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Approve VN-E2E-4EYES' }).count(), 0);
    // Opened from the list, the approve step is refused by the node, and the desk says why.
    await page.goto(`${node.url}/requests/${id}`);
    await page.waitForURL(`${node.url}/requests/${id}`);
    // Approving cannot be taken back: the desk asks first, in an alert dialog.
    await page.getByRole('button', { name: 'Approve' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Approve this request?' });
    await confirm.getByText(/cannot be taken back/).waitFor();
    await assertAccessible(page, 'approval confirmation');
    await confirm.getByRole('button', { name: 'Approve' }).click();
    await confirm.waitFor({ state: 'detached' });
    const alert = page.getByRole('alert');
    await alert.getByText(/Four eyes: the person who drafted a request cannot approve it/).waitFor();
    await page.locator('.badges').getByText('Awaiting approval').waitFor();
  } catch (error) {
    await page.screenshot({ path: `${SCREENSHOTS}/desk-failure.png`, fullPage: true }).catch(() => {});
    throw error;
  } finally {
    await context.close();
  }
});

test('an account with an authenticator is asked for its code, then signed in', async () => {
  const created = await node.ctx.users.addUser('test', {
    username: 'approver-totp',
    password: 'approver-password-0123',
    roles: ['APPROVER'],
    withTotp: true,
  });
  const { context, page } = await newPage();
  try {
    await page.goto(node.url);
    await page.getByLabel('Username').fill('approver-totp');
    await page.getByLabel('Password').fill('approver-password-0123');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('alert').getByText('This account needs the 6-digit code').waitFor();
    const code = page.getByLabel(/^Authenticator code/);
    // The code field takes the focus, so the officer just types the code.
    await page.waitForFunction(
      () => document.activeElement?.getAttribute('autocomplete') === 'one-time-code',
    );
    await code.fill(await totpCode(created.totpSecret!, new Date()));
    await page.keyboard.press('Enter');
    await page
      .getByRole('navigation', { name: 'Main navigation' })
      .getByRole('link', { name: 'Approvals' })
      .waitFor();
    assert.match(page.url(), /\/approvals$/);
  } finally {
    await context.close();
  }
});

test('the duty officer acknowledges an incoming emergency in one click; a refusal needs a ground', async () => {
  const { context, page } = await newPage();
  try {
    // Keyboard only: the username field has the focus, Tab goes to the password, Enter signs in.
    await page.goto(node.url);
    await page.getByLabel('Username').waitFor();
    await page.keyboard.type('duty');
    await page.keyboard.press('Tab');
    await page.keyboard.type(DEMO_PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: '24/7 desk' }).waitFor();

    const row = page.getByRole('row', { name: /FR-2026-0777/ });
    assert.match((await row.textContent()) ?? '', /Received.*Emergency.*in \d+ (h|min)/);
    await row.getByRole('link', { name: 'FR-2026-0777' }).click();
    await page.getByRole('button', { name: 'Acknowledge' }).click();
    await page.getByText('Done: Acknowledge.').waitFor();
    await page.locator('.badges').getByText('Acknowledged').waitFor();

    await page.getByRole('button', { name: 'Open a consultation…' }).click();
    const consult = page.getByRole('dialog');
    // A consultation names the ground it is about, and cannot be opened without one.
    await consult.getByLabel(/^Message/).fill('Please confirm the account holder’s nationality.');
    await consult.getByRole('button', { name: 'Confirm' }).click();
    assert.equal(await consult.getByText('This is required.').count(), 1);
    await consult.getByRole('button', { name: /Ground$/ }).click();
    await page.getByRole('option', { name: 'Sovereignty, security or other essential interests' }).click();
    await consult.getByRole('button', { name: 'Confirm' }).click();
    await page.locator('.badges').getByText('In consultation').waitFor();

    // A refusal without a ground and reasons is stopped in the form; nothing is sent.
    await page.getByRole('button', { name: 'Refuse…' }).click();
    const refuse = page.getByRole('dialog');
    await refuse.getByText('This cannot be undone: France is told.').waitFor();
    await refuse.getByRole('button', { name: 'Refuse', exact: true }).click();
    assert.equal(await refuse.getByText('This is required.').count(), 2);
    await assertAccessible(page, 'refusal dialog');
    await refuse.getByRole('button', { name: 'Cancel' }).click();
    await page.locator('.badges').getByText('In consultation').waitFor();
    // So is a postponement without its ground (art. 40), reasons and date.
    await page.getByRole('button', { name: 'Postpone…' }).click();
    const postpone = page.getByRole('dialog');
    await postpone.getByRole('button', { name: 'Confirm' }).click();
    assert.equal(await postpone.getByText('This is required.').count(), 3);
    await page.screenshot({ path: `${SCREENSHOTS}/dialog-postpone.png` });
    await postpone.getByRole('button', { name: /Ground$/ }).click();
    assert.deepEqual(await page.getByRole('option').allTextContents(), [
      'It would interfere with an ongoing investigation',
      'It would interfere with an ongoing prosecution',
      'It would interfere with ongoing judicial proceedings',
    ]);
    await page.keyboard.press('Escape');
    await postpone.getByRole('button', { name: 'Cancel' }).click();
    await page.locator('.badges').getByText('In consultation').waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}/desk-incoming.png`, fullPage: true });

    // The same page in Vietnamese.
    await choose(page, /Language$/, 'Tiếng Việt');
    await page.getByRole('heading', { name: 'Bước tiếp theo' }).waitFor();
    await page.locator('.badges').getByText('Đang tham vấn').waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'vi');
  } catch (error) {
    await page.screenshot({ path: `${SCREENSHOTS}/desk-failure.png`, fullPage: true }).catch(() => {});
    throw error;
  } finally {
    await context.close();
  }
});
