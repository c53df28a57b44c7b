// The shapes the desk reads from the API (see /docs for the full contract).
import type { Role } from '../../domain/codes.ts';
import type { ReasonPart } from '../../domain/legal-basis/candidate.ts';
import type { RequestSummary as ServerRequestSummary } from '../../domain/requests/request-summary.ts';

export type PublicUser = {
  id: string;
  username: string;
  displayName: string;
  roles: Role[];
  totpEnabled: boolean;
  disabled?: boolean;
  mustChangePassword?: boolean;
};

export type Me = { user: PublicUser; via: string; effectiveRoles: Role[]; node: string };

export type NodeInfo = {
  state: string;
  name: string;
  demo: boolean;
  /** Only on a demo node: its demo accounts, shown on the sign-in page. */
  demoLogins?: { password: string; accounts: { username: string; roles: Role[] }[] };
};

export type NextStep = { action: string; to: string; roles: Role[] };

/** A request as listed; `exerciseId` is set on the requests of a joint exercise (issue 18), which the
 * desk marks EXERCISE wherever they appear and keeps out of the real lists. */
export type RequestSummary = ServerRequestSummary & { exerciseId?: string | null };

/** Who an actor id stands for (see src/requests/request-people.ts). */
export type ActorInfo =
  | { kind: 'user'; displayName: string; username: string; roles: Role[] }
  | { kind: 'node'; state: string }
  | { kind: 'system' };

export type TimelineEntry = {
  at: string;
  actor: string | null;
  actorInfo?: ActorInfo | null;
  action: string;
  from: string | null;
  to: string | null;
  details?: Record<string, unknown> | null;
};

export type RequestDetail = RequestSummary & {
  body: Record<string, unknown>;
  scope: { result: string; reason: string; reasons?: ReasonPart[] | null } | null;
  legalBasis: RequestSummary['legalBasis'] & { reasons?: ReasonPart[] | null };
  draftedBy: string | null;
  approvedBy: string | null;
  postponedUntil: string | null;
  preservation: { expiresAt: string; status: string; extensions: number } | null;
  version: number;
  nextSteps: NextStep[];
  timeline: TimelineEntry[];
};

export type RequestPage = { items: RequestSummary[]; next: string | null };

export type JsonSchema = {
  type?: string;
  title?: string;
  description?: string;
  enum?: string[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  'x-article'?: string;
  /** The composer section the field is asked in (src/domain/requests/form-sections.ts). */
  'x-section'?: string;
};

export type RequestTypeInfo = {
  type: string;
  label: string;
  article: string;
  intrusive: boolean;
  schema: JsonSchema;
};

export type WorkingHours = { always: true } | { days: number[]; start: string; end: string };

export type Authority = {
  id: string;
  kind: string;
  name: string;
  timeZone?: string;
  languages?: string[];
  workingHours?: WorkingHours;
  channels?: { kind: string; value: string }[];
  node?: { url: string };
};

export type Party = {
  code: string;
  name: string;
  isRegionalOrganisation?: boolean;
  convention?: { signedOn?: string; depositedOn?: string };
  authorities?: Authority[];
};

/** GET /api/v1/requests/:id/record: messages with receipts, audit entries with inclusion proofs. */
export type RequestRecord = {
  messages: {
    id: string;
    direction: 'sent' | 'received';
    peer: string;
    type: string;
    seq: number | null;
    at: string;
    status: string;
    payloadSha256: string | null;
    receipt: { jws: string; receivedAt: string | null; receiver: string | null; kid: string | null } | null;
  }[];
  treeHead: { treeSize: number; rootHash: string; signedAt: string; kid: string; jws: string };
  entries: {
    seq: number;
    at: string;
    actor: string;
    action: string;
    objectType: string;
    objectId: string;
    leafHash: string;
    leafIndex: number;
    auditPath: string[];
  }[];
};

export type DirectoryAnswer = { demo?: boolean; document: { demo?: boolean; parties: Party[] } };
