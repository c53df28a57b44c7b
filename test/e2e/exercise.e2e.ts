// A participant's part of a joint exercise in a real browser against a real node (issue 18): the
// controller starts the shipped bilateral sample (Viet Nam and a simulated France) accelerated, the
// emergency request inject appears in the duty officer's exercise view marked EXERCISE, the officer
// acknowledges it in the desk, the score shows it met, and the real request list never shows it.
// Also: the control room at phone width, and the exercise view in Arabic (right to left).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { WEB_DIST } from '../../src/api/routes/web/web-routes.ts';
import { client } from '../helpers/http-client.ts';
import { DEMO_PASSWORD, startTestNode, type TestNode } from '../helpers/test-node.ts';
import { launchBrowser } from './browser.ts';
import {
  assertAccessible,
  choose,
  newPage,
  SCREENSHOTS,
  shot,
  signIn,
  tick,
  tokenClient,
} from './desk-page.ts';

const REFERENCE = 'FR-EX-2026-0001';
// Accelerated, but slowly enough that a loaded machine still acknowledges within the 30 exercise
// minutes the script allows (five real minutes at ×6); the score must say met, not late.
const SPEED = '6';

let node: TestNode;
let browser: Browser;
let admin: Awaited<ReturnType<typeof adminApi>>;
let exerciseId = '';

async function adminApi() {
  return adminOf(node);
}

async function adminOf(on: TestNode) {
  const api = client(on.url);
  const login = await api.login('admin', DEMO_PASSWORD);
  assert.equal(login.status, 200, JSON.stringify(login.body));
  return api;
}

before(async () => {
  assert.ok(existsSync(`${WEB_DIST}/index.html`), 'run `npm run build:web` first (npm run test:e2e does)');
  node = await startTestNode({ config: { demo: true } });
  browser = await launchBrowser();
  admin = await adminApi();
});
after(async () => {
  await browser?.close();
  await node?.close();
});

/** Waits, without sleeping, until the check holds (the page updates by itself: live stream or reads). */
async function until(what: string, check: () => Promise<boolean>, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise<void>((r) => setTimeout(r, 250));
  }
}

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

