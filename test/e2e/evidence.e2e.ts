// Issue #15's done-when path through two desks: Viet Nam asks France for stored data; France's duty
// officer uploads a file in the desk (the connection is cut mid-upload and the upload resumes where
// it stopped), seals it; a second French officer approves and sends it; Viet Nam's desk shows the
// package "verified — signed by France" (in Arabic too, the State named by Intl), its custody
// timeline, and downloads the same bytes; the package exported with the CLI verifies offline.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { WEB_DIST } from '../../src/api/routes/web/web-routes.ts';
import type { Role } from '../../src/domain/codes.ts';
import { buildRequest } from '../domain/requests/request-fixtures.ts';
import { linkNodes, type NetNode, startNetNode } from '../federation/federation-network.ts';
import { client } from '../helpers/http-client.ts';
import { launchBrowser } from './browser.ts';
import { assertAccessible, choose, downloadedSha256, newPage, shot, signIn, tick } from './desk-page.ts';

let vn: NetNode;
let fr: NetNode;
let browser: Browser;
let dir: string;
let requestId: string;
const tokens: Record<string, string> = {};
const PASSWORD = 'evidence-e2e-password-1';

async function officer(node: NetNode, username: string, roles: Role[]) {
  const { user } = await node.ctx.users.addUser('test', { username, password: PASSWORD, roles });
  const { token } = await node.ctx.auth.createToken(user.id, { name: 'e2e', scopes: roles, ttlDays: 1 });
  tokens[username] = token;
  const api = client(node.url);
  api.setToken(token);
  return api;
}

async function step(api: ReturnType<typeof client>, action: string) {
  const reply = await api.post(`/api/v1/requests/${requestId}/transitions`, { action });
  assert.equal(reply.status, 200, `${action}: ${JSON.stringify(reply.body)}`);
}

