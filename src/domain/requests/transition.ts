// Decides a transition without doing it: the service writes what this returns, or refuses with it.
import type { RequestType, Role } from '../codes.ts';
import { type RequestAction, type Requirement, TRANSITIONS, type TransitionRule } from './lifecycle.ts';
import { refusalGroundsFor } from './refusal-grounds.ts';
import type { RequestProblem } from './validate-request.ts';
import {
  type Direction,
  EXCLUDED_REFUSAL_GROUNDS,
  MANUAL_MEANS,
  type RefusalGround,
  type RequestState,
} from './vocabulary.ts';

/** What the state machine needs to know about a stored request. */
export type LifecycleSnapshot = {
  direction: Direction;
  type: RequestType;
  urgency: string;
  state: RequestState;
  draftedBy: string;
  emergencyApprovalPending: boolean;
  /** The art. 35 scope-gate result stored with the request, when known. */
  scopeResult?: string;
  /** The legal basis the request is made on: it decides the refusal grounds. */
  legalBasis?: string;
  /** The requested Party's art. 42 reservation keeping dual criminality for preservation, if any. */
  dualCriminalityReserved?: string;
};

export type Actor = { id: string; roles: readonly Role[] };

export type TransitionInput = {
  action: string;
  reason?: string;
  ground?: string;
  until?: string;
  message?: string;
  assignee?: string;
  conditions?: string[];
  /** A step taken by hand with a partner without a node: how, and the letter's or message's reference. */
  means?: string;
  reference?: string;
};

export type TransitionOptions = { emergencyApprovalWithinMs: number };

export type NextStep = { action: RequestAction; to: RequestState | 'same'; roles: readonly Role[] };

export type TransitionOutcome = {
  action: RequestAction;
  from: RequestState;
  to: RequestState;
  /** Fields of the stored request that change with the state. */
  changes: {
    emergencyApprovalPending?: boolean;
    emergencyApprovalDueAt?: Date | null;
    approvedBy?: string;
    assignedTo?: string;
    postponedUntil?: Date | null;
  };
  /** What the timeline records: the inputs that justify the step (never identifiers). */
  details: Record<string, unknown>;
};

export type TransitionDecision =
  | { ok: true; outcome: TransitionOutcome }
  | { ok: false; kind: 'illegal'; message: string; allowed: NextStep[] }
  | { ok: false; kind: 'forbidden'; code: string; message: string; requiredRoles?: readonly Role[] }
  | { ok: false; kind: 'invalid'; errors: RequestProblem[] };

function applies(rule: TransitionRule, s: LifecycleSnapshot): boolean {
  return rule.direction === s.direction && rule.from.includes(s.state) && (!rule.when || rule.when.test(s));
}

/** The steps possible from the current state, whoever may take them. */
export function allowedNextSteps(s: LifecycleSnapshot): NextStep[] {
  const seen = new Set<string>();
  const out: NextStep[] = [];
  for (const rule of TRANSITIONS) {
    if (!applies(rule, s) || seen.has(rule.action)) continue;
    seen.add(rule.action);
    out.push({ action: rule.action, to: rule.to, roles: rule.roles });
  }
  return out;
}

/** Checks and computes one transition; `now` comes from the caller's clock. */
export function decideTransition(
  s: LifecycleSnapshot,
  input: TransitionInput,
  actor: Actor,
  now: Date,
  options: TransitionOptions,
): TransitionDecision {
  const candidates = TRANSITIONS.filter((r) => r.action === input.action && r.direction === s.direction);
  const rule = candidates.find((r) => applies(r, s));
  if (!rule) {
    const limited = candidates.find((r) => r.from.includes(s.state) && r.when && !r.when.test(s));
    const base =
      candidates.length === 0
        ? `'${input.action}' is not a step of an ${s.direction.toLowerCase()} request`
        : `'${input.action}' is not possible from '${s.state}'${limited ? `: ${limited.when!.why}` : ''}`;
    const allowed = allowedNextSteps(s);
    const list = allowed.map((n) => n.action).join(', ') || 'none';
    return { ok: false, kind: 'illegal', message: `${base}. Allowed next steps: ${list}.`, allowed };
  }
  if (!actor.roles.some((r) => rule.roles.includes(r))) {
    return {
      ok: false,
      kind: 'forbidden',
      code: 'ERR_FORBIDDEN',
      message: `'${rule.action}' needs one of the roles ${rule.roles.join(', ')}.`,
      requiredRoles: rule.roles,
    };
  }
  if (rule.action === 'approve' && actor.id === s.draftedBy) {
    return {
      ok: false,
      kind: 'forbidden',
      code: 'ERR_FOUR_EYES',
      message: 'Four eyes: the approver of a request must not be the person who drafted it.',
    };
  }
  const errors = requirementProblems(rule, input, now, s);
  if (errors.length > 0) return { ok: false, kind: 'invalid', errors };
  const to = rule.to === 'same' ? s.state : rule.to;
  return {
    ok: true,
    outcome: { action: rule.action, from: s.state, to, ...effects(rule, s, input, actor, now, options) },
  };
}

