// The legal-basis and scope reasons come with stable codes the desk words in each language: every
// candidate carries them, and every code the resolver can give has a text in the desk's resources.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { REQUEST_TYPES } from '../../../src/domain/codes.ts';
import { buildDemoDirectory } from '../../../src/domain/directory/index.ts';
import { resolveLegalBasis, scopeGate } from '../../../src/domain/legal-basis/index.ts';
import { en } from '../../../src/web/i18n/locales/en.ts';

const directory = buildDemoDirectory();
const worded = new Set(Object.keys(en.reason).map((k) => k.replace(/_(one|other)$/, '')));

test('every candidate for every pair, date and type has reason codes the desk can word', () => {
  const codes = directory.parties.map((p) => p.code);
  const seen = new Set<string>();
  for (const requesting of codes.slice(0, 6)) {
    for (const requested of codes) {
      if (requesting === requested) continue;
      for (const date of ['2024-01-01', '2026-11-30', '2027-06-01']) {
        for (const requestType of REQUEST_TYPES) {
          const list = resolveLegalBasis({
            directory,
            requesting,
            requested,
            date,
            requestType,
            offences: [{ code: 'SERIOUS_CRIME', maxPenaltyMonths: 24 }],
          });
          for (const c of list) {
            assert.ok(c.reasons && c.reasons.length > 0, `${c.basis} ${requesting}→${requested} has codes`);
            for (const part of c.reasons) {
              seen.add(part.code);
              assert.ok(worded.has(part.code), `reason code ${part.code} has a text`);
            }
          }
        }
      }
    }
  }
  // The walk reaches the main families, so the check above is not vacuous.
  for (const code of ['UNCC_IN_FORCE', 'RECIPROCITY', 'TREATY_NONE_BILATERAL', 'SCOPE_BELOW_THRESHOLD'])
    assert.ok(seen.has(code), `${code} was produced`);
});

test('the UN Convention in force gives the States and the date as parameters', () => {
  const [uncc] = resolveLegalBasis({
    directory,
    requesting: 'VN',
    requested: 'FR',
    date: '2026-12-01',
    requestType: 'PRESERVATION',
    order: ['UNCC'],
  });
  assert.equal(uncc?.applies, true);
  assert.deepEqual(uncc?.reasons?.[0], {
    code: 'UNCC_IN_FORCE',
    params: { requesting: 'VN', requested: 'FR', date: '2026-12-01' },
  });
});

test('scope reasons name the offences and penalties as codes and numbers', () => {
  const convention = scopeGate({
    offences: [{ code: 'ILLEGAL_ACCESS' }, { code: 'ICT_THEFT_FRAUD' }],
    requestType: 'PRESERVATION',
  });
  assert.deepEqual(convention.reasons, [
    {
      code: 'SCOPE_CONVENTION_OFFENCE',
      params: { offences: ['ILLEGAL_ACCESS', 'ICT_THEFT_FRAUD'], count: 2 },
    },
  ]);
  const serious = scopeGate({
    offences: [{ code: 'SERIOUS_CRIME', maxPenaltyMonths: 240 }],
    requestType: 'MLA_STORED_DATA',
  });
  assert.equal(serious.reasons[0]?.code, 'SCOPE_SERIOUS_EEVIDENCE');
  assert.equal(serious.reasons[0]?.params?.months, 240);
  for (const r of [...convention.reasons, ...serious.reasons]) assert.ok(worded.has(r.code));
});
