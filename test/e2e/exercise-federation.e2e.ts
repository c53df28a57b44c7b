// A joint exercise between two real nodes in the browser (issue #18): Viet Nam's node controls the
// bilateral sample, with France playing on its own node. France's administrator joins from the
// control room naming Viet Nam as controller; France's control room and its duty officer's
// exercise view say the clock follows Viet Nam, and the controller's pause reaches them. When the
// controller ends, both of France's screens show the final scores (Viet Nam's received with the end,
// France's own), and Viet Nam's control room shows France's, sent back over federation.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { NetNode } from '../federation/federation-network.ts';
import { client } from '../helpers/http-client.ts';
import { DEMO_PASSWORD } from '../helpers/test-node.ts';
import { assertAccessible, newPage, shot, signIn, tick } from './desk-page.ts';
import { type TwoDesks, twoDesks } from './two-desks.ts';

const TITLE = 'Emergency disclosure between Viet Nam and France';
// France plays on its own node here (the shipped sample simulates it).
const SCENARIO = readFileSync(
  resolve(import.meta.dirname, '../../exercises/bilateral-emergency-vn-fr.yaml'),
  'utf8',
).replace('simulated: true', 'simulated: false');
const FOLLOWS = 'The clock follows Vietnam, the controller: pause, resume and jumps come from there.';

let desks: TwoDesks;
let vn: NetNode;
let fr: NetNode;
let browser: Browser;

before(async () => {
  desks = await twoDesks();
  ({ vn, fr, browser } = desks);
});
after(() => desks?.close());

async function adminOf(node: NetNode) {
  const api = client(node.url);
  const login = await api.login('admin', DEMO_PASSWORD);
  assert.equal(login.status, 200, JSON.stringify(login.body));
  return api;
}

/** The final scores table of a page: one [node, met, late, missed, wrong, pending, received] per row. */
const scoresTable = (page: Page) =>
  page.getByRole('table', { name: /^Each node's score for its own State's expected actions/ });

async function finalScores(page: Page): Promise<string[][]> {
  const table = scoresTable(page);
  await table.waitFor({ timeout: 45_000 });
  return table
    .locator('tbody tr')
    .evaluateAll((rows) =>
      rows.map((r) => [...r.querySelectorAll('th, td')].map((c) => (c.textContent ?? '').trim())),
    );
}

test('France joins naming Viet Nam as controller, follows its clock, and both nodes show the final scores', async () => {
  const vnAdmin = await adminOf(vn);
  const started = await vnAdmin.post('/api/v1/exercises', { scenario: SCENARIO, speed: 6 });
  assert.equal(started.status, 201, JSON.stringify(started.body));
  const id = started.body.id as string;

  // France's administrator joins from the control room, naming Viet Nam as controller.
  const { context: frAdminContext, page: join } = await newPage(browser, { timezoneId: 'Europe/Paris' });
  await signIn(join, fr.url, 'admin');
  await join.goto(`${fr.url}/exercises/control`);
  await tick(join, 'Join an exercise started by another node instead');
  await join.getByRole('heading', { name: 'Join another node’s exercise' }).waitFor();
  await join.locator('input[type="file"]').setInputFiles({
    name: 'bilateral-vn-fr-on-two-nodes.yaml',
    mimeType: 'application/yaml',
    buffer: Buffer.from(SCENARIO),
  });
  await join.getByText('bilateral-vn-fr-on-two-nodes.yaml').waitFor();
  await join.getByLabel('Exercise id').fill(id);
  await join.getByLabel(/^Started at/).fill(started.body.clock.exerciseStart);
  await join.getByLabel('Speed (exercise minutes per real minute)').fill(String(started.body.speed));
  await join.getByLabel("Controller's State (two letters, optional)").fill('vn');
  await assertAccessible(join, 'join form with a controller');
  await join.getByRole('button', { name: 'Join the exercise' }).click();
  await join.getByRole('heading', { name: TITLE }).waitFor();

  // France's control room follows: no pause of its own, the controller named.
  await join.getByText(FOLLOWS).waitFor();
  assert.equal(await join.getByRole('button', { name: 'Pause' }).count(), 0);
  const joined = (await (await adminOf(fr)).get(`/api/v1/exercises/${id}`)).body;
  assert.deepEqual([joined.role, joined.controller], ['participant', 'VN']);
  await shot(join, 'exercise-follower-control-room');

  // France's duty officer: the exercise view says whose clock it is.
  const { context: dutyContext, page: duty } = await newPage(browser, { timezoneId: 'Europe/Paris' });
  await signIn(duty, fr.url, 'duty');
  await duty
    .getByRole('navigation', { name: 'Main navigation' })
    .getByRole('link', { name: 'Exercise', exact: true })
    .click();
  await duty.getByRole('heading', { name: new RegExp(TITLE) }).waitFor();
  await duty.locator('.exercise-follows').filter({ hasText: FOLLOWS }).waitFor();
  await assertAccessible(duty, 'exercise view of a follower');
  await shot(duty, 'exercise-follower-view');

  // The controller's pause reaches France's control room (over federation, then the live stream).
  assert.equal((await vnAdmin.post(`/api/v1/exercises/${id}/pause`, {})).status, 200);
  await join.locator('.exercise-state').filter({ hasText: 'Paused' }).waitFor({ timeout: 45_000 });

  // Viet Nam's control room is open when its administrator ends the exercise there.
  const { context: vnContext, page: control } = await newPage(browser);
  await signIn(control, vn.url, 'admin');
  await control.goto(`${vn.url}/exercises/control`);
  await control.getByRole('heading', { name: TITLE }).waitFor();
  await control.getByRole('button', { name: 'End the exercise' }).click();
  await control.getByRole('alertdialog').getByRole('button', { name: 'End the exercise' }).click();
  await control.locator('.exercise-state').filter({ hasText: 'Ended' }).waitFor();

  // France's copy is ended by the controller: both screens show the final scores, Viet Nam's
  // received with the end and France's own (the sample's five actions are Viet Nam's: all missed).
  for (const page of [join, duty]) {
    await page
      .getByRole('heading', { name: 'Final scores of the participating nodes' })
      .waitFor({ timeout: 60_000 });
    const rows = await finalScores(page);
    assert.deepEqual(
      rows.map((r) => r.slice(0, 6)),
      [
        ['France', '0', '0', '0', '0', '0'],
        ['Vietnam', '0', '0', '5', '0', '0'],
      ],
    );
    assert.equal(rows[0]![6], 'This node');
    assert.notEqual(rows[1]![6], 'This node', 'received with the end');
  }
  await shot(duty, 'exercise-follower-final-scores');

  // Viet Nam's control room lists France's final score, sent back over federation.
  await scoresTable(control).getByRole('rowheader', { name: 'France' }).waitFor({ timeout: 60_000 });
  const vnRows = await finalScores(control);
  assert.deepEqual(
    vnRows.map((r) => [r[0], r[6] === 'This node']),
    [
      ['Vietnam', true],
      ['France', false],
    ],
  );
  await assertAccessible(control, 'control room with the final scores');

  await vnContext.close();
  await dutyContext.close();
  await frAdminContext.close();
});
