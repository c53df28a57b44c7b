import assert from 'node:assert/strict';
import { describe, it, test } from 'node:test';
import {
  appendLeaf,
  consistencyProof,
  consistencyProofFromFrontier,
  emptyFrontier,
  frontierFromLeafHashes,
  frontierRoot,
  inclusionProof,
  inclusionProofFromLevels,
  leafHash,
  merkleLevels,
  rootFromLeafHashes,
  verifyConsistency,
  verifyInclusion,
} from '../../src/crypto/merkle.ts';

// The Certificate Transparency reference test vectors (leaf inputs and the roots of each prefix).
const INPUTS = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
];
const ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const leaves = INPUTS.map((hex) => leafHash(Buffer.from(hex, 'hex')));

function syntheticLeaves(n: number): Buffer[] {
  return Array.from({ length: n }, (_, i) => leafHash(`entry ${i}`));
}

describe('Merkle tree (RFC 9162)', () => {
  it('matches the Certificate Transparency reference roots for every prefix', () => {
    for (let n = 1; n <= 8; n++) {
      assert.equal(rootFromLeafHashes(leaves.slice(0, n)).toString('hex'), ROOTS[n - 1], `size ${n}`);
    }
    assert.equal(
      rootFromLeafHashes([]).toString('hex'),
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });

  it('keeps the frontier root equal to the full root at every size', () => {
    let frontier = emptyFrontier();
    const all = syntheticLeaves(70);
    for (let n = 1; n <= all.length; n++) {
      frontier = appendLeaf(frontier, all[n - 1]!);
      assert.equal(
        frontierRoot(frontier).toString('hex'),
        rootFromLeafHashes(all.slice(0, n)).toString('hex'),
      );
    }
  });

  it('proves and verifies inclusion of every leaf in every tree up to 32 leaves, and rejects wrong claims', () => {
    const all = syntheticLeaves(33);
    for (let n = 1; n < all.length; n++) {
      const tree = all.slice(0, n);
      const root = rootFromLeafHashes(tree);
      for (let i = 0; i < n; i++) {
        const path = inclusionProof(i, tree);
        assert.ok(verifyInclusion(i, n, tree[i]!, path, root), `leaf ${i} of ${n}`);
        if (n > 1) assert.equal(verifyInclusion((i + 1) % n, n, tree[i]!, path, root), false);
        assert.equal(verifyInclusion(i, n, leafHash('other'), path, root), false);
        // The size is bound by the signed tree head, not the path: a path checked against another tree's root fails.
        assert.equal(verifyInclusion(i, n, tree[i]!, path, rootFromLeafHashes(all.slice(0, n + 1))), false);
      }
    }
  });

  it('proves and verifies consistency between every pair of sizes up to 33, and rejects wrong roots', () => {
    const all = syntheticLeaves(33);
    for (let n = 1; n <= all.length; n++) {
      const tree = all.slice(0, n);
      const root = rootFromLeafHashes(tree);
      for (let m = 1; m <= n; m++) {
        const firstRoot = rootFromLeafHashes(tree.slice(0, m));
        const path = consistencyProof(m, tree);
        assert.ok(verifyConsistency(m, n, firstRoot, root, path), `${m} -> ${n}`);
        if (m < n) {
          assert.equal(verifyConsistency(m, n, leafHash('forged'), root, path), false);
          assert.equal(verifyConsistency(m, n, firstRoot, leafHash('forged'), path), false);
        }
      }
    }
  });

  it('refuses proofs for leaves or sizes outside the tree', () => {
    const tree = syntheticLeaves(5);
    assert.throws(() => inclusionProof(5, tree), RangeError);
    assert.throws(() => consistencyProof(6, tree), RangeError);
  });
});

test('a consistency proof from the old frontier and the new leaves equals the one from every leaf', () => {
  const all = Array.from({ length: 70 }, (_, i) => leafHash(Buffer.from(`leaf ${i}`)));
  for (let n = 1; n <= all.length; n++) {
    const leaves = all.slice(0, n);
    for (let m = 0; m <= n; m++) {
      const frontier = frontierFromLeafHashes(leaves.slice(0, m));
      const fromFrontier = consistencyProofFromFrontier(
        frontier.hashes.map((h) => Buffer.from(h, 'hex')),
        m,
        leaves.slice(m),
      );
      assert.deepEqual(fromFrontier, consistencyProof(m, leaves), `m=${m} n=${n}`);
    }
  }
});

test('proofs read from the kept levels equal inclusionProof and verify, for every leaf of trees of 1 to 70 leaves', () => {
  for (let n = 1; n <= 70; n++) {
    const leaves = Array.from({ length: n }, (_, i) => leafHash(`leaf ${i}`));
    const levels = merkleLevels(leaves);
    const root = rootFromLeafHashes(leaves);
    assert.deepEqual(levels.at(-1), [root], `root of ${n}`);
    for (let i = 0; i < n; i++) {
      const proof = inclusionProofFromLevels(i, levels);
      assert.deepEqual(proof, inclusionProof(i, leaves), `leaf ${i} of ${n}`);
      assert.ok(verifyInclusion(i, n, leaves[i]!, proof, root));
    }
    assert.throws(() => inclusionProofFromLevels(n, levels), RangeError);
  }
});
