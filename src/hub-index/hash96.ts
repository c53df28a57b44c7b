// A seeded 96-bit hash of (type, value) for the in-memory index, on the murmur3 x86_128 pattern
// (four 32-bit lanes that feed each other, fmix32 avalanche at the end) over the characters.
// Why not SHA-256: on this hardware one SHA-256 of a short string costs about 3 µs through
// node:crypto, which alone would cap lookups near 350,000/s; this hash costs tens of ns.
// Why seeded: the seed is random per process, so values cannot be chosen by trying hashes offline
// to pile into one probe run. 96 bits make a chance false match vanishingly rare (see DigestTable).
// It is not a keyed PRF like SipHash: murmur-style mixing has known seed-independent collision
// constructions, so someone who can both publish and check values could aim for a crafted
// collision; such a "match" only ever shows alerts the asker may already read.

const C1 = 0x239b961b;
const C2 = 0xab0e9789;
const C3 = 0x38b34ae5;
const C4 = 0xa1e38b93;

function rotl(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}

export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Lane seeds: four 32-bit words. */
export type Seed = Uint32Array;

export function seedFromBytes(bytes: Uint8Array): Seed {
  if (bytes.length < 16) throw new Error('hash seed needs 16 bytes');
  const view = new DataView(bytes.buffer, bytes.byteOffset, 16);
  return Uint32Array.of(view.getUint32(0), view.getUint32(4), view.getUint32(8), view.getUint32(12));
}

/**
 * Hashes `value` under `tag` (the indicator type's number, so equal text of two types gives two
 * keys without building "type:value" strings) and writes the 96-bit result as out[0], out[1]
 * (the home-slot word) and out[2], or from out[at] on. Writing into a caller's array keeps lookups
 * free of allocation, and a bulk lookup hashes a block of values straight into one packed array.
 *
 * Normalised indicators are nearly always Latin-1, so four characters go into each 32-bit word,
 * which halves the mixing work. A value holding any character above U+00FF is hashed again by
 * hashWide, two code units a word, under a different lane constant: each packing is injective on
 * the strings it serves, so no two values are made equal by the packing itself.
 */
export function hash96(seed: Seed, tag: number, value: string, out: Uint32Array, at = 0): void {
  let h1 = seed[0]! ^ fmix32(tag + 0x9e3779b9);
  let h2 = seed[1]! ^ fmix32(tag + 0x7f4a7c15);
  let h3 = seed[2]!;
  let h4 = seed[3]!;
  const length = value.length;
  const blocks = length & ~15;
  let wide = 0;
  let i = 0;
  for (; i < blocks; i += 16) {
    const c0 = value.charCodeAt(i);
    const c1 = value.charCodeAt(i + 1);
    const c2 = value.charCodeAt(i + 2);
    const c3 = value.charCodeAt(i + 3);
    const c4 = value.charCodeAt(i + 4);
    const c5 = value.charCodeAt(i + 5);
    const c6 = value.charCodeAt(i + 6);
    const c7 = value.charCodeAt(i + 7);
    const c8 = value.charCodeAt(i + 8);
    const c9 = value.charCodeAt(i + 9);
    const c10 = value.charCodeAt(i + 10);
    const c11 = value.charCodeAt(i + 11);
    const c12 = value.charCodeAt(i + 12);
    const c13 = value.charCodeAt(i + 13);
    const c14 = value.charCodeAt(i + 14);
    const c15 = value.charCodeAt(i + 15);
    wide |= c0 | c1 | c2 | c3 | c4 | c5 | c6 | c7 | c8 | c9 | c10 | c11 | c12 | c13 | c14 | c15;
    let k1 = c0 | (c1 << 8) | (c2 << 16) | (c3 << 24);
    let k2 = c4 | (c5 << 8) | (c6 << 16) | (c7 << 24);
    let k3 = c8 | (c9 << 8) | (c10 << 16) | (c11 << 24);
    let k4 = c12 | (c13 << 8) | (c14 << 16) | (c15 << 24);

    k1 = Math.imul(rotl(Math.imul(k1, C1), 15), C2);
    h1 ^= k1;
    h1 = rotl(h1, 19) + h2;
    h1 = (Math.imul(h1, 5) + 0x561ccd1b) | 0;

    k2 = Math.imul(rotl(Math.imul(k2, C2), 16), C3);
    h2 ^= k2;
    h2 = rotl(h2, 17) + h3;
    h2 = (Math.imul(h2, 5) + 0x0bcaa747) | 0;

    k3 = Math.imul(rotl(Math.imul(k3, C3), 17), C4);
    h3 ^= k3;
    h3 = rotl(h3, 15) + h4;
    h3 = (Math.imul(h3, 5) + 0x96cd1c35) | 0;

    k4 = Math.imul(rotl(Math.imul(k4, C4), 18), C1);
    h4 ^= k4;
    h4 = rotl(h4, 13) + h1;
    h4 = (Math.imul(h4, 5) + 0x32ac3b17) | 0;
  }
  if (i < length) {
    // Tail: up to fifteen characters, zero-padded into the four lane words.
    let k1 = 0;
    let k2 = 0;
    let k3 = 0;
    let k4 = 0;
    for (let j = 0; i + j < length; j++) {
      const c = value.charCodeAt(i + j);
      wide |= c;
      const shifted = c << ((j & 3) << 3);
      const word = j >> 2;
      if (word === 0) k1 |= shifted;
      else if (word === 1) k2 |= shifted;
      else if (word === 2) k3 |= shifted;
      else k4 |= shifted;
    }
    h4 ^= Math.imul(rotl(Math.imul(k4, C4), 18), C1);
    h3 ^= Math.imul(rotl(Math.imul(k3, C3), 17), C4);
    h2 ^= Math.imul(rotl(Math.imul(k2, C2), 16), C3);
    h1 ^= Math.imul(rotl(Math.imul(k1, C1), 15), C2);
  }
  if (wide > 0xff) {
    hashWide(seed, tag, value, out, at);
    return;
  }
  h1 ^= length;
  h2 ^= length;
  h3 ^= length;
  h4 ^= length;
  h1 = (h1 + h2 + h3 + h4) | 0;
  h2 = (h2 + h1) | 0;
  h3 = (h3 + h1) | 0;
  h4 = (h4 + h1) | 0;
  h1 = fmix32(h1);
  h2 = fmix32(h2);
  h3 = fmix32(h3);
  h4 = fmix32(h4);
  h1 = (h1 + h2 + h3 + h4) | 0;
  h2 = (h2 + h1) | 0;
  h3 = (h3 + h1) | 0;
  out[at] = h1;
  out[at + 1] = h2;
  out[at + 2] = h3;
}

