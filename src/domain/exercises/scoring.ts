// Scores each expected action of a scenario against what the players did: met (in time), late,
// missed (not done by the end, or not yet done after its target) or wrong (done, but with the wrong
// legal basis, ground, TLP or request type, or the request refused where it should be answered).
// Pure: the observed actions and the exercise minutes are parameters.
import { offsetMinutes } from './offsets.ts';
import type { ScenarioAction } from './scenario-schema.ts';

export const OUTCOMES = ['pending', 'met', 'late', 'missed', 'wrong'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Something a player did in the exercise, as recorded when it committed. */
export type ObservedAction = {
  /** The request step ('acknowledge', 'refuse', 'complete', 'send', …) or 'share' for an exercise alert. */
  step: string;
  /** The State whose node did it. */
  state: string;
  atMinutes: number;
  requestId?: string | null;
  requestType?: string | null;
  partnerState?: string | null;
  legalBasis?: string | null;
  ground?: string | null;
  tlp?: string | null;
};

export type ScoredAction = {
  id: string;
  kind: ScenarioAction['kind'];
  by: string;
  inject: string | null;
  /** Exercise minutes after T+0 the time counts from (the inject's firing, or T+0). */
  referenceMinutes: number | null;
  targetMinutes: number;
  outcome: Outcome;
  takenMinutes: number | null;
  detail: string | null;
};

/** What the scoring knows of the injects: when each fired and the request it created. */
export type FiredInject = { id: string; atMinutes: number | null; requestId: string | null };

const STEPS: Record<ScenarioAction['kind'], readonly string[]> = {
  acknowledge: ['acknowledge'],
  choose_legal_basis: ['send', 'acknowledge', 'complete'],
  refuse: ['refuse'],
  preserve: ['complete'],
  share_indicator: ['share'],
  send_request: ['send'],
  execute: ['complete'],
};

/** Why a matching action is wrong for this expectation, or null when it is right. */
function wrongness(expected: ScenarioAction, done: ObservedAction): string | null {
  switch (expected.kind) {
    case 'choose_legal_basis':
      return done.legalBasis === expected.legalBasis
        ? null
        : `legal basis ${done.legalBasis ?? 'none'}, expected ${expected.legalBasis}`;
    case 'refuse':
      return done.ground && (expected.grounds as readonly string[] | undefined)?.includes(done.ground)
        ? null
        : `ground ${done.ground ?? 'none'}, expected one of ${(expected.grounds ?? []).join(', ')}`;
    case 'share_indicator':
      return done.tlp === expected.tlp ? null : `TLP ${done.tlp ?? 'none'}, expected ${expected.tlp}`;
    case 'send_request':
      if (expected.requestType && done.requestType !== expected.requestType)
        return `sent ${done.requestType ?? 'a request'}, expected ${expected.requestType}`;
      return null;
    default:
      return null;
  }
}

function concerns(expected: ScenarioAction, done: ObservedAction, requestId: string | null): boolean {
  if (done.state !== expected.by) return false;
  if (requestId && done.requestId && done.requestId !== requestId) return false;
  if (requestId && !done.requestId && done.step !== 'share') return false;
  if (expected.kind === 'send_request' && expected.to && done.partnerState !== expected.to) return false;
  return true;
}

/** Scores one expected action; `nowMinutes` is the exercise time, `ended` true once the exercise is over. */
export function scoreAction(
  expected: ScenarioAction,
  injects: ReadonlyMap<string, FiredInject>,
  observed: readonly ObservedAction[],
  nowMinutes: number,
  ended: boolean,
): ScoredAction {
  const within = offsetMinutes(expected.within) ?? 0;
  const fired = expected.inject ? injects.get(expected.inject) : undefined;
  const reference = expected.inject ? (fired?.atMinutes ?? null) : 0;
  const requestId = fired?.requestId ?? null;
  const base = {
    id: expected.id,
    kind: expected.kind,
    by: expected.by,
    inject: expected.inject ?? null,
    referenceMinutes: reference,
    targetMinutes: within,
  };
  const relevant = observed
    .filter((o) => concerns(expected, o, requestId) && (reference === null || o.atMinutes >= reference))
    .sort((a, b) => a.atMinutes - b.atMinutes);
  // Refusing a request that should have been answered is wrong, whenever it happened.
  if (expected.kind === 'acknowledge' || expected.kind === 'execute' || expected.kind === 'preserve') {
    const refusal = relevant.find((o) => o.step === 'refuse');
    const done = relevant.find((o) => STEPS[expected.kind].includes(o.step));
    if (refusal && (!done || refusal.atMinutes <= done.atMinutes))
      return {
        ...base,
        outcome: 'wrong',
        takenMinutes: taken(refusal, reference),
        detail: 'refused instead',
      };
  }
  const done = relevant.find((o) => STEPS[expected.kind].includes(o.step));
  if (!done) {
    const overdue = reference !== null && nowMinutes > reference + within;
    return { ...base, outcome: ended || overdue ? 'missed' : 'pending', takenMinutes: null, detail: null };
  }
  const takenMinutes = taken(done, reference);
  const wrong = wrongness(expected, done);
  if (wrong) return { ...base, outcome: 'wrong', takenMinutes, detail: wrong };
  return { ...base, outcome: takenMinutes <= within ? 'met' : 'late', takenMinutes, detail: null };
}

function taken(done: ObservedAction, reference: number | null): number {
  return Math.round((done.atMinutes - (reference ?? 0)) * 100) / 100;
}

export type ScoreSummary = Record<Outcome, number> & { total: number };

export function summarise(scored: readonly { outcome: Outcome }[]): ScoreSummary {
  const summary: ScoreSummary = { pending: 0, met: 0, late: 0, missed: 0, wrong: 0, total: scored.length };
  for (const s of scored) summary[s.outcome] += 1;
  return summary;
}

/** Scores every expected action of the scenario (optionally only those of one State). */
export function scoreExercise(
  actions: readonly ScenarioAction[],
  injects: ReadonlyMap<string, FiredInject>,
  observed: readonly ObservedAction[],
  nowMinutes: number,
  ended: boolean,
  state?: string,
): { actions: ScoredAction[]; score: ScoreSummary } {
  const scored = actions
    .filter((a) => state === undefined || a.by === state)
    .map((a) => scoreAction(a, injects, observed, nowMinutes, ended));
  return { actions: scored, score: summarise(scored) };
}
