// The composer's sections and its check before the review step, on the schemas the node serves.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { REQUEST_TYPES } from '../../src/domain/codes.ts';
import { FORM_SECTIONS, sectionOf, withSections } from '../../src/domain/requests/form-sections.ts';
import { REQUEST_SCHEMAS } from '../../src/domain/requests/request-schemas.ts';
import { validateRequest } from '../../src/domain/requests/validate-request.ts';
import type { JsonSchema } from '../../src/web/api/types.ts';
import { fixOf, missingFields, needOf, schemaAt, sectionsOf } from '../../src/web/forms/form-check.ts';
import { emptyObject, type RawObject, toPayload } from '../../src/web/forms/schema-values.ts';

const served = (type: (typeof REQUEST_TYPES)[number]) => withSections(REQUEST_SCHEMAS[type]) as JsonSchema;

/** A preservation form filled in as an officer would, every required field answered. */
function completePreservation(schema: JsonSchema): RawObject {
  return {
    ...emptyObject(schema),
    caseReference: 'VN-1',
    requestingState: 'VN',
    requestedState: 'FR',
    requestingAuthority: 'Police',
    offences: [{ code: 'ICT_THEFT_FRAUD', domesticName: '', statute: '', maxPenaltyMonths: '' }],
    factsSummary: 'A scam',
    urgency: 'URGENT',
    identifiers: [{ kind: 'EMAIL', value: 'a@b.example', from: '', to: '' }],
    dataCategories: ['SUBSCRIBER'],
    relationToOffence: 'Payments',
    custodianOrLocation: 'Provider',
    necessity: 'Logs deleted',
    intentToFollowUp: true,
  };
}

test('every field of every type is in exactly one section, the sections in writing order', () => {
  for (const type of REQUEST_TYPES) {
    const schema = served(type);
    const sections = sectionsOf(schema, FORM_SECTIONS);
    const fields = sections.flatMap((s) => s.fields);
    assert.deepEqual([...fields].sort(), Object.keys(schema.properties ?? {}).sort(), type);
    assert.equal(new Set(fields).size, fields.length, type);
    const order = sections.map((s) => FORM_SECTIONS.indexOf(s.id as never));
    assert.deepEqual(
      order,
      [...order].sort((a, b) => a - b),
      type,
    );
    assert.equal(sections[0]!.id, 'parties', type);
  }
  assert.equal(sectionOf('necessity'), 'measure');
  assert.equal(sectionOf('offences'), 'basis');
  // The served copy is annotated, the validating schema is left as it was.
  assert.equal(served('PRESERVATION').properties!.urgency!['x-section'], 'timing');
  assert.equal(
    Object.hasOwn((REQUEST_SCHEMAS.PRESERVATION.properties as Record<string, object>).urgency!, 'x-section'),
    false,
  );
});

test('an empty preservation form names each required field with what to do', () => {
  const schema = served('PRESERVATION');
  const form = emptyObject(schema);
  form.requestingState = 'VN';
  const missing = missingFields(schema, form);
  const byPath = new Map(missing.map((m) => [m.path, m.need]));
  assert.equal(byPath.get('caseReference'), 'fill');
  assert.equal(byPath.get('requestedState'), 'choose');
  assert.equal(byPath.get('offences/0/code'), 'choose', 'the first empty offence is where to start');
  assert.equal(byPath.get('identifiers/0/kind'), 'choose');
  assert.equal(byPath.get('identifiers/0/value'), 'fill');
  assert.equal(byPath.get('dataCategories'), 'tickOne');
  assert.equal(byPath.get('intentToFollowUp'), 'tick', 'the box that must be ticked says so');
  assert.equal(byPath.has('requestingState'), false);
  assert.equal(byPath.has('confidentialityRequired'), false, 'an unticked box is an answer');
  assert.equal(byPath.has('dateRange/from'), false, 'an optional group not begun is not checked');
  // Everything the node would call required is caught before the review.
  const body = toPayload(schema, form, true);
  const node = validateRequest('PRESERVATION', body);
  assert.equal(node.ok, false);
  for (const e of node.ok ? [] : node.errors.filter((x) => x.message === 'is required'))
    assert.ok(
      missing.some((m) => m.path === e.field.slice(1) || m.path.startsWith(`${e.field.slice(1)}/`)),
      e.field,
    );
});