test('the controller starts the bilateral sample; the duty officer acts on the EXERCISE request; it scores met', async () => {
  // The controller: the administrator's control room.
  const { context: adminContext, page: control } = await newPage(browser);
  await signIn(control, node.url, 'admin');
  await control
    .getByRole('navigation', { name: 'Main navigation' })
    .getByRole('link', { name: 'Exercise control room' })
    .click();
  await control.getByRole('heading', { name: 'Start an exercise' }).waitFor();
  await assertAccessible(control, 'control room, before the start');

  // A broken scenario is refused with every problem listed, and nothing starts.
  await control.locator('input[type="file"]').setInputFiles({
    name: 'broken.yaml',
    mimeType: 'application/yaml',
    buffer: Buffer.from(
      'id: broken\ntitle: Broken\nduration: PT1H\nparticipants:\n  - state: XX\ninjects: []\n',
    ),
  });
  await control.getByRole('alert').filter({ hasText: 'The scenario cannot be used' }).waitFor();
  const listed = await control.locator('.scenario-problems li').count();
  assert.ok(listed >= 1, `problems listed: ${listed}`);

  // The shipped sample, chosen from the list the node serves.
  await choose(control, /Shipped scenario$/, 'Emergency disclosure between Viet Nam and France');
  assert.equal(await control.locator('.scenario-problems li').count(), 0);
  await control.getByLabel('Speed (exercise minutes per real minute)').fill(SPEED);
  await control.getByRole('button', { name: 'Start the exercise' }).click();
  await control.getByRole('heading', { name: 'Emergency disclosure between Viet Nam and France' }).waitFor();
  // The whole screen now says EXERCISE, and the first inject (T+0) has fired.
  await control.getByRole('note').filter({ hasText: 'EXERCISE' }).waitFor();
  await control
    .locator('tr[data-inject="emergency-request"]')
    .getByText(/Fired at T\+/)
    .waitFor();
  const list = await admin.get('/api/v1/exercises');
  exerciseId = list.body.items[0].id;
  assert.ok(exerciseId);
  await assertAccessible(control, 'control room, running');
  await shot(control, 'exercise-control-room');

  // The duty officer: the exercise view, kept apart from the real lists.
  const { context: dutyContext, page: duty } = await newPage(browser);
  await signIn(duty, node.url, 'duty');
  await duty
    .getByRole('navigation', { name: 'Main navigation' })
    .getByRole('link', { name: 'Exercise', exact: true })
    .click();
  await duty.getByRole('note').filter({ hasText: 'EXERCISE' }).waitFor();
  await duty.locator('.exercise-clock [role="timer"]').waitFor();
  const next = duty.getByRole('region', { name: 'Expected of you next' });
  await next.getByText('Acknowledge the request').waitFor();
  await duty
    .getByRole('region', { name: 'What has happened so far' })
    .locator('li[data-inject="emergency-request"]')
    .waitFor();
  const requests = duty.getByRole('region', { name: 'Exercise requests' });
  const row = requests.getByRole('row').filter({ hasText: REFERENCE });
  await row.waitFor();
  await row.locator('.badge.exercise').filter({ hasText: 'EXERCISE' }).waitFor();
  await assertAccessible(duty, 'exercise view');
  await shot(duty, 'exercise-participant');

  // The request itself: marked EXERCISE on its page, with the banner kept on screen.
  await row.getByRole('link', { name: REFERENCE }).click();
  await duty.getByRole('heading', { name: new RegExp(REFERENCE) }).waitFor();
  await duty.locator('.badges .badge.exercise').filter({ hasText: 'EXERCISE' }).waitFor();
  await duty.getByRole('note').filter({ hasText: 'EXERCISE' }).waitFor();
  await assertAccessible(duty, 'exercise request');
  // Its print preview says EXERCISE above the form too, with the banner.
  const detailPath = new URL(duty.url()).pathname;
  await duty.goto(`${node.url}${detailPath}/print`);
  await duty.getByRole('heading', { name: 'Printable request' }).waitFor();
  await duty.locator('.exercise-note .badge.exercise').filter({ hasText: 'EXERCISE' }).waitFor();
  await duty.getByRole('note').filter({ hasText: 'EXERCISE' }).waitFor();
  await duty.goto(`${node.url}${detailPath}`);
  await duty.getByRole('link', { name: 'Back to the exercise' }).click();

  // The duty officer acknowledges from the exercise list, as on the real desk.
  // The node prefixes an exercise request's reference with EXERCISE and the exercise's id.
  await requests.getByRole('button', { name: new RegExp(`^Acknowledge EXERCISE-.*${REFERENCE}$`) }).click();
  await requests.getByRole('row').filter({ hasText: REFERENCE }).getByText('Acknowledged').waitFor();

  // The score says met: in the participant's view and in the control room, without a reload.
  const own = duty.getByRole('table', { name: /This node’s expected actions/ });
  await own.locator('tr[data-action="ack-emergency"]').getByText('Met', { exact: true }).waitFor();
  // The control room (an administrator, who does not read the request stream) learns it from the
  // exercise stream, which sends a fresh view at least every 15 s.
  await control
    .locator('tr[data-action="ack-emergency"]')
    .getByText('Met', { exact: true })
    .waitFor({ timeout: 45_000 });
  const status = await admin.get(`/api/v1/exercises/${exerciseId}`);
  const ack = status.body.actions.find((a: { id: string }) => a.id === 'ack-emergency');
  assert.equal(ack.outcome, 'met', JSON.stringify(ack));

  // The real request list does not show the exercise request (and neither does the API's).
  await duty
    .getByRole('navigation', { name: 'Main navigation' })
    .getByRole('link', { name: 'Requests' })
    .click();
  await duty.getByRole('heading', { name: 'Requests', exact: true }).waitFor();
  await until(
    'the real list to load',
    async () => (await duty.locator('.pager[aria-live]').textContent())?.includes('shown') ?? false,
  );
  assert.equal(await duty.getByText(REFERENCE).count(), 0, 'the exercise request is in the real list');
  assert.equal(
    await duty.getByRole('note').filter({ hasText: 'EXERCISE' }).count(),
    0,
    'banner on real work',
  );
  // The administrator does not read requests: a duty officer's token does.
  const reader = await tokenClient(node, 'exercise-reader', ['DUTY_OFFICER']);
  const real = await reader.get('/api/v1/requests?limit=500');
  assert.equal(real.status, 200);
  assert.equal(
    real.body.items.some((r: { caseReference: string }) => r.caseReference.includes(REFERENCE)),
    false,
  );
  const ours = await reader.get(`/api/v1/requests?exercise=${encodeURIComponent(exerciseId)}`);
  assert.ok(
    ours.body.items.some(
      (r: { caseReference: string; exerciseId: string }) =>
        r.caseReference.includes(REFERENCE) && r.exerciseId === exerciseId,
    ),
  );

  // The controller injects by hand; the participant reads it among what has happened.
  await control.getByLabel('Title').fill('Press enquiry');
  await control.getByLabel('Message to the participants').fill('A journalist asks about the abduction.');
  await control.getByRole('button', { name: 'Inject now' }).click();
  await control.getByText('The inject was sent to the participants.').waitFor();
  await duty
    .getByRole('navigation', { name: 'Main navigation' })
    .getByRole('link', { name: 'Exercise', exact: true })
    .click();
  await duty
    .getByRole('region', { name: 'What has happened so far' })
    .getByText(/Press enquiry/)
    .waitFor();

  // Pause stops the clock, resume starts it again.
  await control.getByRole('button', { name: 'Pause' }).click();
  await control.locator('.exercise-state').filter({ hasText: 'Paused' }).waitFor();
  const stopped = await control.locator('.exercise-clock [role="timer"]').textContent();
  assert.equal(
    await control
      .getByRole('button', { name: /^Fire now/ })
      .first()
      .isDisabled(),
    true,
  );
  await control.getByRole('button', { name: 'Resume' }).click();
  await control.locator('.exercise-state').filter({ hasText: 'Running' }).waitFor();
  await until(
    'the clock to run again',
    async () => (await control.locator('.exercise-clock [role="timer"]').textContent()) !== stopped,
  );

  await dutyContext.close();
  await adminContext.close();
});

