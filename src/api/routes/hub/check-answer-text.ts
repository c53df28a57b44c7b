// Bulk check answers written as text without JSON.stringify's object walk: a bulk check answers up
// to 100,000 values, and the answer's objects, not the lookups, were most of its cost (issue 20).
import type { CompactCheck } from '../../../hub/check-service.ts';

/** A JSON string: the text in quotes when nothing in it needs escaping, else JSON.stringify's. */
export function jsonString(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // Quotes, backslashes, control characters and surrogates (escaped when unpaired): JSON.stringify.
    if (c === 34 || c === 92 || c < 32 || (c >= 0xd800 && c <= 0xdfff)) return JSON.stringify(s);
  }
  return `"${s}"`;
}

/**
 * The compact answer (CompactCheckSchema) as JSON text, the same text JSON.stringify gives for
 * { checked, matched, alerts, hits: [[i, alert, indicatorId], …], errors }: one short piece per hit,
 * nothing per miss.
 */
export function compactAnswerText(c: CompactCheck): string {
  let text = alertsText(c);
  text += '],"hits":[';
  const { hitIndex, hitAlert, hitIndicator } = c;
  for (let k = 0; k < hitIndex.length; k++)
    text += `${k === 0 ? '[' : ',['}${hitIndex[k]},${hitAlert[k]},"${hitIndicator[k]}"]`;
  return errorsText(c, text);
}

/**
 * The hits answer (HitsCheckSchema) as JSON text: as the compact one, with each hit as two numbers
 * in one flat list [i, alert, i, alert, …] (no indicator ids), which a client reads as numbers.
 */
export function hitsAnswerText(c: CompactCheck): string {
  let text = alertsText(c);
  text += '],"hits":[';
  const { hitIndex, hitAlert } = c;
  for (let k = 0; k < hitIndex.length; k++) text += `${k === 0 ? '' : ','}${hitIndex[k]},${hitAlert[k]}`;
  return errorsText(c, text);
}

/** The answer's head up to the alerts, each named once (the list left open). */
function alertsText(c: CompactCheck): string {
  let text = `{"checked":${c.checked},"matched":${c.matched},"alerts":[`;
  for (let k = 0; k < c.alerts.length; k++) {
    const a = c.alerts[k]!;
    // Ids are UUIDs, kinds and TLP labels fixed words: nothing in them to escape.
    text += `${k === 0 ? '' : ','}{"id":"${a.alertId}","kind":"${a.kind}","title":${jsonString(a.title)},"confidence":${a.confidence},"tlp":"${a.tlp}","validUntil":${a.validUntil === null ? 'null' : `"${a.validUntil}"`}}`;
  }
  return text;
}

/** The answer's tail after the hits: the refused values. */
function errorsText(c: CompactCheck, text: string): string {
  text += '],"errors":[';
  for (let k = 0; k < c.errors.length; k++) text += `${k === 0 ? '' : ','}${JSON.stringify(c.errors[k])}`;
  return `${text}]}`;
}
