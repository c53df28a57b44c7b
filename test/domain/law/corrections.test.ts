// Issue 21: one test per correction of the law, each quoting the rule it enforces. Every one of
// these failed on the code before the correction.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Role } from '../../../src/domain/codes.ts';
import { buildDemoDirectory, validateDirectory } from '../../../src/domain/directory/index.ts';
import {
  ART_4_NOT_CONVENTION_OFFENCES,
  BUDAPEST_PRESERVATION_GROUNDS,
  BUDAPEST_PRESERVATION_PERIOD,
  SIGNATURE_WINDOW,
} from '../../../src/domain/law/index.ts';
import { scopeGate } from '../../../src/domain/legal-basis/index.ts';
import {
  DAY_MS,
  decideTransition,
  holdsPreservation,
  type LifecycleSnapshot,
  parseRequestPolicy,
  planTimers,
  refusalGroundsFor,
  validateRequest,
} from '../../../src/domain/requests/index.ts';
import { renderRequestForm } from '../../../src/requests/printable-form.ts';
import { buildRequest } from '../requests/request-fixtures.ts';

const NOW = new Date('2026-12-10T08:00:00Z');
const OPTIONS = { emergencyApprovalWithinMs: 4 * 3600_000 };
const lawyer = { id: 'u-lawyer', roles: ['CENTRAL_AUTHORITY'] as Role[] };

const incoming = (over: Partial<LifecycleSnapshot>): LifecycleSnapshot => ({
  direction: 'INCOMING',
  type: 'MLA_GENERAL',
  urgency: 'ROUTINE',
  state: 'consultation',
  draftedBy: 'u-duty',
  emergencyApprovalPending: false,
  ...over,
});

function refusal(s: LifecycleSnapshot, ground: string) {
  return decideTransition(s, { action: 'refuse', ground, reason: 'written reasons' }, lawyer, NOW, OPTIONS);
}

