// The custody report of a package: every event on the package and its items, each with the audit entry
// it is and that entry's inclusion proof against a signed tree head, so a reader can check it alone.
import { eq, inArray } from 'drizzle-orm';
import { createAuditService, type SignedTreeHead } from '../audit/audit-service.ts';
import { loadLeafHashes } from '../audit/verify-audit.ts';
import { payloadHash } from '../crypto/hash.ts';
import { inclusionProof } from '../crypto/merkle.ts';
import { exerciseBanner } from '../domain/exercises/report-labels.ts';
import { directoryReader } from '../federation/directory-reader.ts';
import { findPeer } from '../federation/peers.ts';
import { findRequest } from '../requests/request-store.ts';
import { evidencePackageItems, users } from '../store/schema/index.ts';
import { custodyOf } from './custody.ts';
import { isCaseOfficer, NotInCaseError } from './evidence-access.ts';
import type { EvidenceActor, EvidenceDeps } from './evidence-deps.ts';
import { createPackageService, packageView } from './package-service.ts';

export type CustodyEntry = {
  seq: number;
  at: string;
  actor: string;
  actorName: string | null;
  action: string;
  objectType: string;
  objectId: string;
  details: Record<string, unknown>;
  payloadHash: string;
  leafIndex: number;
  auditPath: string[];
};

export type TreeHead = SignedTreeHead;

export type SenderKeys = { state: string; signingKeys: { kid: string; publicJwk: unknown }[] };

export type CustodyReport = {
  typ: 'hanoi247-custody-report';
  node: string;
  /** 'EXERCISE — NOT A REAL CASE' for a package of an exercise (issue #18), printed first; null for real work. */
  banner: string | null;
  package: ReturnType<typeof packageView>;
  /** The signing keys of this node (every key set, with validity), to check the manifest and the tree head. */
  signer: { state: string; signingKeys: { kid: string; publicJwk: unknown; validFrom: string }[] };
  /** The keys of the State that sealed the package (this node's, or the directory's for a received one). */
  origin: SenderKeys;
  treeHead: TreeHead;
  events: CustodyEntry[];
};

export function createCustodyService(deps: EvidenceDeps) {
  const { db } = deps.database;
  const packages = createPackageService(deps);
  const audit = createAuditService(deps.database, deps.clock, deps.keyring, deps.nodeState);
  const readDirectory = directoryReader();

  /** The signing keys of the State that sealed a package: ours, or the directory's for a peer. */
  async function originKeys(origin: string): Promise<SenderKeys> {
    if (origin === deps.nodeState)
      return { state: origin, signingKeys: deps.keyring.directoryKeys().signingKeys };
    const document = await readDirectory(db);
    const peer = document ? findPeer(document, origin, deps.clock.now()) : null;
    return {
      state: origin,
      signingKeys: (peer?.signingKeys ?? []).map((k) => ({ kid: k.kid ?? '', publicJwk: k })),
    };
  }

  /** Case officers and auditors read the custody of a package (hashes and events, never the bytes). */
  async function report(packageId: string, actor: EvidenceActor): Promise<CustodyReport> {
    const row = await packages.find(db, packageId);
    if (!actor.roles.includes('AUDITOR')) {
      const request = await findRequest(db, row.requestId);
      if (!request || !(await isCaseOfficer(db, request.caseId, actor.id))) throw new NotInCaseError();
    }
    const itemRows = await db
      .select({ id: evidencePackageItems.itemId })
      .from(evidencePackageItems)
      .where(eq(evidencePackageItems.packageId, packageId));
    const events = await custodyOf(
      db,
      packageId,
      itemRows.map((i) => i.id),
    );
    const treeHead = await audit.signTreeHead();
    const leaves = await loadLeafHashes(db, treeHead.treeSize);
    const actorIds = [...new Set(events.map((e) => e.actor))].filter((a) => /^[0-9a-f-]{36}$/i.test(a));
    const names = actorIds.length
      ? await db
          .select({ id: users.id, username: users.username })
          .from(users)
          .where(inArray(users.id, actorIds))
      : [];
    const nameOf = new Map(names.map((n) => [n.id, n.username]));
    const manifest = row.manifest as { originState: string };
    return {
      typ: 'hanoi247-custody-report',
      node: deps.nodeState,
      banner: exerciseBanner(row.exerciseId, 'en'),
      package: packageView(row),
      signer: { state: deps.nodeState, signingKeys: deps.keyring.directoryKeys().signingKeys },
      origin: await originKeys(manifest.originState),
      treeHead,
      events: events
        .filter((e) => e.auditSeq <= treeHead.treeSize)
        .map((e) => ({
          seq: e.auditSeq,
          at: e.at.toISOString(),
          actor: e.actor,
          actorName: nameOf.get(e.actor) ?? null,
          action: e.action,
          objectType: e.objectType,
          objectId: e.objectId,
          details: e.details as Record<string, unknown>,
          payloadHash: payloadHash(e.details),
          leafIndex: e.auditSeq - 1,
          auditPath: inclusionProof(e.auditSeq - 1, leaves).map((h) => h.toString('hex')),
        })),
    };
  }

  return { report };
}

export type CustodyService = ReturnType<typeof createCustodyService>;
