// Onward transfer (art. 36 and the manifest's condition PROHIBITED_WITHOUT_CONSENT): evidence received
// from another State goes on to a third State only once the originating State has consented. The
// messages that ask and answer, and the rule that decides whether a handing-over is an onward
// transfer that needs consent. Pure: no I/O.

export const CONSENT_REQUEST_MESSAGE = 'evidence_consent_request';
export const CONSENT_ANSWER_MESSAGE = 'evidence_consent_answer';

export const CONSENT_DECISIONS = ['GRANTED', 'REFUSED'] as const;
export type ConsentDecision = (typeof CONSENT_DECISIONS)[number];

/** Sent by the State that received a package to the State that sealed it. */
export type ConsentRequestBody = {
  consentId: string;
  packageId: string;
  merkleRoot: string;
  toState: string;
  purpose: string;
};

/** The originating State's answer; a grant carries the grant signed by the originating node. */
export type ConsentAnswerBody = {
  consentId: string;
  packageId: string;
  decision: ConsentDecision;
  reason: string | null;
  grant?: string;
};

/**
 * What the originating node signs when it grants consent (a JWS with this payload): the receiving
 * State carries it to the third State's node, which checks it against the originating node's key from
 * the signed directory before it accepts the package.
 */
export const CONSENT_GRANT_TYPE = 'hanoi247-evidence-consent';
export type ConsentGrant = {
  typ: typeof CONSENT_GRANT_TYPE;
  consentId: string;
  packageId: string;
  merkleRoot: string;
  originState: string;
  askingState: string;
  toState: string;
  grantedAt: string;
};

/** A custody event of the State that passes a package on, as its signed offer carries it. */
export type CarriedCustody = { seq: number; action: string; at: string };

/**
 * What a package received onward records (on the third State's node): the State it came from, the
 * originating State's consent (its id and the grant it signed), the request of this node it answers,
 * and the custody the passing State declared before it sent it.
 */
export type OnwardOrigin = {
  from: string;
  originState: string;
  originRequestId: string;
  consentId: string;
  grant: string;
  custody: CarriedCustody[];
};

/** Why a signed grant does not cover this onward transfer (null when it does). */
export function grantProblem(
  grant: Record<string, unknown>,
  expected: Omit<ConsentGrant, 'typ' | 'grantedAt'>,
): string | null {
  if (grant.typ !== CONSENT_GRANT_TYPE) return 'it is not a grant of consent';
  for (const key of Object.keys(expected) as (keyof typeof expected)[])
    if (grant[key] !== expected[key]) return `it names another ${key} (${String(grant[key])})`;
  return null;
}

type FieldProblem = { field: string; message: string };

const STATE = /^[A-Z]{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function text(v: unknown, max: number): v is string {
  return typeof v === 'string' && v.trim() !== '' && v.length <= max;
}

/** The problems of a consent request received from a peer (empty when it is well formed). */
export function consentRequestProblems(body: unknown): FieldProblem[] {
  if (!isObject(body)) return [{ field: '/', message: 'must be an object' }];
  const out: FieldProblem[] = [];
  if (typeof body.consentId !== 'string' || !UUID.test(body.consentId))
    out.push({ field: '/consentId', message: 'must be a UUID' });
  if (typeof body.packageId !== 'string' || !UUID.test(body.packageId))
    out.push({ field: '/packageId', message: 'must be a UUID' });
  if (typeof body.merkleRoot !== 'string' || !/^[0-9a-f]{64}$/.test(body.merkleRoot))
    out.push({ field: '/merkleRoot', message: 'must be a hex SHA-256' });
  if (typeof body.toState !== 'string' || !STATE.test(body.toState))
    out.push({ field: '/toState', message: 'must be an ISO 3166 alpha-2 code' });
  if (!text(body.purpose, 2000)) out.push({ field: '/purpose', message: 'must be 1 to 2000 characters' });
  return out;
}

/** The problems of a consent answer received from a peer (empty when it is well formed). */
export function consentAnswerProblems(body: unknown): FieldProblem[] {
  if (!isObject(body)) return [{ field: '/', message: 'must be an object' }];
  const out: FieldProblem[] = [];
  if (typeof body.consentId !== 'string' || !UUID.test(body.consentId))
    out.push({ field: '/consentId', message: 'must be a UUID' });
  if (typeof body.packageId !== 'string' || !UUID.test(body.packageId))
    out.push({ field: '/packageId', message: 'must be a UUID' });
  if (!(CONSENT_DECISIONS as readonly string[]).includes(body.decision as string))
    out.push({ field: '/decision', message: `must be one of ${CONSENT_DECISIONS.join(', ')}` });
  if (body.reason !== null && body.reason !== undefined && !text(body.reason, 2000))
    out.push({ field: '/reason', message: 'must be up to 2000 characters' });
  if (
    body.grant !== undefined &&
    (body.decision !== 'GRANTED' ||
      typeof body.grant !== 'string' ||
      body.grant.length > 16_000 ||
      !/^[\w-]+\.[\w-]+\.[\w-]+$/.test(body.grant))
  )
    out.push({ field: '/grant', message: 'must be a compact JWS, with a GRANTED decision only' });
  return out;
}

/**
 * Whether handing a package to `toState` is an onward transfer that needs the originating State's
 * consent: only a package this node received from another State, going to a State that is neither
 * the one that sent it nor this one (a domestic court of this State is the use it was sent for).
 */
export function needsOnwardConsent(
  manifest: { originState: string; recipientState: string },
  nodeState: string,
  toState: string | null | undefined,
): boolean {
  if (manifest.originState === nodeState) return false;
  if (!toState || toState === nodeState || toState === manifest.originState) return false;
  return true;
}