test('the control room fits a phone (390 px), the exercise view reads right to left in Arabic, another node joins', async () => {
  assert.ok(exerciseId, 'runs after the exercise is started');
  const phone = await browser.newContext({
    locale: 'en-GB',
    timezoneId: 'Asia/Ho_Chi_Minh',
    viewport: { width: 390, height: 844 },
  });
  const page = await phone.newPage();
  page.setDefaultTimeout(20_000);
  page.on('pageerror', (error) => console.error('[page error]', error.message));
  await signIn(page, node.url, 'admin');
  await page.goto(`${node.url}/exercises/control`);
  await page.getByRole('heading', { name: 'Emergency disclosure between Viet Nam and France' }).waitFor();
  await page.locator('tr[data-action="ack-emergency"]').waitFor();
  await assertFitsWidth(page, 'control room at 390px');
  await assertAccessible(page, 'control room at 390px');
  await page.screenshot({ path: `${SCREENSHOTS}/exercise-control-phone.png`, fullPage: true });
  await phone.close();

  const arabic = await browser.newContext({ locale: 'ar', timezoneId: 'Asia/Ho_Chi_Minh' });
  await arabic.addInitScript(() => localStorage.setItem('hanoi247.language', 'ar'));
  const rtl = await arabic.newPage();
  rtl.setDefaultTimeout(20_000);
  rtl.on('pageerror', (error) => console.error('[page error]', error.message));
  await rtl.goto(node.url);
  await rtl.locator('input[autocomplete="username"], input[name="username"]').first().fill('duty');
  await rtl.locator('input[type="password"]').fill(DEMO_PASSWORD);
  await rtl.locator('form button[type="submit"]').click();
  await rtl.locator('nav.main-nav').waitFor();
  await rtl.goto(`${node.url}/exercise`);
  await rtl.getByRole('heading', { name: 'التمرين', exact: true }).waitFor();
  await rtl.getByRole('note').filter({ hasText: 'تمرين' }).waitFor();
  await rtl.getByRole('row').filter({ hasText: REFERENCE }).locator('.badge.exercise').waitFor();
  assert.equal(await rtl.evaluate(() => document.documentElement.dir), 'rtl');
  // Mirrored: the banner's word starts at the right edge; the T+ clock still reads left to right.
  const { bannerRight, wordRight, clockDir, cardRight, clockRight } = await rtl.evaluate(() => {
    const banner = document.querySelector('.exercise-banner')!.getBoundingClientRect();
    const word = document.querySelector('.exercise-banner .exercise-word')!.getBoundingClientRect();
    const clock = document.querySelector('.exercise-clock [role="timer"]')!;
    const card = document.querySelector('.exercise-head')!.getBoundingClientRect();
    return {
      bannerRight: banner.right,
      wordRight: word.right,
      clockDir: getComputedStyle(clock).direction,
      cardRight: card.right,
      clockRight: clock.getBoundingClientRect().right,
    };
  });
  assert.ok(bannerRight - wordRight < 40, `the banner starts on the right (${bannerRight} vs ${wordRight})`);
  assert.ok(cardRight - clockRight < 40, `the clock sits on the right (${cardRight} vs ${clockRight})`);
  assert.equal(clockDir, 'ltr');
  assert.match(
    (await rtl.locator('.exercise-clock [role="timer"]').textContent()) ?? '',
    /^T\+\d{2}:\d{2}:\d{2}$/,
  );
  await assertAccessible(rtl, 'exercise view in Arabic');
  await rtl.screenshot({ path: `${SCREENSHOTS}/exercise-arabic.png`, fullPage: true });
  await arabic.close();

  // Another node joins from its own control room with the same sample and the id, start and speed
  // the controller's room shows.
  const started = (await admin.get(`/api/v1/exercises/${exerciseId}`)).body;
  const other = await startTestNode({ config: { demo: true } });
  try {
    const { context, page: join } = await newPage(browser);
    await signIn(join, other.url, 'admin');
    await join.goto(`${other.url}/exercises/control`);
    await tick(join, 'Join an exercise started by another node instead');
    await join.getByRole('heading', { name: 'Join another node’s exercise' }).waitFor();
    await choose(join, /Shipped scenario$/, 'Emergency disclosure between Viet Nam and France');
    await join.getByLabel('Exercise id').fill(exerciseId);
    // As the controller's room shows them.
    const { context: controlContext, page: control } = await newPage(browser);
    await signIn(control, node.url, 'admin');
    await control.goto(`${node.url}/exercises/control`);
    await control.getByText('To let the other nodes join').click();
    const shown = (await control.locator('details.share dd code').allTextContents()).map((x) => x.trim());
    assert.deepEqual(shown, [exerciseId, started.clock.exerciseStart, String(started.speed)]);
    await controlContext.close();
    await join.getByLabel(/^Started at/).fill(shown[1]!);
    await join.getByLabel('Speed (exercise minutes per real minute)').fill(String(started.speed));
    await join.getByRole('button', { name: 'Join the exercise' }).click();
    await join.getByRole('heading', { name: 'Emergency disclosure between Viet Nam and France' }).waitFor();
    const joined = await (await adminOf(other)).get(`/api/v1/exercises/${exerciseId}`);
    assert.equal(joined.status, 200, joined.text);
    assert.equal(joined.body.role, 'participant');
    assert.equal(joined.body.clock.exerciseStart, started.clock.exerciseStart);
    await assertAccessible(join, 'control room of a joining node');
    await context.close();
  } finally {
    await other.close();
  }

  // The controller ends it: archived, the report is there, the officer's acknowledgement met.
  const ended = await admin.post(`/api/v1/exercises/${exerciseId}/end`, {});
  assert.equal(ended.status, 200, JSON.stringify(ended.body));
  const report = await admin.get(`/api/v1/exercises/${exerciseId}/report?format=json&lang=en&state=VN`);
  assert.equal(report.status, 200);
  const ack = report.body.actions.find((a: { id: string }) => a.id === 'ack-emergency');
  assert.equal(ack.outcome, 'met');
});
