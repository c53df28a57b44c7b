import assert from 'node:assert/strict';
import { test } from 'node:test';
import { aggregateFigures, parseRegion } from '../../../src/domain/indicators-report/index.ts';

test('a region is a name, a hub and members; each bad setting is named', () => {
  assert.deepEqual(parseRegion(undefined, undefined, undefined), { region: null, problems: [] });
  assert.deepEqual(parseRegion('asean', 'sg', 'vn, sg,VN'), {
    region: { name: 'ASEAN', hub: 'SG', members: ['VN', 'SG'] },
    problems: [],
  });
  const bad = parseRegion('', 'Singapore', 'VN,Thailand');
  assert.equal(bad.region, null);
  assert.deepEqual(
    bad.problems.map((p) => p.split(':')[0]),
    ['HANOI247_REPORT_REGION', 'HANOI247_REPORT_REGION_HUB', 'HANOI247_REPORT_REGION_MEMBERS'],
  );
  assert.match(parseRegion('ASEAN', 'SG', 'VN,TH').problems[0]!, /the hub SG must be one of the members/);
});

test('the aggregate adds up figures; a suppressed part gives bounds, not a made-up number', () => {
  const f = (indicator: 'requests_received', value: number | string, group: string | null = null) => ({
    indicator,
    dimension: group ? ('partner' as const) : ('total' as const),
    group,
    value,
  });
  const out = aggregateFigures([
    {
      node: 'VN',
      suppressionThreshold: 5,
      figures: [f('requests_received', 6), f('requests_received', 6, 'FR')],
    },
    { node: 'SG', suppressionThreshold: 5, figures: [f('requests_received', '<5')] },
    {
      node: 'TH',
      suppressionThreshold: 10,
      figures: [f('requests_received', 0), f('requests_received', 12, 'FR')],
    },
  ]);
  assert.deepEqual(out, [
    {
      indicator: 'requests_received',
      dimension: 'total',
      group: null,
      value: null,
      min: 7,
      max: 10,
      members: 3,
    },
    {
      indicator: 'requests_received',
      dimension: 'partner',
      group: 'FR',
      value: 18,
      min: 18,
      max: 18,
      members: 2,
    },
  ]);
});
