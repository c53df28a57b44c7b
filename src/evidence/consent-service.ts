// Consent to onward transfer (art. 36): the State that received a package asks the State that sealed
// it, over federation, before handing it to a third State; the originating State's officer answers,
// and the answer travels back. Each side records its half and every step in the chain of custody; an
// answer from any State but the originating one is refused, and so is a request from any State but the
// one the package was delivered to. A handing-over to a third State without a recorded consent is
// blocked (and the refusal audited).
import { and, asc, eq } from 'drizzle-orm';
import { appendAudit } from '../audit/audit-log.ts';
import { isIso3166Alpha2 } from '../domain/directory/iso-3166.ts';
import {
  CONSENT_ANSWER_MESSAGE,
  CONSENT_DECISIONS,
  CONSENT_GRANT_TYPE,
  CONSENT_REQUEST_MESSAGE,
  type ConsentAnswerBody,
  type ConsentDecision,
  type ConsentGrant,
  type ConsentRequestBody,
  consentAnswerProblems,
  consentRequestProblems,
  type EvidenceManifest,
  needsOnwardConsent,
} from '../domain/evidence/index.ts';
import { PeerProtocolError } from '../federation/federation-errors.ts';
import { enqueueMessage } from '../federation/outbox-store.ts';
import { AppError, ConflictError, NotFoundError, ValidationError } from '../shared/errors.ts';
import { uuidv7 } from '../shared/ids.ts';
import type { Db } from '../store/database.ts';
import { evidenceConsents, evidencePackages } from '../store/schema/index.ts';
import { recordPackageCustody } from './custody.ts';
import { requireCaseOfficer } from './evidence-access.ts';
import type { EvidenceActor, EvidenceDeps } from './evidence-deps.ts';
import { BOUNDARY_CODE } from './exercise-boundary.ts';
import { createPackageService, type PackageRow } from './package-service.ts';

/** How consent messages leave: the federation outbox's message lifetime, and a nudge to its sender. */
export type ConsentLink = { lifetimeMs: number; nudge: () => void };

export const DEFAULT_CONSENT_LINK: ConsentLink = { lifetimeMs: 3 * 24 * 3_600_000, nudge: () => {} };

export type ConsentRow = typeof evidenceConsents.$inferSelect;

const STATE = /^[A-Z]{2}$/;
const UUID = /^[0-9a-f-]{36}$/i;

export function consentView(row: ConsentRow) {
  return {
    id: row.id,
    packageId: row.packageId,
    requestId: row.requestId,
    direction: row.direction as 'OUT' | 'IN',
    originState: row.originState,
    askingState: row.askingState,
    toState: row.toState,
    purpose: row.purpose,
    status: row.status as 'pending' | 'granted' | 'refused',
    askedBy: row.askedBy,
    askedAt: row.askedAt.toISOString(),
    answeredBy: row.answeredBy,
    answeredAt: row.answeredAt?.toISOString() ?? null,
    reason: row.reason,
    /** Whether the grant signed by the originating node is held (what a third State's node checks). */
    signedGrant: row.grantJws !== null,
  };
}

/** Whether `toState` is a third State this node may pass the package on to (with consent). */
export function thirdStateProblems(
  manifest: EvidenceManifest,
  nodeState: string,
  toState: string,
): { field: string; message: string }[] {
  if (!STATE.test(toState) || !isIso3166Alpha2(toState))
    return [{ field: '/toState', message: 'must be an ISO 3166 alpha-2 code such as ES' }];
  if (!needsOnwardConsent(manifest, nodeState, toState))
    return [
      {
        field: '/toState',
        message:
          manifest.originState === nodeState
            ? 'this node sealed the package: passing it on needs no other State’s consent'
            : `${toState} is not a third State for this package: no consent is needed`,
      },
    ];
  return [];
}

export class WrongConsentStateError extends AppError {
  constructor(message: string) {
    super('ERR_EVIDENCE_CONSENT_WRONG_STATE', 422, message);
  }
}

