import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildDemoDirectory, validateDirectory } from '../../../src/domain/directory/index.ts';

const REQUIRED_CODES = 'VN FR SG TH PH MY ID KH LA US GB DE JP KR AU BR NG ZA IN EU'.split(' ');

describe('demo directory', () => {
  test('validates, also after a JSON round trip, and is marked demo', () => {
    const doc = buildDemoDirectory();
    const result = validateDirectory(doc);
    assert.deepEqual(result.ok ? [] : result.errors, []);
    assert.equal(doc.demo, true);
    assert.equal(validateDirectory(JSON.parse(JSON.stringify(doc))).ok, true);
  });

  test('lists the required States and the EU as a regional organisation', () => {
    const doc = buildDemoDirectory();
    const codes = doc.parties.map((p) => p.code);
    for (const code of REQUIRED_CODES) assert.ok(codes.includes(code), `${code} is listed`);
    const regional = doc.parties.filter((p) => p.isRegionalOrganisation).map((p) => p.code);
    assert.deepEqual(regional, ['EU']);
  });

  test('every State has one 24/7 point (always open) and one central authority', () => {
    for (const party of buildDemoDirectory().parties.filter((p) => !p.isRegionalOrganisation)) {
      const points = party.authorities.filter((a) => a.kind === 'POINT_24_7');
      assert.equal(points.length, 1, party.code);
      assert.deepEqual(points[0]!.workingHours, { always: true });
      assert.equal(party.authorities.filter((a) => a.kind === 'CENTRAL_AUTHORITY').length, 1, party.code);
    }
  });

  test('languages and time zones follow each State', () => {
    const doc = buildDemoDirectory();
    const vn = doc.parties.find((p) => p.code === 'VN')!;
    const fr = doc.parties.find((p) => p.code === 'FR')!;
    assert.deepEqual(vn.authorities[0]!.languages, ['vi', 'en']);
    assert.equal(vn.authorities[0]!.timeZone, 'Asia/Ho_Chi_Minh');
    assert.deepEqual(fr.authorities[0]!.languages, ['fr', 'en']);
    assert.equal(fr.authorities[0]!.timeZone, 'Europe/Paris');
  });

  test('shows every Convention situation: early depositors, later joiners, signatory only, non-signatory', () => {
    const doc = buildDemoDirectory();
    const convention = (code: string) => doc.parties.find((p) => p.code === code)!.convention;
    assert.equal(doc.conventionRules.generalEntryIntoForce, '2026-12-01');
    assert.ok(convention('VN').depositedOn! <= '2026-09-02');
    assert.ok(convention('FR').depositedOn! <= '2026-09-02');
    assert.ok(convention('MY').depositedOn! > '2026-09-02');
    assert.ok(convention('US').signedOn && !convention('US').depositedOn);
    assert.ok(!convention('IN').signedOn && !convention('IN').depositedOn);
  });

  test('has the VN–KR bilateral treaty and the ASEAN regional treaty', () => {
    const { treaties } = buildDemoDirectory();
    const bilateral = treaties.find((t) => t.kind === 'BILATERAL_TREATY')!;
    assert.deepEqual(bilateral.parties, ['VN', 'KR']);
    const regional = treaties.find((t) => t.kind === 'REGIONAL_TREATY')!;
    for (const code of ['VN', 'SG', 'TH', 'PH', 'MY', 'ID', 'KH', 'LA'])
      assert.ok(regional.parties.includes(code));
  });

  test('each call returns a fresh document', () => {
    const first = buildDemoDirectory();
    first.parties[0]!.authorities[0]!.languages.push('xx');
    first.treaties[0]!.parties.push('FR');
    const second = buildDemoDirectory();
    assert.deepEqual(second.parties[0]!.authorities[0]!.languages, ['vi', 'en']);
    assert.deepEqual(second.treaties[0]!.parties, ['VN', 'KR']);
  });
});
