// Indicator ids a node can compute from what a check already holds. A hit in the in-memory index
// gives a row number, its alert (row-owners.ts) and the value the caller sent; with the id derived
// from those three, a single check answers a hit without a database round trip, which was most of
// its latency tail. Ids stay global: every node derives the same id for the same indicator, so
// sightings and reports keep naming indicators across the federation.
//
// Layout (a UUIDv8, RFC 9562): the first 6 bytes are the alert id's first 6 (the creation time of a
// UUIDv7 alert id), so one alert's indicators sit together in the primary-key index, as UUIDv7 ids
// did; the other 10 are SHA-256 of the alert id, the type and the normalised value, with the version
// and variant bits set. (alert, type, value) is unique per indicator row (hub_indicators_alert_value_unique).
import { hash } from 'node:crypto';

/** The id of the indicator (type, normalised value) of alert `alertId` (a lowercase UUID). */
export function deriveIndicatorId(alertId: string, type: string, value: string): string {
  const digest = hash('sha256', `${alertId}\n${type}\n${value}`, 'hex');
  // Version 8 takes the high nibble of byte 6; variant 0b10 the two high bits of byte 8.
  const variant = ((Number.parseInt(digest[4]!, 16) & 0x3) | 0x8).toString(16);
  // alertId.slice(0, 13) is 'xxxxxxxx-xxxx', its bytes 0..5; digest hex 0..19 fills bytes 6..15.
  return `${alertId.slice(0, 13)}-8${digest.slice(1, 4)}-${variant}${digest.slice(5, 8)}-${digest.slice(8, 20)}`;
}

/** Whether every indicator id given is the derived one, so that checks may answer the alert from memory. */
export function allDerived(
  alertId: string,
  indicators: Iterable<{ id: string; type: string; value: string }>,
): boolean {
  for (const i of indicators) if (i.id !== deriveIndicatorId(alertId, i.type, i.value)) return false;
  return true;
}

/**
 * The same derivation in SQL, for rows written by the database itself (bulk loads): alert id, type and
 * value are SQL expressions of a uuid and two texts. A test checks it against deriveIndicatorId.
 */
export function derivedIndicatorIdSql(alertId: string, type: string, value: string): string {
  const digest = `sha256(convert_to((${alertId})::text || E'\\n' || (${type}) || E'\\n' || (${value}), 'UTF8'))`;
  const bytes = `(substring(uuid_send(${alertId}) from 1 for 6) || substring(${digest} from 1 for 10))`;
  return `encode(set_byte(set_byte(${bytes}, 6, (get_byte(${bytes}, 6) & 15) | 128), 8, (get_byte(${bytes}, 8) & 63) | 128), 'hex')::uuid`;
}
