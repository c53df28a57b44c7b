// The rules table is published (docs/rules.md), generated from the registry, and never stale; every
// verified rule is a constant whose text a test quotes.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_CONVENTION_RULES } from '../../../src/domain/directory/index.ts';
import {
  BUDAPEST_PRESERVATION_PERIOD,
  EMERGENCY,
  ENTRY_INTO_FORCE,
  LAW_RULES,
  PRESERVATION_FLOOR_DAYS,
  renderRulesTable,
  SERIOUS_CRIME,
} from '../../../src/domain/law/index.ts';
import { DEFAULT_SERIOUS_CRIME_MONTHS } from '../../../src/domain/legal-basis/index.ts';
import { DEFAULT_PRESERVATION_POLICY, validateRequest } from '../../../src/domain/requests/index.ts';
import { buildRequest } from '../requests/request-fixtures.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');

test('docs/rules.md is the table generated from the code (run npm run docs:rules when this fails)', () => {
  const published = readFileSync(join(ROOT, 'docs', 'rules.md'), 'utf8');
  assert.equal(published, renderRulesTable(), 'docs/rules.md is stale: run npm run docs:rules');
});

test('the README links the rules table', () => {
  assert.match(readFileSync(join(ROOT, 'README.md'), 'utf8'), /\(docs\/rules\.md\)/);
});

test('every rule names its article, its status and where it is encoded; verified rules quote the text', () => {
  const ids = new Set<string>();
  for (const r of LAW_RULES) {
    assert.ok(!ids.has(r.id), `${r.id} is listed once`);
    ids.add(r.id);
    assert.ok(r.article.length > 0 && r.rule.length > 10, r.id);
    assert.match(r.encodedIn, /^src\//, r.id);
    for (const file of r.encodedIn.split(', ')) readFileSync(join(ROOT, file));
    if (r.verification === 'VERIFIED' && r.id !== 'CONVENTION_OFFENCES')
      assert.ok(r.quote, `${r.id} quotes its text`);
  }
  const page = renderRulesTable();
  for (const r of LAW_RULES) assert.ok(page.includes(`| ${r.id} |`), r.id);
});

test(`art. 2: "${SERIOUS_CRIME.quote}"`, () => {
  assert.match(SERIOUS_CRIME.quote, /at least four years/);
  assert.equal(DEFAULT_SERIOUS_CRIME_MONTHS, 4 * 12);
});

test(`art. 65(1): "${ENTRY_INTO_FORCE.quote}"`, () => {
  assert.match(ENTRY_INTO_FORCE.quote, /ninetieth day after the date of deposit of the fortieth instrument/);
  assert.equal(DEFAULT_CONVENTION_RULES.instrumentsForEntryIntoForce, 40);
  assert.equal(DEFAULT_CONVENTION_RULES.daysAfterThreshold, 90);
});

test(`art. 2: "${EMERGENCY.quote}"`, () => {
  const result = validateRequest('MLA_GENERAL', buildRequest('MLA_GENERAL', { urgency: 'EMERGENCY' }));
  assert.ok(
    !result.ok && result.errors.some((e) => e.field === '/emergencyJustification' && e.article === 'art. 2'),
  );
});

test(`Budapest art. 29(7): "${BUDAPEST_PRESERVATION_PERIOD.quote}"`, () => {
  assert.match(BUDAPEST_PRESERVATION_PERIOD.quote, /not less than sixty days/);
  assert.equal(PRESERVATION_FLOOR_DAYS.BUDAPEST?.days, 60);
  assert.ok(DEFAULT_PRESERVATION_POLICY.periodDays >= BUDAPEST_PRESERVATION_PERIOD.minimumDays);
});
