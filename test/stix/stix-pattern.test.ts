// The STIX pattern parser against the official grammar, and the check semantics of what it reads.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { PatternSyntaxError, parsePattern } from '../../src/stix/stix-pattern-parser.ts';
import { readPattern } from '../../src/stix/stix-patterns.ts';
import { CONFORMANCE_DIR } from './conformance.ts';

function jsonFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? jsonFiles(path) : name.endsWith('.json') ? [path] : [];
  });
}

test('every pattern in the OASIS examples and our fixtures parses', () => {
  const files = [
    ...jsonFiles(join(CONFORMANCE_DIR, 'stix-2.1-examples')),
    ...jsonFiles(join(import.meta.dirname, 'fixtures')),
  ];
  let count = 0;
  for (const file of files) {
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    for (const o of doc.objects ?? [doc])
      if (o.type === 'indicator' && o.pattern_type === 'stix') {
        assert.doesNotThrow(() => parsePattern(o.pattern), `${file}: ${o.pattern}`);
        count++;
      }
  }
  assert.ok(count > 30, `${count} patterns`);
});

test('the patterning examples of the STIX 2.1 specification parse', () => {
  for (const p of [
    "[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']",
    "[email-message:from_ref.value MATCHES '.+\\\\@example\\\\.com$' AND email-message:body_multipart[*].body_raw_ref.name MATCHES '^Final Report.+\\\\.exe$']",
    "[ipv4-addr:value = '198.51.100.1/32' OR ipv4-addr:value = '203.0.113.33/32' OR ipv6-addr:value = '2001:0db8:dead:beef:dead:beef:dead:0001/128']",
    "[domain-name:value = 'example.com'] FOLLOWEDBY [network-traffic:dst_port = 22] WITHIN 600 SECONDS",
    "([file:hashes.MD5 = '79054025255fb1a26e4bc422aef54eb4'] AND [win-registry-key:key = 'HKEY_LOCAL_MACHINE\\\\foo\\\\bar']) WITHIN 300 SECONDS",
    "[network-traffic:dst_ref.type = 'domain-name' AND network-traffic:dst_ref.value = 'example.com'] REPEATS 5 TIMES WITHIN 1800 SECONDS",
    "[file:name = 'foo.dll'] START t'2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00Z'",
    "[network-traffic:src_port IN (80, 443) AND network-traffic:protocols[0] NOT = 'tcp' AND network-traffic:extensions.'http-request-ext'.request_method = 'GET']",
    "[user-account:account_type = 'unix' AND NOT EXISTS user-account:x_extra] /* a comment */",
    "[artifact:payload_bin = b'dGhpcyBpcyBhIHRlc3Q=' OR artifact:hashes.MD5 = h'0aff']",
    '[x-bank:amount >= -1.5 AND x-bank:flag = true]',
  ])
    assert.doesNotThrow(() => parsePattern(p), p);
});

test('what the grammar rejects is rejected, with the column', () => {
  for (const p of [
    "[ipv4-addr:value = '192.0.2.1'",
    "ipv4-addr:value = '192.0.2.1'",
    "alert: [ipv4-addr:value = '192.0.2.1']",
    "[ipv4-addr:value = '192.0.2.1'] please",
    "[ipv4-addr:value = '192.0.2.1'] and [domain-name:value = 'a.com']",
    '[ipv4-addr:value == ]',
    "[ipv4-addr = '192.0.2.1']",
    "[ipv4-addr:value = '192.0.2.1\\n']",
    '[]',
    '',
    '[file:size > true]',
    "[domain-name:value = 'a.com'] START '2016-06-01' STOP t'2016-07-01T00:00:00Z'",
    "[domain-name:value = 'a.com'] WITHIN -5 SECONDS",
    "[domain-name:value = 'a.com'] REPEATS 2.5 TIMES",
    "[domain-name:value = 'a.com'] # comment",
    // NOT goes after the object path (or before EXISTS), never before it.
    "[network-traffic:src_port = 80 AND NOT network-traffic:protocols[0] = 'tcp']",
  ]) {
    assert.throws(() => parsePattern(p), PatternSyntaxError, JSON.stringify(p));
  }
  assert.throws(() => parsePattern("[ipv4-addr:value = '192.0.2.1'"), /expected '\]'.*column 31/);
});

test('check semantics: one value decides the pattern, composites are kept but not checked alone', () => {
  const values = (p: string) => readPattern(p).values.map((v) => `${v.type}:${v.value}`);
  assert.deepEqual(values("[ipv4-addr:value = '192.0.2.1']"), ['ipv4:192.0.2.1']);
  // OR: any of the values decides it.
  assert.deepEqual(values("[domain-name:value = 'a.com'] OR [ipv4-addr:value = '192.0.2.1']"), [
    'domain:a.com',
    'ipv4:192.0.2.1',
  ]);
  assert.deepEqual(values("[domain-name:value = 'a.com' OR file:name = 'x']"), ['domain:a.com']);
  // AND inside one observation: the indexed test names the object, the others only describe it.
  assert.deepEqual(
    values("[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '192.0.2.7']"),
    ['ipv4:192.0.2.7'],
  );
  assert.deepEqual(values("[file:hashes.MD5 = 'aa' AND file:hashes.'SHA-256' = 'bb']"), [
    'md5:aa',
    'sha256:bb',
  ]);
  assert.equal(
    readPattern("[ipv4-addr:value = '192.0.2.1' AND ipv4-addr:value = '192.0.2.2']").use,
    'unsupported',
  );
  for (const composite of [
    "[ipv4-addr:value = '192.0.2.1'] AND [domain-name:value = 'a.com']",
    "[ipv4-addr:value = '192.0.2.1'] FOLLOWEDBY [domain-name:value = 'a.com']",
    "[ipv4-addr:value = '192.0.2.1'] REPEATS 3 TIMES",
  ]) {
    const r = readPattern(composite);
    assert.equal(r.use, 'composite', composite);
    assert.deepEqual(r.values, [], composite);
  }
  assert.equal(readPattern("[ipv4-addr:value = '192.0.2.1'] WITHIN 60 SECONDS").use, 'checkable');
  assert.equal(readPattern("[ipv4-addr:value != '192.0.2.1']").use, 'unsupported');
  assert.equal(readPattern("[domain-name:value MATCHES '^evil']").use, 'unsupported');
  const windowed = readPattern(
    "[ipv4-addr:value = '192.0.2.1'] START t'2026-01-01T00:00:00Z' STOP t'2026-02-01T00:00:00Z'",
  );
  assert.equal(windowed.use, 'checkable');
  assert.deepEqual(windowed.window, { start: '2026-01-01T00:00:00Z', stop: '2026-02-01T00:00:00Z' });
  // Escaped quotes and backslashes come back as the value.
  assert.deepEqual(values("[url:value = 'https://x.example/a\\'b\\\\c']"), ["url:https://x.example/a'b\\c"]);
});
