import assert from 'node:assert/strict';
import { test } from 'node:test';
import { REQUEST_TYPES } from '../../src/domain/codes.ts';
import { REQUEST_SCHEMAS } from '../../src/domain/requests/request-schemas.ts';
import { validateRequest } from '../../src/domain/requests/validate-request.ts';
import type { JsonSchema } from '../../src/web/api/types.ts';
import { emptyObject, kindOf, pathOf, type RawObject, toPayload } from '../../src/web/forms/schema-values.ts';
import { homeFor, matchPath, navFor } from '../../src/web/nav/nav-model.ts';

// The composer's form comes from the same schemas as the API: what the form produces must be what the
// node accepts, and what it leaves blank must be what the node names as missing.
const schemaOf = (type: (typeof REQUEST_TYPES)[number]) =>
  JSON.parse(JSON.stringify(REQUEST_SCHEMAS[type])) as JsonSchema;

test('every field of every request type maps to a form control', () => {
  for (const type of REQUEST_TYPES) {
    const walk = (schema: JsonSchema, path: string) => {
      for (const [name, field] of Object.entries(schema.properties ?? {})) {
        const kind = kindOf(field);
        assert.ok(kind, `${type} ${path}${name}`);
        if (kind === 'object') walk(field, `${path}${name}/`);
        if (kind === 'objectList') walk(field.items ?? {}, `${path}${name}/0/`);
      }
    };
    walk(schemaOf(type), '');
  }
});

test('a preservation request filled in the form is accepted by the node’s validation', () => {
  const schema = schemaOf('PRESERVATION');
  const form = emptyObject(schema);
  // A required list starts with one entry to fill.
  assert.equal((form.offences as RawObject[]).length, 1);
  assert.equal((form.identifiers as RawObject[]).length, 1);
  Object.assign(form, {
    caseReference: ' VN-2026-0042 ',
    requestingState: 'VN',
    requestedState: 'FR',
    requestingAuthority: 'Ministry of Public Security',
    offences: [{ code: 'ICT_THEFT_FRAUD', domesticName: '', statute: '', maxPenaltyMonths: '240' }],
    factsSummary: 'A scam',
    urgency: 'URGENT',
    identifiers: [{ kind: 'EMAIL', value: 'a@b.example', from: '2026-11-01T08:30', to: '' }],
    dataCategories: ['SUBSCRIBER'],
    relationToOffence: 'Payments',
    custodianOrLocation: 'Provider',
    necessity: 'Logs deleted after 30 days',
    intentToFollowUp: true,
    linkedRequestIds: '',
  });
  const body = toPayload(schema, form, true) as Record<string, unknown>;
  assert.equal(body.caseReference, 'VN-2026-0042');
  assert.equal(body.confidentialityRequired, false, 'a required boolean left unticked is false');
  assert.deepEqual(body.offences, [{ code: 'ICT_THEFT_FRAUD', maxPenaltyMonths: 240 }]);
  assert.equal('dateRange' in body, false, 'an empty optional group is left out');
  assert.equal('linkedRequestIds' in body, false);
  const identifiers = body.identifiers as { from?: string }[];
  assert.match(identifiers[0]!.from!, /^2026-11-01T\d\d:30:00\.000Z$/);
  const checked = validateRequest('PRESERVATION', body);
  assert.ok(checked.ok, JSON.stringify(!checked.ok && checked.errors));
});

test('a blank form is sent without its blanks, so the node names each missing field', () => {
  const schema = schemaOf('PRESERVATION');
  const body = toPayload(schema, emptyObject(schema), true) as Record<string, unknown>;
  const checked = validateRequest('PRESERVATION', body);
  assert.equal(checked.ok, false);
  const fields = !checked.ok ? checked.errors.map((e) => pathOf(e.field)) : [];
  for (const name of ['caseReference', 'necessity', 'identifiers', 'intentToFollowUp'])
    assert.ok(fields.includes(name), `${name} in ${fields.join(', ')}`);
  assert.equal(pathOf('body/identifiers/0/value'), 'identifiers/0/value');
  assert.equal(pathOf('/identifiers/0/value'), 'identifiers/0/value');
});

test('navigation follows the roles the request API allows', () => {
  assert.deepEqual(
    navFor(['DUTY_OFFICER']).map((p) => p.id),
    ['desk', 'composer', 'requests', 'directory', 'notifications', 'exercise', 'account'],
  );
  // Pages not built yet stay out of the navigation; every role finds at least the directory.
  assert.deepEqual(
    navFor(['APPROVER']).map((p) => p.id),
    ['approvals', 'requests', 'directory', 'notifications', 'indicators', 'exercise', 'account'],
  );
  // The administrator's Accounts page is built; everyone has their own account page.
  assert.deepEqual(
    navFor(['ADMIN']).map((p) => p.id),
    ['directory', 'notifications', 'indicators', 'users', 'controlRoom', 'exercise', 'account'],
  );
  // The Indicators page is for approvers, administrators and auditors, as its API.
  assert.equal(
    navFor(['AUDITOR']).some((p) => p.id === 'indicators'),
    true,
  );
  assert.equal(
    navFor(['DUTY_OFFICER']).some((p) => p.id === 'indicators'),
    false,
  );
  assert.equal(homeFor(['CERT_ANALYST']), '/directory');
  assert.equal(matchPath('/requests/abc/print')?.page.id, 'requestPrint');
  assert.equal(homeFor(['DUTY_OFFICER']), '/desk');
  assert.equal(homeFor(['APPROVER']), '/approvals');
  assert.equal(
    navFor(['CERT_ANALYST']).some((p) => p.id === 'requests'),
    false,
  );
  assert.deepEqual(matchPath('/requests/abc%20d')?.params, { id: 'abc d' });
});
