import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, parseConfig } from '../../src/config.ts';

// The report settings of a node: its region (name, hub, members) and its schedule; each bad one named.
test('report region and schedule settings: parsed, or refused naming the setting', () => {
  const none = parseConfig({});
  assert.equal(none.reportRegion, null);
  assert.equal(none.reportSchedule, null);
  const set = parseConfig({
    HANOI247_REPORT_REGION: 'ASEAN',
    HANOI247_REPORT_REGION_HUB: 'SG',
    HANOI247_REPORT_REGION_MEMBERS: 'VN,SG',
    HANOI247_REPORT_SCHEDULE: 'quarterly',
  });
  assert.deepEqual(set.reportRegion, { name: 'ASEAN', hub: 'SG', members: ['VN', 'SG'] });
  assert.equal(set.reportSchedule, 'quarterly');
  assert.equal(parseConfig({ HANOI247_REPORT_SCHEDULE: 'off' }).reportSchedule, null);
  assert.throws(
    () => parseConfig({ HANOI247_REPORT_SCHEDULE: 'weekly', HANOI247_REPORT_REGION_HUB: 'SG' }),
    (e: ConfigError) =>
      e instanceof ConfigError &&
      e.problems.some((p) => p.startsWith('HANOI247_REPORT_SCHEDULE:')) &&
      e.problems.some((p) => p.startsWith('HANOI247_REPORT_REGION:')) &&
      e.problems.some((p) => p.startsWith('HANOI247_REPORT_REGION_MEMBERS:')),
  );
});
