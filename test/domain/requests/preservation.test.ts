import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DAY_MS,
  dueReminders,
  extendPreservation,
  normaliseIdentifier,
  preservationExpiry,
  preservationStatus,
  reminderTimes,
  resolvePreservationPolicy,
} from '../../../src/domain/requests/index.ts';

const EXECUTED = new Date('2026-12-10T08:00:00Z');
const day = (n: number) => new Date(EXECUTED.getTime() + n * DAY_MS);

test('preserved at least 60 days from execution', () => {
  assert.equal(preservationExpiry(EXECUTED, 0).toISOString(), day(60).toISOString());
  assert.equal(preservationExpiry(EXECUTED, 2).toISOString(), day(180).toISOString());
  const longer = resolvePreservationPolicy({ periodDays: 90 });
  assert.equal(preservationExpiry(EXECUTED, 0, longer).toISOString(), day(90).toISOString());
  assert.throws(() => resolvePreservationPolicy({ periodDays: 59 }), /under the 60-day minimum/);
});

test('status through 60 days: preserved, held while the MLA is undecided, expired', () => {
  const expiresAt = preservationExpiry(EXECUTED, 0);
  const table: [number, boolean, string][] = [
    [0, false, 'PRESERVED'],
    [59.99, false, 'PRESERVED'],
    [60, false, 'EXPIRED'],
    [61, true, 'HELD_FOR_MLA'],
    [200, true, 'HELD_FOR_MLA'],
    [200, false, 'EXPIRED'],
  ];
  for (const [d, mla, expected] of table) {
    assert.equal(preservationStatus({ expiresAt, linkedMlaUndecided: mla }, day(d)), expected, `day ${d}`);
  }
});

test('extension before expiry adds the configured period; after expiry it is refused', () => {
  const expiresAt = preservationExpiry(EXECUTED, 0);
  assert.equal(extendPreservation(expiresAt, day(50)).toISOString(), day(120).toISOString());
  assert.throws(() => extendPreservation(expiresAt, day(60)), /already expired/);
});

test('reminders at D-15, D-7 and D-2, each once', () => {
  const expiresAt = preservationExpiry(EXECUTED, 0);
  assert.deepEqual(
    reminderTimes(expiresAt).map((d) => d.toISOString()),
    [day(45), day(53), day(58)].map((d) => d.toISOString()),
  );
  assert.deepEqual(dueReminders(expiresAt, day(44), []), []);
  assert.deepEqual(dueReminders(expiresAt, day(45), []), [15]);
  assert.deepEqual(dueReminders(expiresAt, day(54), [15]), [7]);
  assert.deepEqual(dueReminders(expiresAt, day(59), []), [15, 7, 2]);
  assert.deepEqual(dueReminders(expiresAt, day(59), [15, 7, 2]), []);
  assert.deepEqual(dueReminders(expiresAt, day(61), []), []);
});

test('identifiers are normalised before hashing', () => {
  assert.equal(normaliseIdentifier('PHONE_NUMBER', '0084 912-345 678'), '+84912345678');
  assert.equal(normaliseIdentifier('EMAIL', ' Operator@Scam.Example '), 'operator@scam.example');
  assert.equal(normaliseIdentifier('BANK_ACCOUNT', 'fr76 3000-6000'), 'FR7630006000');
  assert.equal(
    normaliseIdentifier('CRYPTO_WALLET', ' 1BoatSLRHtKNngkdXEeobR76b53LETtpyT '),
    '1BoatSLRHtKNngkdXEeobR76b53LETtpyT',
  );
});
