import assert from 'node:assert/strict';
import { test } from 'node:test';
import { auditLeafCanonicalJson, auditLeafHash } from '../../src/audit/audit-entry.ts';
import { leafHash } from '../../src/crypto/merkle.ts';

test('the hand-written leaf encoding equals the generic canonical JSON, for awkward strings too', () => {
  const awkward = [
    'plain',
    'quote " and \\ backslash',
    'control \u0001\n\t',
    'Tiếng Việt ✓ 𝄞',
    'العربية',
    '\u2028\u2029',
    '',
  ];
  let seq = 1;
  for (const text of awkward) {
    const fields = {
      seq: seq++,
      at: new Date(Date.UTC(2026, 10, 25, 3, 4, 5, 678)),
      actor: text,
      action: `act.${text}`,
      objectType: 'thing',
      objectId: text,
      payloadHash: 'ab'.repeat(32),
    };
    const expected = leafHash(Buffer.from(auditLeafCanonicalJson(fields), 'utf8')).toString('hex');
    assert.equal(auditLeafHash(fields), expected, JSON.stringify(text));
  }
});
