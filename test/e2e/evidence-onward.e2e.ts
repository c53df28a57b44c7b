// Onward transfer in the desk (art. 36), on three real nodes: France's package has reached Viet Nam and
// France has consented to Germany; Viet Nam's central authority picks Germany's request under the
// granted consent and presses "Send to the node of Germany"; Germany's desk then shows the package
// verified, signed by France, and passed on by Viet Nam with France's consent, with the same bytes.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { WEB_DIST } from '../../src/api/routes/web/web-routes.ts';
import { CHUNK_SIZE } from '../../src/evidence/evidence-crypto.ts';
import { GERMAN_CASE, type ThreeNodes, threeNodes } from '../evidence/three-nodes.ts';
import { auditActions, OFFICER_PASSWORD } from '../evidence/two-nodes.ts';
import { launchBrowser } from './browser.ts';
import { assertAccessible, choose, downloadedSha256, newPage, shot, signIn } from './desk-page.ts';

let net: ThreeNodes;
let browser: Browser;

before(async () => {
  assert.ok(existsSync(`${WEB_DIST}/index.html`), 'run `npm run build:web` first (npm run test:e2e does)');
  net = await threeNodes();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await net?.close();
});

const evidence = (page: Page) => page.getByRole('region', { name: 'Evidence' });

test('Viet Nam sends France’s package on to Germany from the desk; Germany’s desk shows it verified and passed on', async () => {
  const bytes = randomBytes(2 * CHUNK_SIZE + 777);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const packageId = await net.deliver(bytes);
  await net.consentOfFrance(packageId);
  const hanoi = await newPage(browser);
  const berlin = await newPage(browser, { timezoneId: 'Europe/Berlin' });
  try {
    // Hanoi, the central authority: under the granted consent, the request of Germany it answers and the button.
    const page = hanoi.page;
    await signIn(page, net.vn.url, 'vn-central', OFFICER_PASSWORD);
    await page.goto(`${net.vn.url}/requests/${net.requestId}`);
    await evidence(page).getByText('Verified — signed by France').waitFor({ timeout: 20_000 });
    await evidence(page).getByText('To Germany: consent granted').waitFor();
    const send = evidence(page).getByRole('button', { name: 'Send to the node of Germany' });
    // Nothing goes before the officer names the German request it answers.
    assert.equal(await send.isDisabled(), true);
    await choose(page, /Request of Germany it answers$/, `${GERMAN_CASE} (${net.germanRequest.slice(-8)})`);
    await assertAccessible(page, 'onward transfer, request chosen');
    await shot(page, 'evidence-onward-ready');
    await send.click();
    await evidence(page)
      .getByText('Sent to the node of Germany and verified there.')
      .waitFor({ timeout: 60_000 });
    assert.equal(
      await evidence(page).getByRole('button', { name: 'Send to the node of Germany' }).count(),
      0,
    );
    await shot(page, 'evidence-onward-sent');
    const vnActions = await auditActions(net.vn, packageId);
    assert.equal(vnActions.filter((a) => a === 'evidence.onward_send').length, 1, vnActions.join(', '));
    assert.equal(vnActions.filter((a) => a === 'evidence.onward_delivered').length, 1, vnActions.join(', '));

    // Berlin, the officer of Germany's request: the package is there, France's, passed on by Viet Nam.
    const de = berlin.page;
    await signIn(de, net.de.url, 'de-duty', OFFICER_PASSWORD);
    await de.goto(`${net.de.url}/requests/${net.germanRequest}`);
    await evidence(de).getByText('Verified — signed by France').waitFor({ timeout: 20_000 });
    await evidence(de)
      .getByText('Passed on by Vietnam with the consent of France, which signed it.')
      .waitFor();
    const row = evidence(de).getByRole('row', { name: /mailbox-export\.mbox/ });
    assert.match((await row.textContent()) ?? '', new RegExp(sha256));
    await evidence(de).getByRole('button', { name: 'Show the chain of custody' }).click();
    const custody = evidence(de).getByRole('list', { name: 'Chain of custody' });
    await custody.getByText('Verified', { exact: true }).waitFor();
    await shot(de, 'evidence-onward-received');
    await assertAccessible(de, 'evidence passed on, at the third node');
    // The same bytes, downloaded in Germany's desk.
    assert.equal(
      await downloadedSha256(de, evidence(de).getByRole('link', { name: 'Download mailbox-export.mbox' })),
      sha256,
    );
  } catch (error) {
    for (const [i, p] of [hanoi.page, berlin.page].entries())
      await p
        .screenshot({ path: `test-results/screenshots/evidence-onward-failure-${i}.png`, fullPage: true })
        .catch(() => {});
    throw error;
  } finally {
    for (const c of [hanoi, berlin]) await c.context.close();
  }
});
