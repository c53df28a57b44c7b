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
import { nativeAuditHash } from '../crypto/native-audit-hash.ts';

/** The id from the alert id and the hex SHA-256 of (alert, type, value), read from `hex` at `at`. */
function idOf(alertId: string, hex: string, at: number): string {
  // Version 8 takes the high nibble of byte 6; variant 0b10 the two high bits of byte 8.
  const variant = ((Number.parseInt(hex[at + 4]!, 16) & 0x3) | 0x8).toString(16);
  // alertId.slice(0, 13) is 'xxxxxxxx-xxxx', its bytes 0..5; digest hex 0..19 fills bytes 6..15.
  return `${alertId.slice(0, 13)}-8${hex.slice(at + 1, at + 4)}-${variant}${hex.slice(at + 5, at + 8)}-${hex.slice(at + 8, at + 20)}`;
}

/** The id of the indicator (type, normalised value) of alert `alertId` (a lowercase UUID). */
export function deriveIndicatorId(alertId: string, type: string, value: string): string {
  return idOf(alertId, hash('sha256', `${alertId}\n${type}\n${value}`, 'hex'), 0);
}

/**
 * The ids of many indicators at once (a bulk check's hits), the i-th of (alertIds[i], types[i],
 * values[i]); the same ids as deriveIndicatorId. Through node:crypto each SHA-256 of a short text
 * costs about a microsecond of call overhead, more than the hashing: when the native addon of
 * native/audit-hash.c is built, the whole list is hashed in one call (OpenSSL's SHA-256 either way).
 */
export function deriveIndicatorIds(
  alertIds: readonly string[],
  types: readonly string[],
  values: readonly string[],
): string[] {
  const count = alertIds.length;
  const ids: string[] = new Array(count);
  if (!nativeAuditHash || count < 8) {
    for (let i = 0; i < count; i++) ids[i] = deriveIndicatorId(alertIds[i]!, types[i]!, values[i]!);
    return ids;
  }
  const texts: string[] = new Array(count);
  const ends = new Uint32Array(count);
  let end = 0;
  for (let i = 0; i < count; i++) {
    const text = `${alertIds[i]}\n${types[i]}\n${values[i]}`;
    texts[i] = text;
    end += text.length;
    ends[i] = end;
  }
  const data = Buffer.from(texts.join(''), 'utf8');
  // Mostly ASCII, where characters are bytes; otherwise the ends are counted again in bytes.
  if (data.length !== end) {
    end = 0;
    for (let i = 0; i < count; i++) {
      end += Buffer.byteLength(texts[i]!, 'utf8');
      ends[i] = end;
    }
  }
  const digests = Buffer.allocUnsafe(32 * count);
  nativeAuditHash.sha256Each(data, ends, digests);
  const hex = digests.toString('hex');
  for (let i = 0; i < count; i++) ids[i] = idOf(alertIds[i]!, hex, 64 * i);
  return ids;
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
