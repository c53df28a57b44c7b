import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { buildDemoDirectory } from '../../src/domain/directory/index.ts';
import { cliWorkspace } from '../helpers/cli-workspace.ts';

// hanoi247 exercise validate | start | status | end | report, as an operator runs them on the node's storage.
const workspace = cliWorkspace('exercise-cli');
const { work, cli, file } = workspace;
before(() => workspace.open());
after(() => workspace.close());

const SAMPLE = resolve(import.meta.dirname, '../../exercises/bilateral-emergency-vn-fr.yaml');

test('exercise validate lists every problem; start, status, end and report work from the console', async () => {
  const valid = await cli(['exercise', 'validate', SAMPLE]);
  assert.equal(valid.status, 0, valid.stderr);
  assert.match(valid.stdout, /valid \(Emergency disclosure between Viet Nam and France\)/);
  const bad = await cli([
    'exercise',
    'validate',
    file(
      'bad.yaml',
      'id: bad\ntitle: Bad\nduration: PT1H\nparticipants:\n  - { state: QQ, organisation: Nowhere }\ninjects:\n  - { id: late, at: PT2H, kind: manual, title: Late }\nexpectedActions:\n  - { id: a, kind: acknowledge, by: QQ }\n',
    ),
  ]);
  assert.equal(bad.status, 1);
  for (const code of ['unknown_state', 'inject_after_end', 'action_without_target'])
    assert.match(bad.stdout, new RegExp(`\\[${code}\\]`));

  assert.equal((await cli(['directory', 'import', file('directory.json', buildDemoDirectory())])).status, 0);
  const started = await cli(['exercise', 'start', SAMPLE, '--speed', '72', '--paused', '--json']);
  assert.equal(started.status, 0, started.stderr);
  const id = JSON.parse(started.stdout).id as string;
  const again = await cli(['exercise', 'start', SAMPLE]);
  assert.equal(again.status, 1);
  assert.match(again.stderr, /already runs/);
  const status = await cli(['exercise', 'status']);
  assert.equal(status.status, 0, status.stderr);
  assert.match(status.stdout, new RegExp(`\\(${id}\\)\\npaused, controller on VN, speed 72`));
  assert.match(status.stdout, /ack-emergency +VN +30/);
  assert.doesNotMatch(status.stdout, /final scores/, 'no final score while it runs');

  const ended = await cli(['exercise', 'end', '--json']);
  assert.equal(ended.status, 0, ended.stderr);
  assert.equal(JSON.parse(ended.stdout).score.missed, 5);
  // Once ended, status (named by id: nothing runs any more) prints every node's final score.
  const final = await cli(['exercise', 'status', id]);
  assert.equal(final.status, 0, final.stderr);
  assert.match(
    final.stdout,
    /\nfinal scores\nstate +met +late +missed +wrong +pending +total +received\n[- ]+\nVN +0 +0 +5 +0 +0 +5 +this node\n$/,
  );
  const finalJson = await cli(['exercise', 'status', id, '--json']);
  assert.equal(finalJson.status, 0, finalJson.stderr);
  assert.deepEqual(JSON.parse(finalJson.stdout).finalScores, [
    { state: 'VN', score: { pending: 0, met: 0, late: 0, missed: 5, wrong: 0, total: 5 }, receivedAt: null },
  ]);
  const report = await cli(['exercise', 'report', id, '--lang', 'es']);
  assert.equal(report.status, 0, report.stderr);
  assert.equal(JSON.parse(report.stdout).labels.title, 'Informe posterior al ejercicio');
  const pdf = await cli([
    'exercise',
    'report',
    '--format',
    'pdf',
    '--lang',
    'ru',
    '--out',
    join(work, 'r.pdf'),
  ]);
  assert.equal(pdf.status, 0, pdf.stderr);
  const noOut = await cli(['exercise', 'report', '--format', 'pdf']);
  assert.equal(noOut.status, 1);
  assert.match(noOut.stderr, /--out/);

  // Joining another node's exercise, with the State whose clock this node follows.
  // France plays on its own node here (the sample simulates it by default).
  const withFrance = file(
    'with-france.yaml',
    readFileSync(SAMPLE, 'utf8').replace('simulated: true', 'simulated: false'),
  );
  const joinArgs = ['exercise', 'join', withFrance, '--id', '01939a3e-0000-7000-8000-0000000000aa'];
  const startedAt = new Date().toISOString();
  const self = await cli([...joinArgs, '--started-at', startedAt, '--controller', 'VN']);
  assert.equal(self.status, 1, 'this node cannot follow itself');
  assert.match(self.stderr, /\/controller/);
  const joined = await cli([
    ...joinArgs,
    '--started-at',
    startedAt,
    '--speed',
    '72',
    '--controller',
    'FR',
    '--json',
  ]);
  assert.equal(joined.status, 0, joined.stderr);
  assert.equal(JSON.parse(joined.stdout).controller, 'FR');
});