function effects(
  rule: TransitionRule,
  s: LifecycleSnapshot,
  input: TransitionInput,
  actor: Actor,
  now: Date,
  options: TransitionOptions,
): Pick<TransitionOutcome, 'changes' | 'details'> {
  const details: Record<string, unknown> = {};
  for (const key of ['reason', 'ground', 'until', 'message', 'conditions', 'means', 'reference'] as const) {
    if (input[key] !== undefined) details[key] = input[key];
  }
  const changes: TransitionOutcome['changes'] = {};
  if (rule.action === 'approve') {
    changes.approvedBy = actor.id;
    if (s.emergencyApprovalPending) {
      changes.emergencyApprovalPending = false;
      changes.emergencyApprovalDueAt = null;
      details.approvedAfterEmergencySend = true;
    }
  }
  if (rule.action === 'send' && s.state !== 'approved') {
    changes.emergencyApprovalPending = true;
    changes.emergencyApprovalDueAt = new Date(now.getTime() + options.emergencyApprovalWithinMs);
    details.sentBeforeApproval = true;
  }
  if (rule.action === 'assign') {
    changes.assignedTo = input.assignee!;
    details.assignee = input.assignee;
  }
  if (rule.to === 'postponed') changes.postponedUntil = new Date(input.until!);
  else if (rule.to !== 'same' && s.state === 'postponed') changes.postponedUntil = null;
  return { changes, details };
}

function requirementProblems(
  rule: TransitionRule,
  input: TransitionInput,
  now: Date,
  s: LifecycleSnapshot,
): RequestProblem[] {
  const out: RequestProblem[] = [];
  const article = rule.article;
  const need = (field: Requirement, message: string) =>
    out.push(article ? { field: `/${field}`, message, article } : { field: `/${field}`, message });
  const blank = (v: unknown) => typeof v !== 'string' || v.trim() === '';
  if (input.means !== undefined && !(MANUAL_MEANS as readonly string[]).includes(input.means)) {
    out.push({ field: '/means', message: `must be one of ${MANUAL_MEANS.join(', ')}` });
  }
  if (input.reference !== undefined && input.means === undefined) {
    out.push({
      field: '/means',
      message: 'a reference is recorded with the means it was sent or received by',
    });
  }
  for (const requirement of rule.requires ?? []) {
    switch (requirement) {
      case 'reason':
        if (blank(input.reason)) need('reason', 'written reasons are required for this step');
        break;
      case 'message':
        if (blank(input.message)) need('message', 'say what was asked, proposed or answered');
        break;
      case 'assignee':
        if (blank(input.assignee)) need('assignee', 'name the officer to assign');
        break;
      case 'until':
        if (blank(input.until) || Number.isNaN(Date.parse(input.until!)))
          need('until', 'a postponement needs the date until which it lasts (ISO 8601)');
        else if (Date.parse(input.until!) <= now.getTime()) need('until', 'must be in the future');
        break;
      case 'ground': {
        const problem = groundProblem(s, input.ground);
        if (problem) need('ground', problem);
        break;
      }
    }
  }
  return out;
}

/** Why `ground` cannot justify a refusal of this request, or null when it can. */
function groundProblem(s: LifecycleSnapshot, ground: string | undefined): string | null {
  const { grounds, source } = refusalGroundsFor(s.legalBasis, s.type);
  const preservation = s.type === 'PRESERVATION' || s.type === 'TRAFFIC_DATA_DISCLOSURE';
  if (ground === undefined || ground.trim() === '')
    return `a refusal needs a ground from the list of ${source}: ${grounds.join(', ')}`;
  if (EXCLUDED_REFUSAL_GROUNDS[ground]) return `${EXCLUDED_REFUSAL_GROUNDS[ground]} (art. 40)`;
  if (ground === 'NO_DUAL_CRIMINALITY' && preservation && s.scopeResult === 'CONVENTION_OFFENCE') {
    // Art. 42 [U]: preservation needs no dual criminality; only for other offences may it be required.
    return 'dual criminality is not required to preserve data on a Convention offence (art. 42)';
  }
  if (!(grounds as readonly string[]).includes(ground))
    return `'${ground}' is not a refusal ground under ${source}; use one of ${grounds.join(', ')}`;
  if (
    ground === 'NO_DUAL_CRIMINALITY' &&
    preservation &&
    s.legalBasis === 'UNCC' &&
    !s.dualCriminalityReserved
  ) {
    // Art. 42 [U]: dual criminality is optional for preservation; the requested Party must have kept it.
    return 'lack of dual criminality justifies refusing preservation only where the requested Party has kept dual criminality by a reservation or declaration under art. 42, and none is recorded in the directory (art. 42)';
  }
  return null;
}

export type { RefusalGround };