export function createConsentService(deps: EvidenceDeps, link: ConsentLink = DEFAULT_CONSENT_LINK) {
  const { db } = deps.database;
  const packages = createPackageService(deps);

  /** The receiving node asks the originating State for consent to pass the package to `toState`. */
  async function ask(
    packageId: string,
    actor: EvidenceActor,
    input: { toState?: unknown; purpose?: unknown },
  ) {
    const pkg = await packages.find(db, packageId);
    await requireCaseOfficer(db, pkg.requestId, actor.id, deps.clock);
    // Consent is asked over real traffic, for a real third State: never for an exercise's evidence.
    if (pkg.exerciseId)
      throw new ConflictError(
        `Package ${packageId} belongs to exercise ${pkg.exerciseId}: exercise evidence is never passed on to a third State.`,
        BOUNDARY_CODE,
      );
    const manifest = pkg.manifest as EvidenceManifest;
    const toState = typeof input.toState === 'string' ? input.toState : '';
    const purpose = typeof input.purpose === 'string' ? input.purpose.trim() : '';
    const problems = thirdStateProblems(manifest, deps.nodeState, toState);
    if (purpose === '' || purpose.length > 2000)
      problems.push({ field: '/purpose', message: 'must say why, in 1 to 2000 characters' });
    if (problems.length > 0) throw new ValidationError(problems);
    if (pkg.status !== 'verified')
      throw new ConflictError(
        `This package is ${pkg.status}: consent is asked for a package received and verified.`,
        'ERR_EVIDENCE_PACKAGE_STATE',
      );
    const now = deps.clock.now();
    const row: ConsentRow = {
      id: uuidv7(now.getTime()),
      packageId,
      requestId: pkg.requestId,
      direction: 'OUT',
      originState: manifest.originState,
      askingState: deps.nodeState,
      toState,
      purpose,
      status: 'pending',
      askedBy: actor.id,
      askedAt: now,
      answeredBy: null,
      answeredAt: null,
      reason: null,
      grantJws: null,
    };
    const body: ConsentRequestBody = {
      consentId: row.id,
      packageId,
      merkleRoot: pkg.merkleRoot,
      toState,
      purpose,
    };
    await db.transaction(async (tx) => {
      await tx.insert(evidenceConsents).values(row);
      await recordPackageCustody(
        tx,
        { requestId: pkg.requestId, packageId },
        {
          action: 'evidence.consent_ask',
          actor: actor.id,
          details: { consentId: row.id, of: manifest.originState, toState, from: actor.address ?? null },
        },
        now,
      );
      await enqueueMessage(
        tx,
        { recipient: manifest.originState, type: CONSENT_REQUEST_MESSAGE, requestId: null, body },
        now,
        link.lifetimeMs,
      );
    });
    link.nudge();
    return consentView(row);
  }

  /** On the originating node, in the inbox transaction: a request for consent from `from`. */
  async function receiveRequest(tx: Db, from: string, body: unknown): Promise<void> {
    const problems = consentRequestProblems(body);
    if (problems.length > 0)
      throw new PeerProtocolError('The consent request is not well formed.', { errors: problems });
    const asked = body as ConsentRequestBody;
    const [pkg] = await tx.select().from(evidencePackages).where(eq(evidencePackages.id, asked.packageId));
    const manifest = pkg?.manifest as EvidenceManifest | undefined;
    if (!pkg || manifest?.originState !== deps.nodeState)
      throw new PeerProtocolError(`This node sealed no package ${asked.packageId}.`);
    if (pkg.exerciseId)
      throw new PeerProtocolError(
        `Package ${asked.packageId} belongs to an exercise: it is never passed on.`,
      );
    if (manifest.recipientState !== from)
      throw new WrongConsentStateError(
        `Package ${asked.packageId} was delivered to ${manifest.recipientState}: only that State may ask to pass it on, not ${from}.`,
      );
    if (asked.merkleRoot !== pkg.merkleRoot)
      throw new PeerProtocolError('The consent request names another Merkle root than the package’s.');
    const now = deps.clock.now();
    const inserted = await tx
      .insert(evidenceConsents)
      .values({
        id: asked.consentId,
        packageId: asked.packageId,
        requestId: pkg.requestId,
        direction: 'IN',
        originState: deps.nodeState,
        askingState: from,
        toState: asked.toState,
        purpose: asked.purpose,
        status: 'pending',
        askedBy: `node:${from}`,
        askedAt: now,
        answeredBy: null,
        answeredAt: null,
        reason: null,
        grantJws: null,
      })
      .onConflictDoNothing()
      .returning({ id: evidenceConsents.id });
    if (inserted.length === 0) return;
    await recordPackageCustody(
      tx,
      { requestId: pkg.requestId, packageId: asked.packageId },
      {
        action: 'evidence.consent_asked',
        actor: `node:${from}`,
        details: { consentId: asked.consentId, toState: asked.toState },
      },
      now,
    );
  }

  async function findConsent(tx: Db, id: string, lock = false): Promise<ConsentRow> {
    const query = tx.select().from(evidenceConsents).where(eq(evidenceConsents.id, id));
    const [row] = UUID.test(id) ? (lock ? await query.for('update') : await query) : [];
    if (!row) throw new NotFoundError('Consent', id);
    return row;
  }

  /** The originating State's officer grants or refuses; the answer goes back to the asking State. */
  async function answer(
    consentId: string,
    actor: EvidenceActor,
    input: { decision?: unknown; reason?: unknown },
  ) {
    const found = await findConsent(db, consentId);
    if (found.direction !== 'IN') throw new NotFoundError('Consent', consentId);
    await requireCaseOfficer(db, found.requestId, actor.id, deps.clock);
    const decision = input.decision as ConsentDecision;
    if (!(CONSENT_DECISIONS as readonly string[]).includes(decision))
      throw new ValidationError([
        { field: '/decision', message: `must be one of ${CONSENT_DECISIONS.join(', ')}` },
      ]);
    const reason = typeof input.reason === 'string' && input.reason.trim() ? input.reason.trim() : null;
    if (reason && reason.length > 2000)
      throw new ValidationError([{ field: '/reason', message: 'must be at most 2000 characters' }]);
    const now = deps.clock.now();
    const view = await db.transaction(async (tx) => {
      const row = await findConsent(tx, consentId, true);
      if (row.status !== 'pending')
        throw new ConflictError(`This consent was already ${row.status}.`, 'ERR_EVIDENCE_CONSENT_STATE');
      const status = decision === 'GRANTED' ? 'granted' : 'refused';
      const grantJws = decision === 'GRANTED' ? await signGrant(tx, row, now) : null;
      await tx
        .update(evidenceConsents)
        .set({ status, answeredBy: actor.id, answeredAt: now, reason, grantJws })
        .where(eq(evidenceConsents.id, consentId));
      await recordPackageCustody(
        tx,
        { requestId: row.requestId, packageId: row.packageId },
        {
          action: decision === 'GRANTED' ? 'evidence.consent_grant' : 'evidence.consent_refuse',
          actor: actor.id,
          details: { consentId, to: row.askingState, toState: row.toState, from: actor.address ?? null },
        },
        now,
      );
      const body: ConsentAnswerBody = {
        consentId,
        packageId: row.packageId,
        decision,
        reason,
        ...(grantJws ? { grant: grantJws } : {}),
      };
      await enqueueMessage(
        tx,
        { recipient: row.askingState, type: CONSENT_ANSWER_MESSAGE, requestId: null, body },
        now,
        link.lifetimeMs,
      );
      return consentView({ ...row, status, answeredBy: actor.id, answeredAt: now, reason, grantJws });
    });
    link.nudge();
    return view;
  }

  /** The grant this node signs as the originating State, for the third State's node to check. */
  async function signGrant(tx: Db, row: ConsentRow, now: Date): Promise<string> {
    const pkg = await packages.find(tx, row.packageId);
    const grant: ConsentGrant = {
      typ: CONSENT_GRANT_TYPE,
      consentId: row.id,
      packageId: row.packageId,
      merkleRoot: pkg.merkleRoot,
      originState: deps.nodeState,
      askingState: row.askingState,
      toState: row.toState,
      grantedAt: now.toISOString(),
    };
    return deps.keyring.sign(grant);
  }

  /** On the asking node, in the inbox transaction: the answer, accepted only from the originating State. */
  async function receiveAnswer(tx: Db, from: string, body: unknown): Promise<void> {
    const problems = consentAnswerProblems(body);
    if (problems.length > 0)
      throw new PeerProtocolError('The consent answer is not well formed.', { errors: problems });
    const answered = body as ConsentAnswerBody;
    const [row] = await tx
      .select()
      .from(evidenceConsents)
      .where(eq(evidenceConsents.id, answered.consentId))
      .for('update');
    if (row?.direction !== 'OUT' || row.packageId !== answered.packageId)
      throw new PeerProtocolError(`This node asked for no consent ${answered.consentId}.`);
    if (from !== row.originState)
      throw new WrongConsentStateError(
        `Only ${row.originState}, which sealed the package, may answer this consent; ${from} may not.`,
      );
    const status = answered.decision === 'GRANTED' ? 'granted' : 'refused';
    if (row.status !== 'pending') {
      if (row.status === status) return;
      throw new PeerProtocolError(`This consent was already ${row.status}.`);
    }
    const now = deps.clock.now();
    await tx
      .update(evidenceConsents)
      .set({
        status,
        answeredBy: `node:${from}`,
        answeredAt: now,
        reason: answered.reason ?? null,
        // Checked by the third State's node against the originating node's key when the package comes.
        grantJws: answered.grant ?? null,
      })
      .where(eq(evidenceConsents.id, row.id));
    await recordPackageCustody(
      tx,
      { requestId: row.requestId, packageId: row.packageId },
      {
        action: status === 'granted' ? 'evidence.consent_granted' : 'evidence.consent_refused',
        actor: `node:${from}`,
        details: { consentId: row.id, toState: row.toState },
      },
      now,
    );
  }

  /** Consents asked about a package (either side), oldest first. */
  async function list(packageId: string, actor: EvidenceActor) {
    await packages.findForOfficer(packageId, actor);
    const rows = await db
      .select()
      .from(evidenceConsents)
      .where(eq(evidenceConsents.packageId, packageId))
      .orderBy(asc(evidenceConsents.askedAt), asc(evidenceConsents.id));
    return rows.map(consentView);
  }

  /**
   * Refuses a handing-over of a received package to a third State without the originating State's
   * recorded consent (ERR_EVIDENCE_CONSENT_REQUIRED), audited in its own transaction. Answers the
   * granted consent (null when none is needed), the one with the originating node's signed grant first.
   * `signed`: only a consent whose signed grant this node holds will do (a transfer to the third
   * State's node, which checks it).
   */
  async function requireOnwardConsent(
    pkg: PackageRow,
    toState: string | null | undefined,
    actor: EvidenceActor,
    options: { signed?: boolean } = {},
  ): Promise<ConsentRow | null> {
    const manifest = pkg.manifest as EvidenceManifest;
    if (!needsOnwardConsent(manifest, deps.nodeState, toState)) return null;
    const granted = await db
      .select()
      .from(evidenceConsents)
      .where(
        and(
          eq(evidenceConsents.packageId, pkg.id),
          eq(evidenceConsents.toState, toState!),
          eq(evidenceConsents.direction, 'OUT'),
          eq(evidenceConsents.status, 'granted'),
        ),
      );
    const usable = granted.find((c) => c.grantJws !== null) ?? (options.signed ? undefined : granted[0]);
    if (usable) return usable;
    await db.transaction((tx) =>
      appendAudit(
        tx,
        {
          actor: actor.id,
          action: 'evidence.onward_refused',
          objectType: 'evidence_package',
          objectId: pkg.id,
          payload: {
            toState,
            originState: manifest.originState,
            ...(granted.length > 0 ? { grantedUnsigned: true } : {}),
          },
        },
        deps.clock.now(),
      ),
    );
    throw new ConflictError(
      granted.length > 0
        ? `The consent of ${manifest.originState} to ${toState} came without the grant its node signs, which ${toState}'s node checks: ask for consent again.`
        : `Onward transfer to ${toState} needs the consent of ${manifest.originState}, which sent this package (art. 36): ask for it first.`,
      'ERR_EVIDENCE_CONSENT_REQUIRED',
      { originState: manifest.originState, toState },
    );
  }

  return { ask, receiveRequest, answer, receiveAnswer, list, requireOnwardConsent };
}

export type ConsentService = ReturnType<typeof createConsentService>;
