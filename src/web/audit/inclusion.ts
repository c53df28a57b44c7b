// RFC 9162 §2.1.3.2 inclusion-proof verification in the browser (Web Crypto SHA-256), so the reader
// checks for themself that an audit entry is in the log whose signed tree head the node published.

function fromHex(hex: string): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

function toHex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** SHA-256(0x01 || left || right): an inner node of the tree. */
async function nodeHash(left: Uint8Array, right: Uint8Array): Promise<Uint8Array> {
  const input = new Uint8Array(1 + left.length + right.length);
  input[0] = 0x01;
  input.set(left, 1);
  input.set(right, 1 + left.length);
  return new Uint8Array(await crypto.subtle.digest('SHA-256', input));
}

/** Whether `auditPath` proves that `leafHash` is leaf `index` of the tree of `treeSize` with `rootHash`. */
export async function verifyInclusion(
  index: number,
  treeSize: number,
  leafHash: string,
  auditPath: readonly string[],
  rootHash: string,
): Promise<boolean> {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(treeSize) || index < 0 || index >= treeSize)
    return false;
  if (!/^[0-9a-f]{64}$/i.test(leafHash) || !/^[0-9a-f]{64}$/i.test(rootHash)) return false;
  let fn = index;
  let sn = treeSize - 1;
  let r = fromHex(leafHash) as Uint8Array;
  for (const hex of auditPath) {
    if (sn === 0 || !/^[0-9a-f]{64}$/i.test(hex)) return false;
    const p = fromHex(hex);
    if (fn % 2 === 1 || fn === sn) {
      r = await nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = await nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && toHex(r) === rootHash.toLowerCase();
}
