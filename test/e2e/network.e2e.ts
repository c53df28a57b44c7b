// Two real nodes (Viet Nam and France) in one process, each serving its own desk, and three officers
// in three browser tabs: an investigator in Hanoi drafts an expedited preservation request to France,
// an approver approves it in one click, it is sent; the French duty officer sees it arrive without
// reloading, acknowledges and executes it; the Hanoi tab shows the new status and France's signed
// receipt, without reloading either. Every main screen passes axe and is kept as a screenshot.
import assert from 'node:assert/strict';

import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { NetNode } from '../federation/federation-network.ts';
import {
  assertAccessible,
  assertSameDocument,
  choose,
  markDocument,
  newPage,
  shot,
  signIn,
  tick,
} from './desk-page.ts';
import { type TwoDesks, twoDesks } from './two-desks.ts';

let desks: TwoDesks;
let vn: NetNode;
let fr: NetNode;
let browser: Browser;

before(async () => {
  desks = await twoDesks();
  ({ vn, fr, browser } = desks);
});
after(() => desks?.close());

const nav = (page: Page) => page.getByRole('navigation', { name: 'Main navigation' });

async function draftPreservation(page: Page, reference: string) {
  await nav(page).getByRole('link', { name: 'New request' }).click();
  await choose(page, /Type of request$/, 'Expedited preservation (art. 42)');
  await page.getByLabel(/^Case reference/).fill(reference);
  await choose(page, /Requested State$/, /France \(FR\)/);
  await page.getByLabel(/^Requesting authority/).fill('Hanoi Police, cybercrime unit');
  await choose(page, /Offence$/, /Computer-related theft or fraud/);
  await page.getByLabel(/^Summary of the facts/).fill('A phishing kit hosted in France emptied 40 accounts.');
  await choose(page, /Urgency$/, 'Urgent');
  await choose(page, /Kind$/, 'E-mail address');
  await page.getByLabel(/^Value/).fill('kit-admin@phish.example');
  await tick(page, 'Subscriber data');
  await page.getByLabel(/^Relation to the offence/).fill('The kit mails stolen credentials here.');
  await page.getByLabel(/^Custodian or location/).fill('Mail provider in Lyon');
  await page.getByLabel(/^Need for preservation/).fill('The provider deletes logs after 30 days.');
  await tick(page, /^A request for mutual legal assistance will follow/);
  const panel = page.getByRole('region', { name: 'Legal basis and scope: the node’s check of this request' });
  await panel.getByText('Legal basis to use').waitFor();
  await shot(page, 'composer');
  await assertAccessible(page, 'composer');
  await page.getByRole('button', { name: 'Review the request' }).click();
  await page.getByRole('heading', { name: 'Review before saving' }).waitFor();
  await page.getByRole('button', { name: 'Save the draft' }).click();
  await page.getByRole('heading', { name: new RegExp(reference) }).waitFor();
  await page.getByText('Draft saved.').waitFor();
}

