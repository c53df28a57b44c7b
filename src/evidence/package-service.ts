// Sealing evidence packages: the executing officer seals chosen items into a manifest the node signs;
// a sealed package never changes (a correction is a new package naming the one it supersedes), and a
// second person approves it before it leaves (four eyes).
import { asc, eq, inArray } from 'drizzle-orm';
import {
  type EvidenceManifest,
  evidenceStateProblem,
  type ManifestItem,
  type OnwardOrigin,
} from '../domain/evidence/index.ts';
import { caseReferenceOf } from '../requests/request-store.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../shared/errors.ts';
import { uuidv7 } from '../shared/ids.ts';
import type { Db } from '../store/database.ts';
import {
  evidenceBlobs,
  evidenceItems,
  evidencePackageItems,
  evidencePackages,
} from '../store/schema/index.ts';
import { recordCustody } from './custody.ts';
import { requireCaseOfficer } from './evidence-access.ts';
import { CHUNK_SIZE } from './evidence-crypto.ts';
import type { EvidenceActor, EvidenceDeps } from './evidence-deps.ts';
import { requireExerciseOpen, requireSameSide } from './exercise-boundary.ts';
import { buildManifest } from './package-manifest.ts';

export type SealInput = {
  /** Items to seal, in order; default: every item of the request not yet in a package. */
  itemIds?: string[];
  supersedes?: string;
  retentionDays?: number;
  conditions?: string[];
};

export type PackageRow = typeof evidencePackages.$inferSelect;

const DEFAULT_RETENTION_DAYS = 3650;

export function packageView(row: PackageRow) {
  return {
    id: row.id,
    requestId: row.requestId,
    status: row.status,
    merkleRoot: row.merkleRoot,
    supersedes: row.supersedes,
    sealedBy: row.sealedBy,
    sealedAt: row.sealedAt.toISOString(),
    approvedBy: row.approvedBy,
    approvedAt: row.approvedAt?.toISOString() ?? null,
    retentionUntil: row.retentionUntil?.toISOString() ?? null,
    deletedAt: row.deletedAt?.toISOString() ?? null,
    /** The exercise of its request (shown as EXERCISE); null for real evidence. */
    exerciseId: row.exerciseId ?? null,
    manifest: row.manifest as EvidenceManifest,
    jws: row.jws,
    /** On a third State's node: which State passed it on, under which consent of the originating State. */
    onward: (row.onward as OnwardOrigin | null) ?? null,
  };
}

