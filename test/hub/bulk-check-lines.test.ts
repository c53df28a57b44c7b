// The lean bulk body (text/plain lines, issue 20, check-path speed) and the hits answer (?answer=hits):
// for the same values they tell each caller what the JSON body tells it, in every answer shape, with
// TLP applied alike (an AMBER+STRICT or RED alert the caller may not read never appears), and bad
// bodies are 4xx problems naming the line or the field.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Reply } from '../helpers/http-client.ts';
import { hubSession } from './hub-session.ts';

const { session, as, publish: publishAs } = hubSession(['bank', 'telecom', 'outsider']);
const HITS = 'application/vnd.hanoi247.check-hits+json';
const TEXT = { 'content-type': 'text/plain; charset=utf-8' };

type Compact = {
  checked: number;
  matched: number;
  alerts: { id: string }[];
  hits: [number, number, string][];
  errors: { i: number }[];
};

test('text/plain lines answer as the JSON body does, in full, compact and hits, TLP alike', async () => {
  const { orgs } = session.cast;
  const publish = (who: string, body: Record<string, unknown>) => publishAs(who, { confidence: 70, ...body });
  const green = await publish('bank', {
    title: 'Lines green "quoted"',
    tlp: 'GREEN',
    indicators: [
      { type: 'domain', value: 'lines-shared.example' },
      { type: 'phone', value: '+84901112233' },
      { type: 'email', value: 'lines@fraud.example' },
    ],
  });
  const amber = await publish('telecom', {
    title: 'Lines amber',
    tlp: 'AMBER',
    indicators: [{ type: 'domain', value: 'lines-shared.example' }],
  });
  const strict = await publish('telecom', {
    title: 'Lines strict secret',
    tlp: 'AMBER+STRICT',
    recipientOrgIds: [orgs.telecom],
    indicators: [
      { type: 'domain', value: 'lines-shared.example' },
      { type: 'domain', value: 'lines-strict-only.example' },
    ],
  });
  const red = await publish('telecom', {
    title: 'Lines red secret',
    tlp: 'RED',
    recipientOrgIds: [orgs.telecom],
    indicators: [{ type: 'domain', value: 'lines-red-only.example' }],
  });
  const items = [
    { type: 'domain', value: 'lines-shared.example' }, // 0: four alerts
    { type: 'domain', value: 'nothing.lines.example' }, // 1: a miss
    { type: 'phone', value: '+84 90 111 22 33' }, // 2: a hit, not in normal form
    { type: 'domain', value: 'lines-strict-only.example' }, // 3: AMBER+STRICT only
    { type: 'domain', value: 'lines-red-only.example' }, // 4: RED only
    { type: 'nonsense', value: 'x' }, // 5: an unknown type, refused on its own
    { type: 'email', value: 'a..b@fraud.example' }, // 6: refused
    { type: 'email', value: 'lines@FRAUD.example' }, // 7: a hit, domain in capitals
    { type: 'domain', value: 'LINES-SHARED.example' }, // 8: a hit, in capitals
  ];
  // CRLF line ends and empty lines: the index counts values, not lines.
  const body = `${items.map((q) => `${q.type}\t${q.value}`).join('\r\n')}\n\n`;
  const sees: Record<string, string[]> = {
    bank: [green, amber],
    telecom: [green, amber, strict, red],
    outsider: [green],
  };
  for (const who of ['bank', 'telecom', 'outsider']) {
    const api = as(who);
    for (const answer of ['full', 'compact']) {
      const json = await api.post(`/api/v1/hub/check?answer=${answer}`, items);
      assert.equal(json.status, 200, json.text);
      const text = await api.call('POST', `/api/v1/hub/check?answer=${answer}`, body, TEXT);
      assert.equal(text.status, 200, text.text);
      assert.equal(text.text, json.text, `${who}, ${answer}`);
      assert.equal(text.headers.get('content-type'), json.headers.get('content-type'));
    }
    const compact = (await api.post('/api/v1/hub/check?answer=compact', items)).body as Compact;
    // The hits answer: the compact one without ids, the hits as a flat list of numbers.
    for (const [how, sent] of [
      ['JSON', () => api.post('/api/v1/hub/check?answer=hits', items)],
      ['text', () => api.call('POST', '/api/v1/hub/check?answer=hits', body, TEXT)],
    ] as const) {
      const hits = await sent();
      assert.equal(hits.status, 200, hits.text);
      assert.equal(hits.headers.get('content-type'), `${HITS}; charset=utf-8`);
      assert.equal(hits.text, JSON.stringify(JSON.parse(hits.text)), 'JSON as JSON.stringify writes it');
      assert.deepEqual(
        hits.body,
        { ...compact, hits: compact.hits.flatMap(([i, ref]) => [i, ref]) },
        `${who}, ${how}`,
      );
      assert.deepEqual(new Set(hits.body.alerts.map((a: { id: string }) => a.id)), new Set(sees[who]), who);
      for (const hidden of [green, amber, strict, red].filter((id) => !sees[who]!.includes(id)))
        assert.ok(!hits.text.includes(hidden), `${who} must not learn of ${hidden}`);
    }
    assert.deepEqual(
      compact.errors.map((e) => e.i),
      [5, 6],
    );
  }
  // The type once per call: the same answer as type<TAB>value lines of that type.
  const domains = items.filter((q) => q.type === 'domain');
  const perLine = await as('telecom').call(
    'POST',
    '/api/v1/hub/check?answer=hits',
    domains.map((q) => `domain\t${q.value}`).join('\n'),
    TEXT,
  );
  const once = await as('telecom').call(
    'POST',
    '/api/v1/hub/check?answer=hits&type=domain',
    domains.map((q) => q.value).join('\n'),
    TEXT,
  );
  assert.equal(once.status, 200, once.text);
  assert.equal(once.text, perLine.text);
  // Indexes 0, 2 (strict), 3 (red), 4 (capitals) of the five domains hit for the telecom.
  assert.deepEqual([...new Set((once.body.hits as number[]).filter((_, k) => k % 2 === 0))], [0, 2, 3, 4]);
});