before(async () => {
  assert.ok(existsSync(`${WEB_DIST}/index.html`), 'run `npm run build:web` first (npm run test:e2e does)');
  dir = await mkdtemp(join(tmpdir(), 'h247-evidence-e2e-'));
  [vn, fr] = await Promise.all([
    startNetNode({ state: 'VN', env: { HANOI247_EVIDENCE_DIR: join(dir, 'vn') } }),
    startNetNode({ state: 'FR', env: { HANOI247_EVIDENCE_DIR: join(dir, 'fr') } }),
  ]);
  await linkNodes([vn, fr]);
  const vnDuty = await officer(vn, 'vn-duty', ['DUTY_OFFICER']);
  const vnApprover = await officer(vn, 'vn-approver', ['APPROVER']);
  const frDuty = await officer(fr, 'fr-duty', ['DUTY_OFFICER']);
  const frLawyer = await officer(fr, 'fr-lawyer', ['CENTRAL_AUTHORITY']);
  // The scene: Viet Nam's stored-data request is sent to France, which takes it into execution.
  const created = await vnDuty.post('/api/v1/requests', {
    type: 'MLA_STORED_DATA',
    ...buildRequest('MLA_STORED_DATA', { caseReference: 'VN-EVD-0001' }),
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  requestId = created.body.request.id as string;
  await step(vnDuty, 'submit');
  await step(vnApprover, 'approve');
  await step(vnDuty, 'send');
  const deadline = Date.now() + 30_000;
  while (!(await fr.ctx.requests.get(requestId).catch(() => null))) {
    if (Date.now() > deadline) throw new Error('the request never reached FR');
    await new Promise((r) => setTimeout(r, 100));
  }
  await step(frDuty, 'acknowledge');
  await step(frLawyer, 'start_execution');
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await Promise.all([vn?.destroy(), fr?.destroy()]);
  await rm(dir, { recursive: true, force: true });
});

const evidence = (page: Page) => page.getByRole('region', { name: 'Evidence' });

async function packageOf(api: ReturnType<typeof client>): Promise<string> {
  const listed = await api.get(`/api/v1/requests/${requestId}/evidence`);
  return (listed.body as { packages: { id: string }[] }).packages[0]!.id;
}

async function eventually(check: () => Promise<boolean>) {
  const deadline = Date.now() + 30_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('never happened');
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('France uploads (with a cut), seals, approves and sends; Viet Nam sees it verified with its custody', async () => {
  const bytes = randomBytes(5 * 1024 * 1024 + 4321);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const duty = await newPage(browser, { timezoneId: 'Europe/Paris' });
  const lawyer = await newPage(browser, { timezoneId: 'Europe/Paris' });
  const hanoi = await newPage(browser);
  const pages = [duty.page, lawyer.page, hanoi.page];
  try {
    // Paris, the duty officer: the Evidence section of the request in execution.
    const page = duty.page;
    await signIn(page, fr.url, 'fr-duty', PASSWORD);
    await page.goto(`${fr.url}/requests/${requestId}`);
    await evidence(page).getByText('No evidence yet.').waitFor();
    // Nothing is sent while the file or a required statement is missing; each says so.
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    await page.getByText('Choose a file.').waitFor();
    assert.ok((await page.getByText('This is required.').count()) >= 3);
    await page.getByLabel(/^File/).setInputFiles({
      name: 'mailbox-export.mbox',
      mimeType: 'application/mbox',
      buffer: bytes,
    });
    await page.getByLabel(/^Description/).fill('Mailbox of operator@scam.example, June to October 2026');
    await page.getByLabel(/^Source/).fill('Example Mail SAS (provider export)');
    await page.getByLabel(/^Domestic order/).fill('Order 2026/117 of the Paris investigating judge');
    await page.getByLabel(/^Acquired at/).fill('2026-11-30T09:00');
    await page.getByLabel(/^Acquired by/).fill('Capt. Martin, OFAC');
    await tick(page, 'Contact details');
    await tick(page, 'Content of communications');
    await assertAccessible(page, 'evidence upload form');

    // The connection is cut on the second slice: the bar stops part-way and a button resumes.
    let patches = 0;
    await page.route('**/api/v1/evidence/uploads/*', async (route) => {
      if (route.request().method() === 'PATCH' && ++patches === 2) return route.abort('connectionreset');
      return route.continue();
    });
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    const resume = page.getByRole('button', { name: 'Resume the upload' });
    await resume.waitFor();
    await page.getByText(/The upload was cut at/).waitFor();
    const bar = page.getByRole('progressbar');
    const at = Number(await bar.getAttribute('aria-valuenow'));
    assert.ok(at > 0 && at < bytes.length, `the bar stopped part-way (${at} of ${bytes.length})`);
    await shot(page, 'evidence-upload-cut');
    await page.unroute('**/api/v1/evidence/uploads/*');
    await resume.click();
    await page.getByText('mailbox-export.mbox added.').waitFor({ timeout: 60_000 });
    assert.equal(patches, 2, 'the resumed upload did not start again from zero');
    const row = evidence(page).getByRole('row', { name: /mailbox-export\.mbox/ });
    await row.waitFor();
    const rowText = (await row.textContent()) ?? '';
    assert.match(rowText, new RegExp(sha256));
    assert.match(rowText, /Contact details/);
    assert.match(rowText, /Content of communications/);

    await evidence(page)
      .getByRole('button', { name: /^Seal into a package/ })
      .click();
    await page.getByText('Package sealed and signed: a second officer approves it next.').waitFor();
    await evidence(page).getByText('Sealed — waiting for a second officer to approve it').waitFor();
    await evidence(page).getByText('You sealed it: another officer approves it (four eyes).').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Approve the package' }).count(), 0);
    await shot(page, 'evidence-sealed');
    await assertAccessible(page, 'evidence section, sealed');

    // Paris, a second officer: approves (four eyes) and sends to Viet Nam.
    const second = lawyer.page;
    await signIn(second, fr.url, 'fr-lawyer', PASSWORD);
    await second.goto(`${fr.url}/requests/${requestId}`);
    await evidence(second).getByRole('button', { name: 'Approve the package' }).click();
    await evidence(second).getByText('Approved — ready to send to Vietnam').waitFor();
    await evidence(second).getByRole('button', { name: 'Send to Vietnam' }).click();
    await evidence(second)
      .getByText('Delivered — verified and receipted by Vietnam')
      .waitFor({ timeout: 60_000 });
    await evidence(second).getByRole('button', { name: 'Show the chain of custody' }).click();
    const frCustody = evidence(second).getByRole('list', { name: 'Chain of custody' });
    for (const event of ['Item added', 'Sealed', 'Approved', 'Sending started', 'Delivered and receipted'])
      await frCustody.getByText(event, { exact: true }).waitFor();
    await shot(second, 'evidence-sent');
    await assertAccessible(second, 'evidence section, sent');

    // Hanoi: the package is there, verified, signed by France, with its custody; the bytes are the same.
    const vnPage = hanoi.page;
    await signIn(vnPage, vn.url, 'vn-duty', PASSWORD);
    await vnPage.goto(`${vn.url}/requests/${requestId}`);
    await evidence(vnPage).getByText('Verified — signed by France').waitFor({ timeout: 20_000 });
    const vnRow = evidence(vnPage).getByRole('row', { name: /mailbox-export\.mbox/ });
    assert.match((await vnRow.textContent()) ?? '', new RegExp(sha256));
    await evidence(vnPage).getByRole('button', { name: 'Show the chain of custody' }).click();
    const vnCustody = evidence(vnPage).getByRole('list', { name: 'Chain of custody' });
    await vnCustody.getByText('Arriving', { exact: true }).waitFor();
    await vnCustody.getByText('Verified', { exact: true }).waitFor();
    assert.equal(
      await downloadedSha256(
        vnPage,
        evidence(vnPage).getByRole('link', { name: 'Download mailbox-export.mbox' }),
      ),
      sha256,
    );
    await shot(vnPage, 'evidence-verified');
    await assertAccessible(vnPage, 'evidence section, received');

    // Hanoi asks France's consent to pass the package on to Germany; France grants it in its desk.
    await choose(vnPage, /Third State$/, 'Germany (DE)');
    await vnPage.getByLabel(/^Why it should go there/).fill('Joint investigation team with the BKA');
    await evidence(vnPage).getByRole('button', { name: 'Ask France for consent' }).click();
    await evidence(vnPage).getByText('To Germany: waiting for the answer').waitFor();
    const frApi = client(fr.url);
    frApi.setToken(tokens['fr-lawyer']!);
    await eventually(async () => {
      const list = await frApi.get(`/api/v1/evidence/packages/${await packageOf(frApi)}/consents`);
      return (list.body as unknown[]).length > 0;
    });
    await second.reload();
    await evidence(second)
      .getByText(/Vietnam asks to pass it on to Germany/)
      .waitFor();
    await shot(second, 'evidence-consent-asked');
    await assertAccessible(second, 'evidence consent asked');
    await evidence(second).getByRole('button', { name: 'Consent to Germany' }).click();
    await evidence(second).getByText('Answer sent.').waitFor();
    await evidence(vnPage).getByText('To Germany: consent granted').waitFor({ timeout: 20_000 });

    // Handed to a German prosecutor in person: the delivery is recorded, then the archive downloaded.
    await evidence(vnPage).getByText('Hand delivery to a partner without a node').click();
    await vnPage.getByLabel(/^Recipient/).fill('Staatsanwaltschaft Berlin');
    await choose(vnPage, /Partner State$/, 'Germany (DE)');
    await evidence(vnPage)
      .getByRole('button', { name: 'Record the delivery and prepare the archive' })
      .click();
    await evidence(vnPage)
      .getByText(/Delivery recorded in the chain of custody/)
      .waitFor();
    await assertAccessible(vnPage, 'evidence hand delivery');
    const archiveDownload = vnPage.waitForEvent('download');
    await evidence(vnPage).getByRole('link', { name: 'Download the archive' }).click();
    await (await archiveDownload).saveAs(join(dir, 'hand-delivery.tar'));
    // In Arabic, right to left, France named by Intl in Arabic.
    await choose(vnPage, /Language$/, 'العربية');
    await vnPage.waitForFunction(() => document.documentElement.dir === 'rtl');
    const france = new Intl.DisplayNames(['ar'], { type: 'region' }).of('FR')!;
    await vnPage.getByText(`تم التحقق — موقّعة من ${france}`).waitFor();
    await shot(vnPage, 'evidence-verified-ar');
    await assertAccessible(vnPage, 'evidence section in Arabic');
  } catch (error) {
    for (const [i, p] of pages.entries())
      await p
        .screenshot({ path: `test-results/screenshots/evidence-failure-${i}.png`, fullPage: true })
        .catch(() => {});
    throw error;
  } finally {
    for (const c of [duty, lawyer, hanoi]) await c.context.close();
  }

  // Offline: the package Viet Nam exports for its court with the CLI verifies with the CLI, no node
  // needed: France's signature on the manifest, Viet Nam's on the custody of its own log.
  const frApi = client(fr.url);
  frApi.setToken(tokens['fr-lawyer']!);
  const packageId = await packageOf(frApi);
  const exported = join(dir, 'export');
  // Asynchronously: the two nodes answer from this very process.
  const cli = (args: string[], env: Record<string, string> = {}) =>
    promisify(execFile)(process.execPath, ['src/cli/main.ts', 'evidence', ...args], {
      encoding: 'utf8',
      env: { ...process.env, ...env },
    }).then(
      ({ stdout, stderr }) => ({ status: 0, stdout, stderr }),
      (e: { code?: number; stdout?: string; stderr?: string }) => ({
        status: e.code ?? 1,
        stdout: e.stdout ?? '',
        stderr: e.stderr ?? '',
      }),
    );
  const exporting = await cli(
    ['export', packageId, exported, '--recipient', 'Hanoi People’s Court', '--url', vn.url, '--json'],
    { HANOI247_TOKEN: tokens['vn-duty']! },
  );
  assert.equal(exporting.status, 0, exporting.stderr);
  const verifying = await cli(['verify', exported, '--json']);
  assert.equal(verifying.status, 0, verifying.stdout + verifying.stderr);
  const result = JSON.parse(verifying.stdout) as { ok: boolean; packageId: string };
  assert.equal(result.ok, true);
  assert.equal(result.packageId, packageId);
  assert.match(JSON.stringify(result), /of FR/);
  // The archive Hanoi handed to Germany verifies offline too, once unpacked.
  const unpacked = join(dir, 'hand-delivery');
  await mkdir(unpacked);
  await promisify(execFile)('tar', ['-xf', join(dir, 'hand-delivery.tar'), '-C', unpacked]);
  const byHand = await cli(['verify', join(unpacked, `evidence-${packageId}`), '--json']);
  assert.equal(byHand.status, 0, byHand.stdout + byHand.stderr);
  assert.equal((JSON.parse(byHand.stdout) as { ok: boolean }).ok, true);
});

test('an upload cut and the page reloaded resumes where the node says it stands', async () => {
  const bytes = randomBytes(4 * 1024 * 1024 + 99);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  // A file on disk, as an officer picks it: the same file again is known by name, size and date.
  const onDisk = join(dir, 'router.log');
  await writeFile(onDisk, bytes);
  const { context, page } = await newPage(browser, { timezoneId: 'Europe/Paris' });
  const fill = async () => {
    await page.getByLabel(/^File/).setInputFiles(onDisk);
    await page.getByLabel(/^Description/).fill('Router log of the hosting provider');
    await page.getByLabel(/^Source/).fill('Example Hosting SAS');
    await page.getByLabel(/^Acquired at/).fill('2026-12-01T10:00');
    await page.getByLabel(/^Acquired by/).fill('Lt. Bernard, OFAC');
  };
  try {
    await signIn(page, fr.url, 'fr-duty', PASSWORD);
    await page.goto(`${fr.url}/requests/${requestId}`);
    await fill();
    const offsets: string[] = [];
    await page.route('**/api/v1/evidence/uploads/*', async (route) => {
      if (route.request().method() !== 'PATCH') return route.continue();
      offsets.push((await route.request().headerValue('upload-offset')) ?? '');
      return offsets.length === 2 ? route.abort('connectionreset') : route.continue();
    });
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    await page.getByRole('button', { name: 'Resume the upload' }).waitFor();
    // The tab is reloaded: the node still holds the first slice, and the same file resumes after it.
    await page.reload();
    await evidence(page)
      .getByText(/Unfinished uploads/)
      .waitFor();
    assert.match((await evidence(page).textContent()) ?? '', /router\.log/);
    await fill();
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    await page.getByText('router.log added.').waitFor({ timeout: 60_000 });
    assert.equal(offsets[0], '0');
    assert.ok(Number(offsets[2]) > 0, `after the reload it resumed at ${offsets[2]}, not from zero`);
    assert.match(
      (await evidence(page)
        .getByRole('row', { name: /router\.log/ })
        .textContent()) ?? '',
      new RegExp(sha256),
    );
  } finally {
    await context.close();
  }
});