export function createPackageService(deps: EvidenceDeps) {
  const { db } = deps.database;

  async function chooseItems(tx: Db, request: { id: string; exerciseId: string | null }, input: SealInput) {
    const requestId = request.id;
    if (input.itemIds !== undefined) {
      const unique = [...new Set(input.itemIds)];
      if (unique.length !== input.itemIds.length)
        throw new ValidationError([{ field: '/itemIds', message: 'names an item twice' }]);
      const rows = unique.length
        ? await tx.select().from(evidenceItems).where(inArray(evidenceItems.id, unique))
        : [];
      // The boundary first: an exercise item named for a real request (or the reverse) is that, not a typo.
      for (const row of rows) requireSameSide(`Item ${row.id}`, row.exerciseId, request);
      const byId = new Map(rows.filter((r) => r.requestId === requestId).map((r) => [r.id, r]));
      const missing = unique.filter((id) => !byId.has(id));
      if (missing.length > 0)
        throw new ValidationError(
          missing.map((id) => ({ field: '/itemIds', message: `${id} is not an item of this request` })),
        );
      return unique.map((id) => byId.get(id)!);
    }
    const all = await tx
      .select()
      .from(evidenceItems)
      .where(eq(evidenceItems.requestId, requestId))
      .orderBy(asc(evidenceItems.id));
    const packed = all.length
      ? await tx
          .select({ id: evidencePackageItems.itemId })
          .from(evidencePackageItems)
          .where(
            inArray(
              evidencePackageItems.itemId,
              all.map((i) => i.id),
            ),
          )
      : [];
    const done = new Set(packed.map((p) => p.id));
    const items = all.filter((i) => !done.has(i.id));
    for (const item of items) requireSameSide(`Item ${item.id}`, item.exerciseId, request);
    return items;
  }

  async function seal(requestId: string, actor: EvidenceActor, input: SealInput) {
    const request = await requireCaseOfficer(db, requestId, actor.id, deps.clock);
    const problem = evidenceStateProblem(request);
    if (problem)
      throw new ConflictError(`No package can be sealed: ${problem}.`, 'ERR_EVIDENCE_REQUEST_STATE');
    await requireExerciseOpen(db, request.exerciseId);
    const retentionDays = input.retentionDays ?? DEFAULT_RETENTION_DAYS;
    if (!Number.isInteger(retentionDays) || retentionDays < 1 || retentionDays > 36500)
      throw new ValidationError([
        { field: '/retentionDays', message: 'must be a whole number of days from 1 to 36500' },
      ]);
    const now = deps.clock.now();
    const id = uuidv7(now.getTime());
    return db.transaction(async (tx) => {
      if (input.supersedes) await checkSupersedes(tx, input.supersedes, requestId);
      const items = await chooseItems(tx, request, input);
      if (items.length === 0)
        throw new ConflictError(
          'There is nothing to seal: add evidence items first (every item of this request is already in a package).',
          'ERR_EVIDENCE_EMPTY_PACKAGE',
        );
      const blobs = await tx
        .select()
        .from(evidenceBlobs)
        .where(inArray(evidenceBlobs.sha256, [...new Set(items.map((i) => i.sha256))]));
      const blobOf = new Map(blobs.map((b) => [b.sha256, b]));
      const gone = items.filter((i) => blobOf.get(i.sha256)?.deletedAt);
      if (gone.length > 0)
        throw new ConflictError(
          `Items ${gone.map((i) => i.id).join(', ')} were deleted under retention and cannot be sealed.`,
          'ERR_EVIDENCE_DELETED',
        );
      const manifestItems: ManifestItem[] = items.map((i) => ({
        id: i.id,
        fileName: i.fileName,
        mediaType: i.mediaType,
        sha256: i.sha256,
        size: i.size,
        chunkCount: blobOf.get(i.sha256)!.chunkCount,
        chunkRoot: blobOf.get(i.sha256)!.chunkRoot,
        description: i.description,
        source: i.source,
        custodian: i.custodian,
        domesticOrder: i.domesticOrder,
        acquiredAt: i.acquiredAt.toISOString(),
        acquiredBy: i.acquiredBy,
        personalData: i.personalData as ManifestItem['personalData'],
      }));
      const retentionUntil = new Date(now.getTime() + retentionDays * 86_400_000);
      const manifest = buildManifest({
        packageId: id,
        supersedes: input.supersedes ?? null,
        originState: deps.nodeState,
        recipientState: request.partnerState,
        requestId,
        requestType: request.type,
        caseReference: await caseReferenceOf(tx, request.caseId),
        legalBasis: { basis: request.legalBasis, treatyRef: request.treatyRef },
        conditions: {
          speciality: true,
          onwardTransfer: 'PROHIBITED_WITHOUT_CONSENT',
          other: input.conditions ?? [],
        },
        retentionUntil: retentionUntil.toISOString(),
        sealedAt: now.toISOString(),
        chunkSize: CHUNK_SIZE,
        items: manifestItems,
        // Signed with the rest: the receiving node takes it only for the same exercise's request.
        ...(request.exerciseId ? { exerciseId: request.exerciseId } : {}),
      });
      const jws = await deps.keyring.sign(manifest as unknown as Record<string, unknown>);
      const row = {
        id,
        requestId,
        status: 'sealed',
        manifest,
        jws,
        merkleRoot: manifest.merkle.root,
        supersedes: input.supersedes ?? null,
        sealedBy: actor.id,
        sealedAt: now,
        approvedBy: null,
        approvedAt: null,
        retentionUntil,
        deletedAt: null,
        exerciseId: request.exerciseId,
        onward: null,
      };
      await tx.insert(evidencePackages).values(row);
      await tx
        .insert(evidencePackageItems)
        .values(items.map((i, position) => ({ packageId: id, itemId: i.id, position })));
      await recordCustody(
        tx,
        {
          requestId,
          packageId: id,
          objectType: 'evidence_package',
          objectId: id,
          action: 'evidence.package_seal',
          actor: actor.id,
          details: {
            merkleRoot: manifest.merkle.root,
            items: manifestItems.map((i) => i.sha256),
            supersedes: input.supersedes ?? null,
            from: actor.address ?? null,
          },
        },
        now,
      );
      return packageView(row);
    });
  }

  async function checkSupersedes(tx: Db, supersedes: string, requestId: string): Promise<void> {
    const [old] = /^[0-9a-f-]{36}$/i.test(supersedes)
      ? await tx.select().from(evidencePackages).where(eq(evidencePackages.id, supersedes))
      : [];
    if (!old || old.requestId !== requestId)
      throw new ValidationError([{ field: '/supersedes', message: 'is not a package of this request' }]);
    const [already] = await tx
      .select({ id: evidencePackages.id })
      .from(evidencePackages)
      .where(eq(evidencePackages.supersedes, supersedes));
    if (already)
      throw new ConflictError(
        `Package ${supersedes} is already superseded by ${already.id}: correct that one instead.`,
        'ERR_EVIDENCE_SUPERSEDED',
      );
  }

  async function find(tx: Db, id: string, lock = false): Promise<PackageRow> {
    const query = tx.select().from(evidencePackages).where(eq(evidencePackages.id, id));
    const [row] = /^[0-9a-f-]{36}$/i.test(id) ? (lock ? await query.for('update') : await query) : [];
    if (!row) throw new NotFoundError('Evidence package', id);
    return row;
  }

  /** The package, for an officer of its request's case only (404, then 403, audited). */
  async function findForOfficer(id: string, actor: EvidenceActor): Promise<PackageRow> {
    const row = await find(db, id);
    await requireCaseOfficer(db, row.requestId, actor.id, deps.clock);
    return row;
  }

  async function get(id: string, actor: EvidenceActor) {
    return packageView(await findForOfficer(id, actor));
  }

  /** Four eyes: another officer of the case approves the sealed package before it may leave. */
  async function approve(id: string, actor: EvidenceActor) {
    const found = await find(db, id);
    await requireCaseOfficer(db, found.requestId, actor.id, deps.clock);
    await requireExerciseOpen(db, found.exerciseId);
    const now = deps.clock.now();
    return db.transaction(async (tx) => {
      const row = await find(tx, id, true);
      if (row.status !== 'sealed')
        throw new ConflictError(
          `This package is ${row.status}, not waiting for approval.`,
          'ERR_EVIDENCE_PACKAGE_STATE',
        );
      if (row.sealedBy === actor.id)
        throw new ForbiddenError(
          'Four eyes: the officer who sealed a package cannot approve it. Another officer must do it.',
          'ERR_FOUR_EYES',
        );
      const [superseding] = await tx
        .select({ id: evidencePackages.id })
        .from(evidencePackages)
        .where(eq(evidencePackages.supersedes, id));
      if (superseding)
        throw new ConflictError(
          `Package ${id} is superseded by ${superseding.id}.`,
          'ERR_EVIDENCE_SUPERSEDED',
        );
      await tx
        .update(evidencePackages)
        .set({ status: 'approved', approvedBy: actor.id, approvedAt: now })
        .where(eq(evidencePackages.id, id));
      await recordCustody(
        tx,
        {
          requestId: row.requestId,
          packageId: id,
          objectType: 'evidence_package',
          objectId: id,
          action: 'evidence.package_approve',
          actor: actor.id,
          details: { merkleRoot: row.merkleRoot, from: actor.address ?? null },
        },
        now,
      );
      return packageView({ ...row, status: 'approved', approvedBy: actor.id, approvedAt: now });
    });
  }

  return { seal, get, approve, find, findForOfficer };
}