describe('1. art. 4 offences are not Convention offences', () => {
  test(`art. 4(2): "${ART_4_NOT_CONVENTION_OFFENCES.quote}"`, () => {
    const art4 = (requestType: 'EXTRADITION' | 'PRESERVATION' | 'MLA_GENERAL', months?: number) =>
      scopeGate({
        offences: [
          {
            code: 'UN_INSTRUMENT_OFFENCE_VIA_ICT',
            ...(months === undefined ? {} : { maxPenaltyMonths: months }),
          },
        ],
        requestType,
      });
    // No extradition, general MLA or any other full-track help for them...
    assert.equal(art4('EXTRADITION', 120).result, 'OUT_OF_SCOPE');
    assert.equal(art4('MLA_GENERAL', 120).result, 'OUT_OF_SCOPE');
    // ...electronic evidence only, and only at four years or more (art. 2).
    assert.equal(art4('PRESERVATION', 48).result, 'SERIOUS_CRIME_EEVIDENCE');
    const below = art4('PRESERVATION', 47);
    assert.equal(below.result, 'OUT_OF_SCOPE');
    assert.match(below.reason, /not a Convention offence \(art\. 4\(2\)/);
    assert.equal(art4('PRESERVATION').result, 'OUT_OF_SCOPE');
  });
});

describe('2. the preservation floor is law, not a setting', () => {
  test(`Budapest art. 29(7): "${BUDAPEST_PRESERVATION_PERIOD.quote.slice(0, 120)}…"`, () => {
    const lowered = parseRequestPolicy({ preservation: { minimumDays: 30, periodDays: 30 } });
    assert.equal(lowered.ok, false);
    if (lowered.ok) return;
    assert.ok(
      lowered.problems.some((p) =>
        /^preservation\.minimumDays: not a setting: the 60-day minimum is set by law/.test(p),
      ),
      lowered.problems.join('; '),
    );
    assert.ok(
      lowered.problems.some((p) => /^preservation\.periodDays: 30 days is under the 60-day minimum/.test(p)),
    );
    // What the law leaves to the State stays configurable.
    const longer = parseRequestPolicy({ preservation: { periodDays: 90, reminderDaysBefore: [20] } });
    assert.ok(longer.ok && longer.policy.preservation.periodDays === 90);
  });
});

describe('3. refusal grounds depend on the legal basis', () => {
  test('POLITICAL_OFFENCE is not a ground of the UN Convention (it comes from Budapest arts. 27, 29)', () => {
    const uncc = refusal(incoming({ legalBasis: 'UNCC' }), 'POLITICAL_OFFENCE');
    assert.ok(!uncc.ok && uncc.kind === 'invalid');
    if (uncc.ok || uncc.kind !== 'invalid') return;
    assert.match(
      uncc.errors[0]!.message,
      /'POLITICAL_OFFENCE' is not a refusal ground under UN Convention art\. 40/,
    );
    assert.ok(!refusalGroundsFor('UNCC', 'MLA_GENERAL').grounds.includes('POLITICAL_OFFENCE'));
    assert.ok(refusal(incoming({ legalBasis: 'BUDAPEST' }), 'POLITICAL_OFFENCE').ok);
  });

  test(`Budapest art. 29(5): "${BUDAPEST_PRESERVATION_GROUNDS.quote}"`, () => {
    const preservation = incoming({ legalBasis: 'BUDAPEST', type: 'PRESERVATION' });
    assert.deepEqual(
      [...refusalGroundsFor('BUDAPEST', 'PRESERVATION').grounds],
      ['POLITICAL_OFFENCE', 'ESSENTIAL_INTERESTS'],
    );
    assert.ok(refusal(preservation, 'POLITICAL_OFFENCE').ok);
    assert.ok(refusal(preservation, 'ESSENTIAL_INTERESTS').ok);
    const narrower = refusal(preservation, 'DOMESTIC_PROHIBITION');
    assert.ok(!narrower.ok && narrower.kind === 'invalid');
    if (narrower.ok || narrower.kind !== 'invalid') return;
    assert.match(narrower.errors[0]!.message, /under Budapest art\. 29\(5\)/);
    // The same ground is open to mutual assistance under Budapest.
    assert.ok(refusal(incoming({ legalBasis: 'BUDAPEST' }), 'DOMESTIC_PROHIBITION').ok);
  });
});

describe('4. only the follow-up made before expiry keeps a preservation', () => {
  test('Budapest art. 29(7): "Following the receipt of such a request [for search, seizure or disclosure], the data shall continue to be preserved pending a decision on that request."', () => {
    const expiresAt = new Date(NOW.getTime() + 60 * DAY_MS);
    const before = new Date(NOW.getTime() + 30 * DAY_MS);
    const after = new Date(NOW.getTime() + 61 * DAY_MS);
    const link = (type: string, startedAt: Date | null, status = 'received', measures?: string[]) => ({
      type,
      status,
      startedAt,
      measures,
    });
    assert.equal(holdsPreservation(link('MLA_STORED_DATA', before), expiresAt), true);
    assert.equal(
      holdsPreservation(link('MLA_GENERAL', before, 'in_execution', ['SEARCH_SEIZURE_FREEZING']), expiresAt),
      true,
    );
    // A traffic-data disclosure is not the follow-up; a request made after expiry comes too late.
    assert.equal(holdsPreservation(link('TRAFFIC_DATA_DISCLOSURE', before), expiresAt), false);
    assert.equal(holdsPreservation(link('MLA_STORED_DATA', after), expiresAt), false);
    assert.equal(
      holdsPreservation(link('MLA_GENERAL', before, 'received', ['TAKING_EVIDENCE']), expiresAt),
      false,
    );
    assert.equal(holdsPreservation(link('MLA_STORED_DATA', null, 'draft'), expiresAt), false);
    assert.equal(holdsPreservation(link('MLA_STORED_DATA', before, 'refused'), expiresAt), false);
  });
});

describe('5. no "ask for an extension" reminders while the follow-up is pending', () => {
  test('art. 42: preserved data are kept while the follow-up request is pending: reminders would mislead', () => {
    const r = {
      type: 'PRESERVATION',
      status: 'executed' as const,
      nextDueAt: null,
      nextDueKind: null,
      emergencyApprovalPending: false,
      emergencyApprovalDueAt: null,
      preservationExpiresAt: new Date(NOW.getTime() + 60 * DAY_MS),
    };
    assert.deepEqual(
      planTimers({ ...r, preservationHeld: true }, NOW).map((t) => t.kind),
      ['PRESERVATION_EXPIRY'],
    );
    assert.equal(planTimers(r, NOW).filter((t) => t.kind === 'PRESERVATION_REMINDER').length, 3);
  });
});

describe('6. errors name what they refuse', () => {
  test('an offence code that fails validation is named in the message, with its position', () => {
    const result = validateRequest(
      'MLA_GENERAL',
      buildRequest('MLA_GENERAL', { offences: [{ code: 'ICT_FORGERY' }, { code: 'JAYWALKING' }] }),
    );
    assert.equal(result.ok, false);
    if (result.ok) return;
    const problem = result.errors.find((e) => e.field === '/offences/1/code');
    assert.ok(problem, JSON.stringify(result.errors));
    assert.match(problem.message, /^"JAYWALKING": must be one of /);
  });
});

describe('7. smaller points', () => {
  const demo = () => JSON.parse(JSON.stringify(buildDemoDirectory()));
  const problemsOf = (doc: unknown) => {
    const r = validateDirectory(doc);
    return r.ok ? [] : r.errors;
  };

  test(`art. 64(1): "${SIGNATURE_WINDOW.quote}"`, () => {
    const doc = demo();
    doc.parties[0].convention.signedOn = '2027-01-05';
    const late = problemsOf(doc).find((p) => p.path === '/parties/0/convention/signedOn');
    assert.ok(late, 'a signature after 31 December 2026 is refused');
    assert.match(late.message, /outside the signature period of art\. 64\(1\)/);
    doc.parties[0].convention.signedOn = '2025-10-24';
    assert.ok(problemsOf(doc).some((p) => p.path === '/parties/0/convention/signedOn'));
    doc.parties[0].convention.signedOn = '2026-12-31';
    assert.ok(!problemsOf(doc).some((p) => p.path === '/parties/0/convention/signedOn'));
  });

  test('art. 64: a regional economic integration organisation deposits only after one of its member States', () => {
    const doc = demo();
    const eu = doc.parties.findIndex((p: { code: string }) => p.code === 'EU');
    doc.parties[eu].convention.depositedOn = '2026-01-10'; // before FR (2026-06-15) and DE
    const found = problemsOf(doc).find((p) => p.path === `/parties/${eu}/convention/depositedOn`);
    assert.ok(found);
    assert.match(found.message, /no member State listed here has deposited by then/);
    assert.equal(validateDirectory(demo()).ok, true);
  });

  test('art. 35: the serious-crime scope is decided by the measure asked for, not the request type alone', () => {
    const offences = [{ code: 'SERIOUS_CRIME' as const, maxPenaltyMonths: 60 }];
    assert.equal(
      scopeGate({ offences, requestType: 'MLA_GENERAL', measures: ['STORED_DATA'] }).result,
      'SERIOUS_CRIME_EEVIDENCE',
    );
    assert.equal(
      scopeGate({ offences, requestType: 'MLA_GENERAL', measures: ['STORED_DATA', 'TAKING_EVIDENCE'] })
        .result,
      'OUT_OF_SCOPE',
    );
  });

  test('art. 42: lack of dual criminality refuses preservation only under the requested Party’s reservation', () => {
    const s = incoming({ legalBasis: 'UNCC', type: 'PRESERVATION', scopeResult: 'SERIOUS_CRIME_EEVIDENCE' });
    const without = refusal(s, 'NO_DUAL_CRIMINALITY');
    assert.ok(!without.ok && without.kind === 'invalid');
    if (without.ok || without.kind !== 'invalid') return;
    assert.match(without.errors[0]!.message, /reservation or declaration under art\. 42/);
    assert.ok(
      refusal({ ...s, dualCriminalityReserved: 'DUAL_CRIMINALITY_FOR_PRESERVATION' }, 'NO_DUAL_CRIMINALITY')
        .ok,
    );
  });

  test('art. 40: the summary of facts is not required for service of judicial documents', () => {
    const service = buildRequest('MLA_GENERAL', { assistanceSought: ['SERVICE_OF_DOCUMENTS'] });
    delete service.factsSummary;
    assert.deepEqual(validateRequest('MLA_GENERAL', service).ok, true);
    const evidence = buildRequest('MLA_GENERAL');
    delete evidence.factsSummary;
    const refused = validateRequest('MLA_GENERAL', evidence);
    assert.ok(
      !refused.ok && refused.errors.some((e) => e.field === '/factsSummary' && e.article === 'art. 40'),
    );
  });

  test('art. 42: "any available information" on the custodian: UNKNOWN is accepted and printed as such', () => {
    const body = buildRequest('PRESERVATION', { custodianOrLocation: 'UNKNOWN' });
    assert.equal(validateRequest('PRESERVATION', body).ok, true);
    const form = (lang: 'en' | 'fr') =>
      renderRequestForm(
        {
          id: 'r-1',
          type: 'PRESERVATION',
          status: 'draft',
          caseReference: 'VN-1',
          createdAt: NOW.toISOString(),
          legalBasis: { basis: 'UNCC', treatyRef: null },
          body,
        },
        lang,
        { demo: false },
      );
    assert.match(
      form('en'),
      /Not known: no information on the custodian or the location of the data is available/,
    );
    assert.match(form('fr'), /Inconnu : aucune information/);
  });
});