test('a request goes from Hanoi to Paris and back through two desks, live, with a signed receipt', async () => {
  const investigator = await newPage(browser);
  const approver = await newPage(browser);
  const officer = await newPage(browser, { timezoneId: 'Europe/Paris' });
  const pages = [investigator.page, approver.page, officer.page];
  try {
    // Paris: the duty officer's desk is open before anything is sent.
    await signIn(officer.page, fr.url, 'duty');
    await officer.page.getByRole('heading', { name: '24/7 desk' }).waitFor();
    await officer.page.locator('.live-live').waitFor();
    await markDocument(officer.page);

    // Hanoi: the investigator drafts and submits.
    await signIn(investigator.page, vn.url, 'investigator');
    await draftPreservation(investigator.page, 'VN-NET-0001');
    const detailUrl = investigator.page.url().split('?')[0]!;
    await investigator.page.getByRole('button', { name: 'Submit for approval' }).click();
    await investigator.page.locator('.badges').getByText('Awaiting approval').waitFor();
    await markDocument(investigator.page);

    // Hanoi: the approver finds it in the four-eyes queue and approves it in one click.
    await signIn(approver.page, vn.url, 'approver');
    assert.match(approver.page.url(), /\/approvals$/);
    // Navigation shows only what an approver may do.
    const links = await nav(approver.page).getByRole('link').allTextContents();
    assert.deepEqual(links, [
      'Approvals',
      'Requests',
      'Directory',
      'Notifications',
      'Indicators',
      'Exercise',
      'My account',
    ]);
    const card = approver.page.getByRole('listitem').filter({ hasText: 'VN-NET-0001' });
    await card.waitFor();
    await shot(approver.page, 'approvals');
    await assertAccessible(approver.page, 'approvals');
    // No approval from the list: the approver opens the request, reads it, approves and confirms.
    assert.equal(await card.getByRole('button', { name: /Approve/ }).count(), 0);
    await card.getByRole('link', { name: 'Open to approve: VN-NET-0001' }).click();
    await approver.page.getByRole('heading', { name: /VN-NET-0001/ }).waitFor();
    await approver.page.getByRole('button', { name: 'Approve', exact: true }).click();
    await approver.page
      .getByRole('alertdialog', { name: 'Approve this request?' })
      .getByRole('button', { name: 'Approve', exact: true })
      .click();
    await approver.page.locator('.badges').getByText('Approved', { exact: true }).waitFor();

    // The investigator's tab follows live; the 24/7 point (a handler) sends it.
    await investigator.page.locator('.badges').getByText('Approved', { exact: true }).waitFor();
    const sender = await newPage(browser);
    try {
      await signIn(sender.page, vn.url, 'duty');
      await sender.page.goto(detailUrl);
      // Send is the one primary step; it is confirmed in a dialog naming the partner.
      const primary = sender.page.locator('.primary-step').getByRole('button', { name: 'Send', exact: true });
      await primary.click();
      const confirm = sender.page.getByRole('alertdialog', { name: 'Send this request to France?' });
      await shot(sender.page, 'confirm-send');
      await assertAccessible(sender.page, 'send confirmation');
      await confirm.getByRole('button', { name: 'Send', exact: true }).click();
      await sender.page.locator('.badges').getByText('Sent', { exact: true }).waitFor();
      // France has its own node: its steps come from there, so the desk says it waits for France and
      // offers no equally weighted "Record acknowledgement" buttons.
      await sender.page.getByText(/^Waiting for France: the next step is theirs\./).waitFor();
      assert.equal(await sender.page.locator('.primary-step').count(), 0);
      assert.equal(
        await sender.page.getByRole('button', { name: 'Record acknowledgement', exact: true }).isVisible(),
        false,
      );
      await shot(sender.page, 'waiting-for-france');
      await assertAccessible(sender.page, 'waiting for France');
    } finally {
      await sender.context.close();
    }
    await investigator.page.locator('.badges').getByText('Sent', { exact: true }).waitFor();

    // Paris: it appears on the open desk, without a reload, highlighted.
    const row = officer.page.getByRole('row', { name: /VN-NET-0001/ });
    await row.waitFor({ timeout: 20_000 });
    await assertSameDocument(officer.page);
    assert.match((await row.textContent()) ?? '', /Received.*Urgent/);
    await shot(officer.page, 'desk-live');
    await assertAccessible(officer.page, 'desk');
    // One click from the desk itself: whoever acknowledges it holds it (it is no longer the sending
    // node's, so there is nothing left to take).
    await row.getByRole('button', { name: 'Acknowledge VN-NET-0001' }).click();
    await row.getByText('Acknowledged').waitFor();
    await row.getByText(/Incoming · yours/).waitFor();
    assert.equal(await row.getByRole('button', { name: 'Take VN-NET-0001' }).count(), 0);
    await row.getByRole('link', { name: 'VN-NET-0001' }).click();
    await officer.page.locator('.badges').getByText('Acknowledged').waitFor();
    await officer.page.getByRole('button', { name: 'Start execution' }).click();
    await officer.page.locator('.badges').getByText('Being executed').waitFor();
    await officer.page.getByRole('button', { name: 'Complete' }).click();
    await officer.page.locator('.badges').getByText('Executed').waitFor();

    // Hanoi: the same tab shows France's steps and the receipt France signed for the request.
    const hanoi = investigator.page;
    assert.equal(hanoi.url().split('?')[0], detailUrl);
    await hanoi.locator('.badges').getByText('Executed').waitFor({ timeout: 20_000 });
    await assertSameDocument(hanoi);
    const timeline = hanoi.getByRole('region', { name: 'History' });
    await timeline.getByText(/Message “request” sent to FR/).waitFor();
    await timeline
      .getByText(/Signed receipt from FR/)
      .first()
      .waitFor();
    await timeline
      .getByText(/Message “result” received from FR|Message “status_update” received from FR/)
      .first()
      .waitFor();
    // Every entry's audit proof checks out in the browser against the signed tree head.
    await hanoi.waitForFunction(() => document.querySelectorAll('.proof summary').length > 3);
    await hanoi.waitForFunction(
      () =>
        ![...document.querySelectorAll('.proof summary')].some((s) => /Checking/.test(s.textContent ?? '')),
    );
    assert.equal(await hanoi.locator('.proof.bad').count(), 0);
    await timeline.getByText('Show the receipt').first().click();
    await shot(hanoi, 'request-detail-timeline');
    await assertAccessible(hanoi, 'request detail');

    // The printable request, in the partner's language (French) by default.
    await hanoi.getByRole('link', { name: 'Printable request' }).click();
    const frame = hanoi.frameLocator('iframe[title="Preview of the printable request"]');
    await frame.locator('html[lang="fr"]').waitFor();
    await frame.getByText('VN-NET-0001').first().waitFor();
    await shot(hanoi, 'print-preview');
    await assertAccessible(hanoi, 'print preview');
    await choose(hanoi, /Language of the form$/, 'Tiếng Việt');
    await frame.locator('html[lang="vi"]').waitFor();
  } catch (error) {
    for (const [i, p] of pages.entries())
      await p
        .screenshot({ path: `test-results/screenshots/network-failure-${i}.png`, fullPage: true })
        .catch(() => {});
    throw error;
  } finally {
    for (const c of [investigator, approver, officer]) await c.context.close();
  }
});