export type PackageService = ReturnType<typeof createPackageService>;

/** How a package left the node other than by federation (art. 35; partners without a node). */
export const HANDOVER_KINDS = ['EXPORT', 'DELIVERY', 'COURT'] as const;
export type HandoverKind = (typeof HANDOVER_KINDS)[number];
const HANDOVER_ACTIONS: Record<HandoverKind, string> = {
  EXPORT: 'evidence.package_export',
  DELIVERY: 'evidence.package_deliver',
  COURT: 'evidence.package_to_court',
};

/** Records an export, a hand delivery or a handing to a court in the package's chain of custody. */
export async function recordHandover(
  deps: EvidenceDeps,
  packageId: string,
  actor: EvidenceActor,
  input: { kind: HandoverKind; recipient: string; toState?: string; language?: string; note?: string },
) {
  const { db } = deps.database;
  const row = await createPackageService(deps).find(db, packageId);
  await requireCaseOfficer(db, row.requestId, actor.id, deps.clock);
  await requireExerciseOpen(db, row.exerciseId);
  if (row.status === 'sealed' || row.status === 'deleted')
    throw new ConflictError(
      row.status === 'sealed'
        ? 'A package leaves only once approved by a second officer (four eyes).'
        : 'The bytes of this package were deleted under retention.',
      'ERR_EVIDENCE_PACKAGE_STATE',
    );
  const now = deps.clock.now();
  const seq = await db.transaction((tx) =>
    recordCustody(
      tx,
      {
        requestId: row.requestId,
        packageId,
        objectType: 'evidence_package',
        objectId: packageId,
        action: HANDOVER_ACTIONS[input.kind],
        actor: actor.id,
        details: {
          recipient: input.recipient,
          ...(input.toState ? { toState: input.toState } : {}),
          ...(input.language ? { language: input.language } : {}),
          note: input.note ?? null,
          merkleRoot: row.merkleRoot,
          from: actor.address ?? null,
        },
      },
      now,
    ),
  );
  return { packageId, kind: input.kind, auditSeq: seq, at: now.toISOString() };
}
