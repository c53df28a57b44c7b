// Notifications are stored as codes with parameters and put into words in the reader's language:
// every notice in every language of the desk, with the request type, the State and the date in words.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FORM_LANGUAGES } from '../../src/domain/requests/index.ts';
import { mailLanguageOf } from '../../src/requests/notification-delivery.ts';
import {
  decodeNotice,
  encodeNotice,
  messageText,
  NOTICE_CODES,
  type Notice,
  noticeLanguage,
  noticeText,
} from '../../src/requests/notification-text.ts';
import { recipientsOf } from '../../src/requests/request-timers.ts';

const notice = (code: Notice['code']): Notice => ({
  code,
  params: {
    type: 'PRESERVATION',
    partner: 'FR',
    reference: 'VN-2026-0042',
    requestId: '0190a1b2-0000-7000-8000-000000000001',
    expiresAt: '2027-02-09T09:00:00.000Z',
    followUpType: 'MLA_STORED_DATA',
    followUpStatus: 'refused',
  },
});

test('every notice is written in each of the seven languages, in words', () => {
  for (const code of NOTICE_CODES) {
    const english = noticeText(notice(code), 'en');
    for (const lang of FORM_LANGUAGES) {
      const { subject, body, number } = noticeText(notice(code), lang);
      for (const text of [subject, body, number])
        assert.doesNotMatch(text, /\{\{|undefined/, `${code} ${lang}`);
      assert.ok(
        body.includes(new Intl.DisplayNames([lang], { type: 'region' }).of('FR')!),
        `${code} ${lang}`,
      );
      assert.ok(body.includes('VN-2026-0042') && subject.includes('VN-2026-0042'), `${code} ${lang}`);
      assert.doesNotMatch(body, /PRESERVATION|MLA_STORED_DATA|\bFR\b/, `${code} ${lang}: no codes`);
      assert.ok(number.includes(notice(code).params.requestId));
      if (lang !== 'en') assert.notEqual(body, english.body, `${code} ${lang} is translated`);
    }
  }
  const fr = noticeText(notice('PRESERVATION_MAY_END'), 'fr').body;
  assert.match(fr, /^La conservation peut prendre fin maintenant : .*Conservation rapide.*France/);
  assert.match(fr, /9 février 2027/);
  assert.match(noticeText(notice('DEADLINE_ACKNOWLEDGE'), 'ar').body, /فرنسا/);
});

test('a stored notice round-trips; older plain-text rows are shown as they are', () => {
  const stored = encodeNotice(notice('EMERGENCY_APPROVAL'));
  assert.deepEqual(decodeNotice(stored), notice('EMERGENCY_APPROVAL'));
  assert.match(messageText(stored, 'es'), /^Solicitud de emergencia enviada antes de su aprobación/);
  assert.equal(messageText('Overdue: MLA_GENERAL FR x', 'vi'), 'Overdue: MLA_GENERAL FR x');
  assert.equal(decodeNotice('{"code":"NOT_A_NOTICE","params":{}}'), null);
  assert.equal(decodeNotice('{broken'), null);
});

test('the reader’s language: the first one the desk has, else English', () => {
  assert.equal(noticeLanguage(['de-DE', 'ru-RU', 'en']), 'ru');
  assert.equal(noticeLanguage([undefined, 'zh-Hans-CN']), 'zh');
  assert.equal(noticeLanguage(['de']), 'en');
  const directory = {
    parties: [
      {
        code: 'VN',
        authorities: [
          { kind: 'CENTRAL_AUTHORITY', languages: ['en'] },
          { kind: 'POINT_24_7', languages: ['vi', 'en'] },
        ],
      },
    ],
  } as never;
  assert.equal(mailLanguageOf(directory, 'VN'), 'vi', 'the 24/7 point’s language first');
  assert.equal(mailLanguageOf(directory, 'XX'), 'en');
});

test('a notice about a copy a partner’s node delivered goes to the officers who handle requests', () => {
  assert.deepEqual(recipientsOf({ assignedTo: null, draftedBy: 'node:VN' }), [
    'role:DUTY_OFFICER',
    'role:CENTRAL_AUTHORITY',
  ]);
  assert.deepEqual(recipientsOf({ assignedTo: 'officer-1', draftedBy: 'node:VN' }), ['officer-1']);
  assert.deepEqual(recipientsOf({ assignedTo: null, draftedBy: 'drafter-2' }), ['drafter-2']);
});

test('an exercise notice, stored marked, is worded with EXERCISE in the reader’s language', () => {
  const stored = `EXERCISE — ${encodeNotice(notice('PRESERVATION_REMINDER'))}`;
  const decoded = decodeNotice(stored);
  assert.equal(decoded?.code, 'PRESERVATION_REMINDER');
  assert.equal(decoded?.exercise, true);
  const plain = noticeText(notice('PRESERVATION_REMINDER'), 'fr').body;
  assert.equal(messageText(stored, 'fr'), `EXERCICE — ${plain}`);
  assert.match(messageText(stored, 'en'), /^EXERCISE — (?!\{)/);
  assert.match(noticeText(decoded!, 'ar').subject, /^تمرين — /);
  // Real work carries no mark.
  assert.equal(decodeNotice(encodeNotice(notice('PRESERVATION_REMINDER')))?.exercise, undefined);
});
