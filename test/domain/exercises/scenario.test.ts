// Scenario files: the samples validate, a bad file lists every problem at once, and the published
// JSON schema is the one generated from the TypeBox source.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { DEMO_PARTY_ROWS } from '../../../src/domain/directory/demo-parties.ts';
import { offsetMinutes, scenarioJsonSchema, validateScenario } from '../../../src/domain/exercises/index.ts';
import { parseScenarioText } from '../../../src/exercises/scenario-file.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const STATES = new Set(DEMO_PARTY_ROWS.map((p) => p.code));

test('offsets read ISO 8601 durations and minutes', () => {
  assert.equal(offsetMinutes('PT30M'), 30);
  assert.equal(offsetMinutes('P1DT2H'), 26 * 60);
  assert.equal(offsetMinutes(45), 45);
  assert.equal(offsetMinutes('PT'), null);
  assert.equal(offsetMinutes('30 minutes'), null);
  assert.equal(offsetMinutes(-1), null);
});

for (const file of ['bilateral-emergency-vn-fr.yaml', 'asean-ransomware.yaml']) {
  test(`the sample ${file} validates against the demo directory`, () => {
    const result = parseScenarioText(readFileSync(resolve(ROOT, 'exercises', file), 'utf8'), STATES);
    assert.deepEqual(result.ok ? [] : result.problems, []);
  });
}

test('a bad scenario is refused with every problem listed', () => {
  const result = validateScenario(
    {
      id: 'bad',
      title: 'Bad',
      duration: 'PT2H',
      participants: [
        { state: 'VN', organisation: 'A' },
        { state: 'XX', organisation: 'Nowhere' },
      ],
      injects: [
        { id: 'one', at: 'PT30M', kind: 'manual', title: 'first' },
        { id: 'one', at: 'PT3H', kind: 'manual', title: 'after the end' },
        { id: 'req', at: 10, kind: 'incoming_request', title: 'no request', from: 'FR', to: 'VN' },
      ],
      expectedActions: [
        { id: 'ack', kind: 'acknowledge', by: 'VN', inject: 'one' },
        { id: 'late', kind: 'acknowledge', by: 'VN', within: 'PT3H' },
        { id: 'ghost', kind: 'execute', by: 'VN', inject: 'nope', within: 'PT1H' },
        { id: 'tlp', kind: 'share_indicator', by: 'VN', within: 'PT1H' },
        { id: 'odd', kind: 'dance', by: 'VN', within: 'PT1H' },
      ],
    },
    STATES,
  );
  assert.equal(result.ok, false);
  const problems = result.ok ? [] : result.problems.map((p) => `${p.path} ${p.code}`);
  for (const expected of [
    '/participants/1/state unknown_state',
    '/injects/1/id duplicate_id',
    '/injects/1/at inject_after_end',
    '/injects/2/request missing_request',
    '/injects/2/from unknown_participant',
    '/expectedActions/0/within action_without_target',
    '/expectedActions/1/within action_after_end',
    '/expectedActions/2/inject unknown_inject',
    '/expectedActions/3/tlp missing_expectation',
    '/expectedActions/4/kind schema',
  ]) {
    assert.ok(problems.includes(expected), `missing '${expected}' in ${JSON.stringify(problems, null, 1)}`);
  }
});

test('a file that is not YAML is one problem at the root', () => {
  const result = parseScenarioText('id: [unclosed', STATES);
  assert.equal(result.ok, false);
  assert.equal(result.ok ? '' : result.problems[0]?.code, 'schema');
});

test('only simulated participants is refused: people must play', () => {
  const result = validateScenario(
    {
      id: 'alone',
      title: 'Nobody',
      duration: 60,
      participants: [{ state: 'VN', organisation: 'A', simulated: true }],
      injects: [],
      expectedActions: [],
    },
    STATES,
  );
  assert.deepEqual(result.ok ? [] : result.problems.map((p) => p.code), ['no_real_participant']);
});

test('docs/schemas/exercise-scenario.schema.json is generated from the TypeBox schema (npm run docs:exercise-schema)', () => {
  const published = JSON.parse(
    readFileSync(resolve(ROOT, 'docs/schemas/exercise-scenario.schema.json'), 'utf8'),
  );
  assert.deepEqual(published, scenarioJsonSchema());
});
