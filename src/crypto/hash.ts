import { createHmac, hash } from 'node:crypto';

/** SHA-256 of bytes or of a string's UTF-8 encoding. */
export function sha256(data: Uint8Array | string): Buffer {
  return hash('sha256', data, 'buffer');
}

/** SHA-256 as 64 lowercase hex characters. */
export function sha256Hex(data: Uint8Array | string): string {
  return hash('sha256', data, 'hex');
}

/** HMAC-SHA-256 hex: lets identifiers be compared (and indexed) without being stored in clear. */
export function keyedHash(key: Uint8Array | string, value: Uint8Array | string): string {
  return createHmac('sha256', key).update(value).digest('hex');
}

/**
 * Deterministic JSON: object keys sorted recursively (by UTF-16 code units), no whitespace.
 * For the values it accepts this matches RFC 8785 (JCS). Throws on anything JSON.stringify would
 * silently drop or change (undefined, functions, symbols, NaN, Infinity, bigint, Map, Set, cycles),
 * because a hash over a silently altered payload would prove nothing.
 */
export function canonicalJson(value: unknown): string {
  return write(value, '$', new Set());
}

/** SHA-256 hex of the canonical JSON of a value: the hash that audit entries and envelopes carry. */
export function payloadHash(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}

function write(value: unknown, path: string, ancestors: Set<object>): string {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value))
        throw new TypeError(`canonicalJson: ${path} is ${value}, which JSON cannot hold`);
      return JSON.stringify(value);
    case 'object':
      if (value === null) return 'null';
      return writeObject(value, path, ancestors);
    default:
      throw new TypeError(`canonicalJson: ${path} is a ${typeof value}, which JSON cannot hold`);
  }
}

function writeObject(value: object, path: string, ancestors: Set<object>): string {
  if (ancestors.has(value)) throw new TypeError(`canonicalJson: ${path} refers back to itself`);
  if (value instanceof Map || value instanceof Set) {
    throw new TypeError(
      `canonicalJson: ${path} is a ${value.constructor.name}; convert it to an object or array`,
    );
  }
  // Dates (and Buffers) serialise through toJSON exactly as JSON.stringify would.
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return write(toJSON.call(value), path, ancestors);
  ancestors.add(value);
  let out: string;
  if (Array.isArray(value)) {
    // An index loop, not map(): map skips holes, which would yield invalid JSON like "[,1]".
    const items: string[] = [];
    for (let i = 0; i < value.length; i++) items.push(write(value[i], `${path}[${i}]`, ancestors));
    out = `[${items.join(',')}]`;
  } else {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).sort();
    out = `{${keys.map((k) => `${JSON.stringify(k)}:${write(record[k], `${path}.${k}`, ancestors)}`).join(',')}}`;
  }
  ancestors.delete(value);
  return out;
}