/** The general form: two UTF-16 code units per 32-bit word. */
function hashWide(seed: Seed, tag: number, value: string, out: Uint32Array, at: number): void {
  let h1 = seed[0]! ^ fmix32(tag + 0x9e3779b9) ^ 0x5bd1e995;
  let h2 = seed[1]! ^ fmix32(tag + 0x7f4a7c15);
  let h3 = seed[2]!;
  let h4 = seed[3]!;
  const length = value.length;
  const blocks = length & ~7;
  let i = 0;
  for (; i < blocks; i += 8) {
    let k1 = value.charCodeAt(i) | (value.charCodeAt(i + 1) << 16);
    let k2 = value.charCodeAt(i + 2) | (value.charCodeAt(i + 3) << 16);
    let k3 = value.charCodeAt(i + 4) | (value.charCodeAt(i + 5) << 16);
    let k4 = value.charCodeAt(i + 6) | (value.charCodeAt(i + 7) << 16);

    k1 = Math.imul(rotl(Math.imul(k1, C1), 15), C2);
    h1 ^= k1;
    h1 = rotl(h1, 19) + h2;
    h1 = (Math.imul(h1, 5) + 0x561ccd1b) | 0;

    k2 = Math.imul(rotl(Math.imul(k2, C2), 16), C3);
    h2 ^= k2;
    h2 = rotl(h2, 17) + h3;
    h2 = (Math.imul(h2, 5) + 0x0bcaa747) | 0;

    k3 = Math.imul(rotl(Math.imul(k3, C3), 17), C4);
    h3 ^= k3;
    h3 = rotl(h3, 15) + h4;
    h3 = (Math.imul(h3, 5) + 0x96cd1c35) | 0;

    k4 = Math.imul(rotl(Math.imul(k4, C4), 18), C1);
    h4 ^= k4;
    h4 = rotl(h4, 13) + h1;
    h4 = (Math.imul(h4, 5) + 0x32ac3b17) | 0;
  }
  // Tail: up to seven code units, zero-padded into the four lanes.
  if (i < length) {
    let k1 = 0;
    let k2 = 0;
    let k3 = 0;
    let k4 = 0;
    const rest = length - i;
    k1 = value.charCodeAt(i) | (rest > 1 ? value.charCodeAt(i + 1) << 16 : 0);
    if (rest > 2) k2 = value.charCodeAt(i + 2) | (rest > 3 ? value.charCodeAt(i + 3) << 16 : 0);
    if (rest > 4) k3 = value.charCodeAt(i + 4) | (rest > 5 ? value.charCodeAt(i + 5) << 16 : 0);
    if (rest > 6) k4 = value.charCodeAt(i + 6);
    h4 ^= Math.imul(rotl(Math.imul(k4, C4), 18), C1);
    h3 ^= Math.imul(rotl(Math.imul(k3, C3), 17), C4);
    h2 ^= Math.imul(rotl(Math.imul(k2, C2), 16), C3);
    h1 ^= Math.imul(rotl(Math.imul(k1, C1), 15), C2);
  }
  h1 ^= length;
  h2 ^= length;
  h3 ^= length;
  h4 ^= length;
  h1 = (h1 + h2 + h3 + h4) | 0;
  h2 = (h2 + h1) | 0;
  h3 = (h3 + h1) | 0;
  h4 = (h4 + h1) | 0;
  h1 = fmix32(h1);
  h2 = fmix32(h2);
  h3 = fmix32(h3);
  h4 = fmix32(h4);
  h1 = (h1 + h2 + h3 + h4) | 0;
  h2 = (h2 + h1) | 0;
  h3 = (h3 + h1) | 0;
  out[at] = h1;
  out[at + 1] = h2;
  out[at + 2] = h3;
}
