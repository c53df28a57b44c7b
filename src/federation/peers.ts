// A peer node as the directory describes it: where to post messages and which public keys are
// valid today. Only a Party's authority carrying a `node` entry counts; the 24/7 point first.
import type { Jwk } from '../crypto/node-keys.ts';
import type { DirectoryDocument, NodeKey } from '../domain/directory/index.ts';

export type Peer = { party: string; url: string; signingKeys: Jwk[]; encryptionKeys: Jwk[] };

function validKeys(keys: readonly NodeKey[], now: Date): Jwk[] {
  const t = now.getTime();
  return keys
    .filter(
      (k) =>
        Date.parse(k.validFrom) <= t &&
        (k.validUntil === undefined || Date.parse(k.validUntil) > t) &&
        (k.revokedAt === undefined || Date.parse(k.revokedAt) > t),
    )
    .map((k) => ({ ...(k.publicJwk as Jwk), kid: k.kid }));
}

/** The node of a Party, with the keys valid at `now`; null when the Party has no node. */
export function findPeer(document: DirectoryDocument, party: string, now: Date): Peer | null {
  const entry = document.parties.find((p) => p.code === party);
  if (!entry) return null;
  const authorities = [...entry.authorities].sort(
    (a, b) => Number(b.kind === 'POINT_24_7') - Number(a.kind === 'POINT_24_7'),
  );
  const withNode = authorities.find((a) => a.node);
  if (!withNode?.node) return null;
  return {
    party,
    url: withNode.node.url.replace(/\/+$/, ''),
    signingKeys: validKeys(withNode.node.signingKeys, now),
    encryptionKeys: validKeys(withNode.node.encryptionKeys, now),
  };
}
