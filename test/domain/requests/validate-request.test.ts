import assert from 'node:assert/strict';
import { test } from 'node:test';
import { REQUEST_TYPES } from '../../../src/domain/codes.ts';
import { INTRUSIVE_TYPES, REQUEST_SCHEMAS, validateRequest } from '../../../src/domain/requests/index.ts';
import { buildRequest } from './request-fixtures.ts';
import { MISSING, RULES } from './validation-cases.ts';

test('every request type has a schema, and the fixture of each validates', () => {
  for (const type of REQUEST_TYPES) {
    assert.ok(REQUEST_SCHEMAS[type], type);
    const result = validateRequest(type, buildRequest(type));
    assert.deepEqual(result.ok ? [] : result.errors, [], type);
  }
});

test('every property of every schema names the article that requires it', () => {
  for (const type of REQUEST_TYPES) {
    const props = REQUEST_SCHEMAS[type].properties as Record<string, Record<string, unknown>>;
    for (const [name, schema] of Object.entries(props)) {
      assert.match(String(schema['x-article']), /^art\. \d+$/, `${type}.${name}`);
    }
  }
});

for (const [type, field, article] of MISSING) {
  test(`${type} without ${field} names the field and ${article}`, () => {
    const body = buildRequest(type);
    delete body[field];
    const result = validateRequest(type, body);
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.ok(
      result.errors.some(
        (e) => e.field === `/${field}` && e.article === article && /required/.test(e.message),
      ),
      JSON.stringify(result.errors),
    );
  });
}

test('intrusive types all require necessity and proportionality (art. 24)', () => {
  for (const type of INTRUSIVE_TYPES) {
    const body = buildRequest(type);
    delete body.necessityJustification;
    delete body.proportionalityJustification;
    const result = validateRequest(type, body);
    assert.equal(result.ok, false);
    if (result.ok) continue;
    const fields = result.errors.filter((e) => e.article === 'art. 24').map((e) => e.field);
    assert.deepEqual(fields.sort(), ['/necessityJustification', '/proportionalityJustification']);
  }
});

for (const [name, type, overrides, field, article] of RULES) {
  test(`refused: ${name} (${field}, ${article})`, () => {
    const result = validateRequest(type, buildRequest(type, overrides));
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.ok(
      result.errors.some((e) => e.field === field && e.article === article),
      JSON.stringify(result.errors),
    );
  });
}

test('an emergency with its risk stated is accepted', () => {
  const result = validateRequest(
    'MLA_GENERAL',
    buildRequest('MLA_GENERAL', {
      urgency: 'EMERGENCY',
      emergencyJustification: 'A child is in danger now.',
    }),
  );
  assert.equal(result.ok, true);
});

test('unknown fields and non-objects are refused', () => {
  const extra = validateRequest('MLA_GENERAL', buildRequest('MLA_GENERAL', { colour: 'red' }));
  assert.equal(extra.ok, false);
  if (!extra.ok)
    assert.deepEqual(
      extra.errors.map((e) => e.field),
      ['/colour'],
    );
  for (const value of [null, [], 'x', 3]) assert.equal(validateRequest('MLA_GENERAL', value).ok, false);
});
