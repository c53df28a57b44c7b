// Derived indicator ids in a batch (a bulk check's hits, hashed in one native call when the addon is
// built) are the ids derived one by one, for short and long lists, ASCII and not.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deriveIndicatorId, deriveIndicatorIds } from '../../src/hub/indicator-ids.ts';

const ALERTS = ['0193f6c2-1111-7000-8000-000000000001', '0193f6c2-2222-7000-8000-000000000002'];
const VALUES: [string, string][] = [
  ['domain', 'scam.example'],
  ['phone', '+84912000111'],
  ['url', "https://xn--e1afmkfd.xn--p1ai/a'b\\c?é=ü"],
  ['email', 'ünïcödé@例え.jp'],
  ['sha256', 'a'.repeat(64)],
  ['domain', 'emoji-😀.example'],
  ['eth_wallet', `0x${'ab'.repeat(20)}`],
];

function lists(count: number, ascii: boolean) {
  const pool = ascii ? VALUES.filter(([, v]) => /^[\x20-\x7e]*$/.test(v)) : VALUES;
  const alertIds: string[] = [];
  const types: string[] = [];
  const values: string[] = [];
  for (let i = 0; i < count; i++) {
    const [type, value] = pool[i % pool.length]!;
    alertIds.push(ALERTS[i % 2]!);
    types.push(type);
    values.push(`${i}-${value}`);
  }
  return { alertIds, types, values };
}

test('a batch of derived ids equals the ids derived one by one', () => {
  for (const count of [0, 1, 7, 8, 9, 1000])
    for (const ascii of [true, false]) {
      const { alertIds, types, values } = lists(count, ascii);
      const ids = deriveIndicatorIds(alertIds, types, values);
      assert.equal(ids.length, count);
      for (let i = 0; i < count; i++)
        assert.equal(ids[i], deriveIndicatorId(alertIds[i]!, types[i]!, values[i]!), `${count} ${values[i]}`);
    }
});
