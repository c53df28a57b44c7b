// The bulk check's fast paths (issue 20, check-path speed) answer exactly what the general ones do:
// values sent already in normal form skip the normaliser, plain NDJSON lines skip JSON.parse, and
// NDJSON answers are written without JSON.stringify. Each answer is compared with the JSON answer
// to the same list, line for line, text for text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hubSession } from './hub-session.ts';

const { session, as } = hubSession(['bank', 'telecom']);

const items = [
  { type: 'domain', value: 'fast-path.example.com' },
  { type: 'domain', value: 'FAST-path.Example.com.' },
  { type: 'domain', value: 'xn--bcher-kva.example' },
  { type: 'domain', value: 'bücher.example' },
  { type: 'domain', value: '-bad-.example' },
  { type: 'domain', value: '192.0.2.1' },
  { type: 'email', value: 'Someone.Else@fast-path.example.com' },
  { type: 'email', value: 'Someone.Else@FAST-PATH.example.com' },
  { type: 'email', value: 'mailto:Someone.Else@fast-path.example.com' },
  { type: 'email', value: '.dot@fast-path.example.com' },
  { type: 'email', value: 'a..b@fast-path.example.com' },
  { type: 'email', value: 'ünï@fast-path.example.com' },
  { type: 'phone', value: '+84901234567' },
  { type: 'phone', value: '+84 90 123 45 67' },
  { type: 'phone', value: '0084901234567' },
  { type: 'phone', value: '+84901' },
  { type: 'eth_wallet', value: '0xABABABABABABABABABABABABABABABABABABABAB' },
  { type: 'eth_wallet', value: '0xabababababababababababababababababababab' },
  { type: 'sha256', value: 'A'.repeat(64) },
  { type: 'nonsense', value: 'x' },
  { type: 'domain', value: 42 },
  { type: 'domain', value: 'quote"inside.example' },
  { type: 'domain', value: ' spaced.example ' },
];

test('NDJSON answers equal the JSON answers line for line, fast paths included', async () => {
  const published = await as('bank').post('/api/v1/hub/alerts', {
    kind: 'scam_campaign',
    title: 'A "quoted" title \\ with é, 中文, an emoji 😀 and a line\u2028separator',
    confidence: 70,
    tlp: 'GREEN',
    groupId: session.cast.national,
    validUntil: '2099-01-01T00:00:00.000Z',
    indicators: [
      { type: 'domain', value: 'fast-path.example.com' },
      { type: 'domain', value: 'bücher.example' },
      { type: 'email', value: 'Someone.Else@fast-path.example.com' },
      { type: 'phone', value: '+84901234567' },
      { type: 'eth_wallet', value: '0xabababababababababababababababababababab' },
      { type: 'sha256', value: 'a'.repeat(64) },
    ],
  });
  assert.equal(published.status, 201, published.text);

  const api = as('telecom');
  const json = await api.post('/api/v1/hub/check', items);
  assert.equal(json.status, 200, json.text);
  // Lines as clients write them: plain, with escapes, keys in another order, spaces around.
  const lines = items.map((item, i) =>
    i % 4 === 1
      ? JSON.stringify({ value: item.value, type: item.type })
      : i % 4 === 2
        ? `  ${JSON.stringify(item).replace(/e/g, '\\u0065')}  `
        : JSON.stringify(item),
  );
  const nd = await api.call('POST', '/api/v1/hub/check', `${lines.join('\n')}\n\n`, {
    'content-type': 'application/x-ndjson',
  });
  assert.equal(nd.status, 200, nd.text);
  const expected = json.body.results.map((r: unknown) => `${JSON.stringify(r)}\n`).join('');
  assert.equal(nd.text, expected);

  // The compact answer leaves out the values that matched nothing, and only those.
  type Result = { matches?: unknown[] };
  const kept = (r: Result) => !r.matches || r.matches.length > 0;
  const compact = await api.call('POST', '/api/v1/hub/check?omit=misses', lines.join('\n'), {
    'content-type': 'application/x-ndjson',
  });
  assert.equal(compact.status, 200, compact.text);
  const expectedCompact = json.body.results.filter(kept).map((r: Result) => `${JSON.stringify(r)}\n`);
  assert.equal(compact.text, expectedCompact.join(''));
  assert.ok(expectedCompact.length < items.length && expectedCompact.length > 10);
  const compactJson = await api.post('/api/v1/hub/check?omit=misses', items);
  assert.equal(compactJson.body.checked, items.length);
  assert.deepEqual(compactJson.body.results, json.body.results.filter(kept));

  // The same value in normal form and not: one answer, the published alert.
  const by = (i: number) => json.body.results[i];
  const alertId = published.body.alert.id;
  for (const [a, b] of [
    [0, 1],
    [2, 3],
    [6, 7],
    [12, 13],
    [12, 14],
    [16, 17],
  ] as const) {
    assert.equal(by(a).value, by(b).value, `${items[a]!.value} and ${items[b]!.value}`);
    assert.deepEqual(by(a).matches, by(b).matches);
    assert.equal(by(a).matches[0]?.alertId, alertId, items[a]!.value as string);
  }
  assert.equal(by(18).matches[0]?.alertId, alertId, 'a hash in capitals');
  assert.equal(by(8).value, by(6).value, 'mailto: is cut');
  for (const bad of [4, 5, 9, 10, 15, 19, 20, 21])
    assert.ok(by(bad).error, `${items[bad]!.value} is refused`);
  assert.equal(by(11).matches.length, 0);
});