test('the directory: authorities, languages, office hours now, their time beside yours', async () => {
  const { context, page } = await newPage(browser);
  try {
    await signIn(page, vn.url, 'duty');
    await nav(page).getByRole('link', { name: 'Directory' }).click();
    await page.getByRole('heading', { name: 'Directory of Parties' }).waitFor();
    await page.getByLabel('Find a State').fill('FR');
    const france = page
      .getByRole('listitem')
      .filter({ has: page.getByRole('heading', { name: /France \(FR\)/ }) });
    await france.waitFor();
    const text = (await france.textContent()) ?? '';
    assert.match(text, /24\/7 point of contact/);
    assert.match(text, /Open 24\/7/);
    assert.match(text, /Central authority/);
    assert.match(text, /Open now|Closed now/);
    assert.match(text, /French/);
    assert.match(text, /Europe\/Paris/);
    assert.match(text, /yours/);
    await shot(page, 'directory');
    await assertAccessible(page, 'directory');
  } finally {
    await context.close();
  }
});

test('the desk in Vietnamese, and in Arabic mirrored right to left', async () => {
  const { context, page } = await newPage(browser);
  try {
    await signIn(page, vn.url, 'duty');
    await choose(page, /Language$/, 'Tiếng Việt');
    await page.getByRole('heading', { name: 'Bàn trực 24/7' }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'vi');
    await page.getByRole('columnheader', { name: 'Thời hạn tiếp theo' }).waitFor();
    await shot(page, 'desk-vi');
    await assertAccessible(page, 'desk in Vietnamese');

    await choose(page, /Ngôn ngữ$/, 'العربية');
    await page.waitForFunction(() => document.documentElement.dir === 'rtl');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'ar');
    // Mirrored: the navigation starts on the right, the table's first column is the rightmost.
    const items = page.locator('nav.main-nav li');
    const first = (await items.first().boundingBox())!;
    const last = (await items.last().boundingBox())!;
    assert.ok(first.x > last.x, `first nav item at ${first.x}, last at ${last.x}`);
    const headers = page.locator('table.requests th');
    const h1 = (await headers.first().boundingBox())!;
    const h6 = (await headers.last().boundingBox())!;
    assert.ok(h1.x > h6.x, 'the first column is on the right');
    await shot(page, 'desk-ar');
    await assertAccessible(page, 'desk in Arabic');
  } finally {
    await context.close();
  }
});
