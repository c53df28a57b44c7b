// Onward transfer node to node (art. 36): a package this node received (sealed and signed by another
// State) goes on to a third State's node, for a request between this node and that State, once the
// originating State's consent is recorded with the grant its node signed. The bytes travel like any
// package (transfer-sender's transmit): the manifest keeps the originating node's signature, and the
// offer carries the consent and this node's custody of the package, so the third node can check both.
// Without consent the transfer is refused and the refusal audited (consent-service).
import { randomBytes } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import { type EvidenceManifest, evidenceStateProblem } from '../domain/evidence/index.ts';
import { ConflictError, ValidationError } from '../shared/errors.ts';
import { uuidv7 } from '../shared/ids.ts';
import { evidenceOnwardTransfers } from '../store/schema/index.ts';
import { type ConsentService, thirdStateProblems } from './consent-service.ts';
import { custodyOf, recordPackageCustody } from './custody.ts';
import { requireCaseOfficer } from './evidence-access.ts';
import type { EvidenceActor, EvidenceDeps } from './evidence-deps.ts';
import { createPackageService } from './package-service.ts';
import type { SendHooks, TransferSender } from './transfer/transfer-sender.ts';

type OnwardRow = typeof evidenceOnwardTransfers.$inferSelect;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function onwardView(row: OnwardRow) {
  return {
    id: row.id,
    packageId: row.packageId,
    toState: row.toState,
    requestId: row.requestId,
    consentId: row.consentId,
    status: row.status as 'sending' | 'delivered',
    sentBy: row.sentBy,
    startedAt: row.startedAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
    receipt: row.receipt,
  };
}

export function createOnwardService(deps: EvidenceDeps, consents: ConsentService, sender: TransferSender) {
  const { db } = deps.database;
  const packages = createPackageService(deps);

  /** The onward transfer's record: made (and its start put in the custody) on the first send only. */
  async function start(
    pkg: { id: string; requestId: string; merkleRoot: string },
    input: { toState: string; requestId: string; consentId: string },
    actor: EvidenceActor,
  ): Promise<OnwardRow> {
    const now = deps.clock.now();
    return db.transaction(async (tx) => {
      const [made] = await tx
        .insert(evidenceOnwardTransfers)
        .values({
          id: uuidv7(now.getTime()),
          packageId: pkg.id,
          consentId: input.consentId,
          requestId: input.requestId,
          toState: input.toState,
          status: 'sending',
          receipt: null,
          sentBy: actor.id,
          startedAt: now,
          finishedAt: null,
        })
        .onConflictDoNothing()
        .returning();
      if (made) {
        await recordPackageCustody(
          tx,
          { requestId: pkg.requestId, packageId: pkg.id },
          {
            action: 'evidence.onward_send',
            actor: actor.id,
            details: {
              toState: input.toState,
              consentId: input.consentId,
              requestId: input.requestId,
              merkleRoot: pkg.merkleRoot,
              from: actor.address ?? null,
            },
          },
          now,
        );
        return made;
      }
      const [existing] = await tx
        .select()
        .from(evidenceOnwardTransfers)
        .where(
          and(
            eq(evidenceOnwardTransfers.packageId, pkg.id),
            eq(evidenceOnwardTransfers.toState, input.toState),
          ),
        )
        .for('update');
      if (existing!.requestId !== input.requestId)
        throw new ConflictError(
          `This package already goes to ${input.toState} for request ${existing!.requestId}; send again for that request to resume.`,
          'ERR_EVIDENCE_PACKAGE_STATE',
        );
      return existing!;
    });
  }

  /**
   * Sends a received package on to `toState`'s node for `requestId` (a request between this node and
   * that State in which evidence may travel); run again, it resumes where a cut transfer stopped.
   */
  async function send(
    packageId: string,
    actor: EvidenceActor,
    input: { toState?: unknown; requestId?: unknown },
    hooks: SendHooks = {},
  ) {
    const toState = typeof input.toState === 'string' ? input.toState : '';
    const requestId = typeof input.requestId === 'string' ? input.requestId : '';
    const pkg = await packages.findForOfficer(packageId, actor);
    const problems = thirdStateProblems(pkg.manifest as EvidenceManifest, deps.nodeState, toState);
    if (!UUID.test(requestId))
      problems.push({ field: '/requestId', message: 'must be the id of a request with the third State' });
    if (problems.length > 0) throw new ValidationError(problems);
    if (pkg.status !== 'verified')
      throw new ConflictError(
        `This package is ${pkg.status}: a package goes on once it was received and verified here.`,
        'ERR_EVIDENCE_PACKAGE_STATE',
      );
    const consent = await consents.requireOnwardConsent(pkg, toState, actor, { signed: true });
    const request = await requireCaseOfficer(db, requestId, actor.id, deps.clock);
    if (request.partnerState !== toState)
      throw new ValidationError([
        { field: '/requestId', message: `is a request with ${request.partnerState}, not with ${toState}` },
      ]);
    const stateProblem = evidenceStateProblem(request);
    if (stateProblem)
      throw new ConflictError(
        `No evidence goes to ${toState} for request ${requestId}: ${stateProblem}.`,
        'ERR_EVIDENCE_REQUEST_STATE',
      );
    const peer = await sender.peerFor(toState);
    const row = await start(pkg, { toState, requestId, consentId: consent!.id }, actor);
    // What this node recorded of the package (received, verified, consent asked and granted, sent on),
    // declared in the offer it signs: the third node keeps it with the package.
    const custody = (await custodyOf(db, packageId, [])).map((c) => ({
      seq: c.auditSeq,
      action: c.action,
      at: c.at.toISOString(),
    }));
    const { receipt, verifiedAt, ...counts } = await sender.transmit(pkg, peer, randomBytes(32), hooks, {
      requestId,
      consentId: consent!.id,
      grant: consent!.grantJws!,
      custody,
    });
    const finished = deps.clock.now();
    await db.transaction(async (tx) => {
      await tx
        .update(evidenceOnwardTransfers)
        .set({ status: 'delivered', receipt, finishedAt: finished })
        .where(eq(evidenceOnwardTransfers.id, row.id));
      if (row.status !== 'delivered')
        await recordPackageCustody(
          tx,
          { requestId: pkg.requestId, packageId },
          {
            action: 'evidence.onward_delivered',
            actor: actor.id,
            details: { toState, consentId: consent!.id, requestId, verifiedAt },
          },
          finished,
        );
    });
    return { packageId, toState, requestId, consentId: consent!.id, ...counts, receipt };
  }

  /** The onward transfers this node made of a package, oldest first. */
  async function list(packageId: string, actor: EvidenceActor) {
    await packages.findForOfficer(packageId, actor);
    const rows = await db
      .select()
      .from(evidenceOnwardTransfers)
      .where(eq(evidenceOnwardTransfers.packageId, packageId))
      .orderBy(asc(evidenceOnwardTransfers.startedAt));
    return rows.map(onwardView);
  }

  return { send, list };
}

export type OnwardService = ReturnType<typeof createOnwardService>;