test('bad text/plain bodies are 4xx problems naming the line or the field; other hub routes still refuse text', async () => {
  const api = as('bank');
  const expectProblem = async (r: Reply, status: number, field?: string) => {
    assert.equal(r.status, status, r.text.slice(0, 300));
    assert.match(r.headers.get('content-type') ?? '', /^application\/problem\+json/);
    if (field) assert.equal(r.body.errors[0].field, field);
  };
  // No tab and no ?type=: the line is named (the empty line between counts as a line).
  await expectProblem(
    await api.call(
      'POST',
      '/api/v1/hub/check?answer=hits',
      'domain\ta.example\n\njust-a-value.example',
      TEXT,
    ),
    400,
    'body/line 3',
  );
  await expectProblem(
    await api.call('POST', '/api/v1/hub/check?answer=hits&type=nonsense', 'a.example', TEXT),
    400,
    'querystring/type',
  );
  await expectProblem(
    await api.post('/api/v1/hub/check?type=domain', [{ type: 'domain', value: 'a.example' }]),
    400,
    'querystring/type',
  );
  const tooMany = await api.call(
    'POST',
    '/api/v1/hub/check?answer=hits&type=domain',
    'a.example\n'.repeat(100_001),
    TEXT,
  );
  await expectProblem(tooMany, 413);
  assert.equal(tooMany.body.code, 'ERR_TOO_MANY_VALUES');
  // A bad value is its own error, as for the other bodies; the rest are answered.
  const mixed = await api.call(
    'POST',
    '/api/v1/hub/check?answer=hits&type=email',
    'not-an-email\nok@fine.example',
    TEXT,
  );
  assert.equal(mixed.status, 200, mixed.text);
  assert.deepEqual(
    mixed.body.errors.map((e: { i: number; input: string }) => [e.i, e.input]),
    [[0, 'not-an-email']],
  );
  // Only the bulk check reads text: publishing still refuses it (415), and no token is a 401.
  await expectProblem(await api.call('POST', '/api/v1/hub/alerts', 'domain\ta.example', TEXT), 415);
  const anonymous = as('nobody');
  anonymous.setToken('');
  await expectProblem(
    await anonymous.call('POST', '/api/v1/hub/check?answer=hits&type=domain', 'a.example', TEXT),
    401,
  );
});