test('a list emptied of its entries asks for one to be added; a complete form has nothing missing', () => {
  const schema = served('PRESERVATION');
  const form: RawObject = { ...completePreservation(schema), offences: [] };
  assert.deepEqual(missingFields(schema, form), [{ path: 'offences', need: 'add', count: 1 }]);
  form.offences = [{ code: 'ICT_THEFT_FRAUD', domesticName: '', statute: '', maxPenaltyMonths: '' }];
  assert.deepEqual(missingFields(schema, form), []);
  assert.ok(validateRequest('PRESERVATION', toPayload(schema, form, true)).ok);
});

test('a field path leads to its schema and its need', () => {
  const schema = served('PRESERVATION');
  assert.equal(needOf(schemaAt(schema, 'offences/0/code')!), 'choose');
  assert.equal(needOf(schemaAt(schema, 'intentToFollowUp')!), 'tick');
  assert.equal(needOf(schemaAt(schema, 'offences')!), 'add');
  assert.equal(schemaAt(schema, 'nothing/here'), null);
});

test('a filled field the node would refuse is named before the review, with what to do', () => {
  const schema = served('PRESERVATION');
  const complete = completePreservation(schema);
  const cases: [string, (form: RawObject) => void, string, number?][] = [
    [
      'offences/0/maxPenaltyMonths',
      (f) => ((f.offences as RawObject[])[0]!.maxPenaltyMonths = '2000'),
      'atMost',
      1200,
    ],
    [
      'offences/0/maxPenaltyMonths',
      (f) => ((f.offences as RawObject[])[0]!.maxPenaltyMonths = '-1'),
      'atLeast',
      0,
    ],
    [
      'offences/0/maxPenaltyMonths',
      (f) => ((f.offences as RawObject[])[0]!.maxPenaltyMonths = '12.5'),
      'wholeNumber',
    ],
    [
      'offences/0/maxPenaltyMonths',
      (f) => ((f.offences as RawObject[])[0]!.maxPenaltyMonths = 'ten'),
      'number',
    ],
    [
      'offences/0/statute',
      (f) => ((f.offences as RawObject[])[0]!.statute = 'é'.repeat(301)),
      'shorten',
      300,
    ],
    ['identifiers/0/from', (f) => ((f.identifiers as RawObject[])[0]!.from = 'last spring'), 'date'],
    [
      'identifiers',
      (f) =>
        (f.identifiers = Array.from({ length: 51 }, (_, i) => ({
          kind: 'EMAIL',
          value: `u${i}@b.example`,
          from: '',
          to: '',
        }))),
      'fewer',
      50,
    ],
  ];
  for (const [path, change, need, count] of cases) {
    const form = structuredClone(complete);
    change(form);
    const found = missingFields(schema, form);
    assert.deepEqual(found, [{ path, need, ...(count === undefined ? {} : { count }) }], `${path} ${need}`);
    // The node refuses the same field: the check says sooner what saving would say.
    const node = validateRequest('PRESERVATION', toPayload(schema, form, true));
    assert.equal(node.ok, false, `${path} ${need}`);
    assert.ok(
      !node.ok && node.errors.some((e) => e.field.slice(1).startsWith(path)),
      `${path}: ${JSON.stringify(node.ok ? [] : node.errors)}`,
    );
  }
  assert.deepEqual(missingFields(schema, complete), []);
  // Characters count as the node counts them: 300 letters outside the basic plane still fit.
  assert.equal(fixOf({ type: 'string', maxLength: 300 }, '𝒜'.repeat(300)), null);
  assert.deepEqual(fixOf({ type: 'string', format: 'uuid' }, 'not-a-uuid'), { need: 'format' });
  assert.deepEqual(fixOf({ type: 'string', format: 'date' }, '2026-02-30x'), { need: 'date' });
});
