import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  backoffMs,
  DEFAULT_FRESHNESS,
  headerProblem,
  isRetryable,
  type MessageHeader,
  messageForStep,
  PROTOCOL,
  parseHeader,
  ruleForMessage,
  seenUntil,
  wireType,
} from '../../src/domain/federation/index.ts';
import { TRANSITIONS } from '../../src/domain/requests/index.ts';
import { uuidv7 } from '../../src/shared/ids.ts';
import { pingHeader } from './message-fixtures.ts';

const NOW = new Date('2027-01-05T10:00:00Z');

function header(overrides: Partial<MessageHeader> = {}): MessageHeader {
  return pingHeader(NOW, { type: 'request', requestId: uuidv7(NOW.getTime()), seq: 1, ...overrides });
}

test('a header is read from untrusted JSON, naming the first bad field', () => {
  assert.equal(parseHeader(header()).ok, true);
  const cases: [unknown, RegExp][] = [
    [null, /no header/],
    [{ ...header(), id: 'not-a-uuid' }, /header.id/],
    [{ ...header(), id: '00000000-0000-4000-8000-000000000000' }, /UUIDv7/],
    [{ ...header(), from: 'vn' }, /header.from/],
    [{ ...header(), expires: 'tomorrow' }, /header.expires/],
    [{ ...header(), seq: 0 }, /header.seq/],
    [{ ...header(), seq: null }, /exactly when requestId/],
  ];
  for (const [raw, message] of cases) {
    const parsed = parseHeader(raw);
    assert.equal(parsed.ok, false);
    if (!parsed.ok) assert.match(parsed.message, message);
  }
});

test('an exercise request step travels marked, so a node without exercises cannot make a real case of it', () => {
  const exerciseId = '01900000-0000-7000-8000-00000000e5e5';
  assert.equal(wireType('request', exerciseId), 'exercise:request');
  assert.equal(wireType('acknowledgement', exerciseId), 'exercise:acknowledgement');
  assert.equal(wireType('request', null), 'request');
  assert.equal(wireType('exercise_clock', exerciseId), 'exercise_clock');
  // A release before exercises dispatches on the type as it travels: the marked type is unknown there.
  assert.equal(ruleForMessage('exercise:request'), null);
  const marked = parseHeader({ ...header({ exerciseId }), type: 'exercise:request' });
  assert.ok(marked.ok);
  if (marked.ok) {
    assert.equal(marked.header.type, 'request');
    assert.equal(marked.header.exerciseId, exerciseId);
  }
  const cases: [unknown, RegExp][] = [
    [
      { ...header({ exerciseId }), type: 'request' },
      /header.type of a request step of an exercise must be marked/,
    ],
    [{ ...header(), type: 'exercise:request' }, /header.type is marked 'exercise:' but names no exercise/],
    [{ ...header({ exerciseId }), type: 'exercise:exercise_end' }, /not a marked request step/],
    [{ ...header({ exerciseId }), type: 'exercise:' }, /not a marked request step/],
  ];
  for (const [raw, message] of cases) {
    const parsed = parseHeader(raw);
    assert.equal(parsed.ok, false);
    if (!parsed.ok) assert.match(parsed.message, message);
  }
});

test('the header rules: for us, not expired, not from the future, bounded lifetime', () => {
  assert.equal(headerProblem(header(), 'FR', NOW), null);
  assert.equal(headerProblem(header(), 'DE', NOW)?.kind, 'recipient');
  const skew = DEFAULT_FRESHNESS.skewMs;
  // Within the skew window a slightly fast sender clock is accepted; beyond it, refused.
  const ahead = (ms: number) =>
    header({
      created: new Date(NOW.getTime() + ms).toISOString(),
      expires: new Date(NOW.getTime() + ms + 60_000).toISOString(),
    });
  assert.equal(headerProblem(ahead(skew - 1000), 'FR', NOW), null);
  assert.equal(headerProblem(ahead(skew + 1000), 'FR', NOW)?.kind, 'skew');
  const expired = header({
    created: new Date(NOW.getTime() - 3_600_000).toISOString(),
    expires: new Date(NOW.getTime() - skew - 1).toISOString(),
  });
  assert.equal(headerProblem(expired, 'FR', NOW)?.kind, 'expired');
  const forever = header({ expires: new Date(NOW.getTime() + 30 * 86_400_000).toISOString() });
  assert.equal(headerProblem(forever, 'FR', NOW)?.kind, 'header');
  // A seen id is kept until the message could no longer be accepted anyway.
  assert.equal(seenUntil(header()).getTime(), NOW.getTime() + 3_600_000 + skew);
});

test('backoff grows exponentially with jitter, capped; only curable failures are retried', () => {
  const policy = { baseMs: 1000, maxMs: 60_000, maxAttempts: 5 };
  assert.equal(backoffMs(1, policy, 0), 500);
  assert.equal(backoffMs(1, policy, 0.999), 1000);
  assert.equal(backoffMs(4, policy, 0), 4000);
  assert.equal(backoffMs(20, policy, 1), 60_000);
  assert.equal(isRetryable(null, 'ERR_PEER_UNREACHABLE'), true);
  assert.equal(isRetryable(503, 'ERR_INTERNAL'), true);
  assert.equal(isRetryable(409, 'ERR_PEER_OUT_OF_ORDER'), true);
  assert.equal(isRetryable(401, 'ERR_PEER_SIGNATURE'), false);
  assert.equal(isRetryable(400, 'ERR_PEER_EXPIRED'), false);
});

test('every protocol step exists in the life cycle on both sides, and record_* steps send nothing', () => {
  for (const rule of PROTOCOL) {
    const sent = TRANSITIONS.find(
      (t) => t.action === rule.sentBy.action && t.direction === rule.sentBy.direction,
    );
    assert.ok(sent, `${rule.sentBy.action} is a step of the ${rule.sentBy.direction} copy`);
    if (rule.applies) {
      const other = rule.sentBy.direction === 'OUTGOING' ? 'INCOMING' : 'OUTGOING';
      assert.ok(
        TRANSITIONS.some((t) => t.action === rule.applies && t.direction === other),
        `${rule.applies} is a step of the ${other} copy`,
      );
      assert.equal(messageForStep(other, rule.applies), null, `${rule.applies} does not echo`);
    }
    assert.equal(ruleForMessage(rule.type), rule);
  }
  assert.equal(messageForStep('OUTGOING', 'submit'), null);
});

test('a node URL is https, or plain http on a loopback address only', async () => {
  const { validateDirectory, buildDemoDirectory } = await import('../../src/domain/directory/index.ts');
  const withUrl = (url: string) => {
    const document = buildDemoDirectory();
    const point = document.parties[0]!.authorities[0]!;
    point.node = { url, signingKeys: [], encryptionKeys: [] };
    return validateDirectory(document).ok;
  };
  assert.equal(withUrl('https://node.vn.example'), true);
  assert.equal(withUrl('http://127.0.0.1:8247'), true);
  assert.equal(withUrl('http://localhost:8247/'), true);
  assert.equal(withUrl('http://node.vn.example'), false);
  assert.equal(withUrl('http://127.0.0.1.evil.example'), false);
});
