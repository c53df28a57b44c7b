// The final score another participating node sends when it archives an exercise: the outcomes it
// archived for the expected actions of its own State. Pure: checks the message against the scenario,
// and tallies the score itself rather than trusting the sender's totals.
import type { Scenario } from './scenario-schema.ts';
import { OUTCOMES, type Outcome, type ScoreSummary, summarise } from './scoring.ts';

export type FinalOutcome = {
  actionId: string;
  outcome: Outcome;
  takenMinutes: number | null;
  detail: string | null;
};

export type FinalScore = { state: string; outcomes: FinalOutcome[]; score: ScoreSummary };

/** The outcomes this node archived for one State's actions, as the message carries them. */
export function finalScoreOf(
  state: string,
  actions: readonly {
    id: string;
    by: string;
    outcome: Outcome;
    takenMinutes: number | null;
    detail: string | null;
  }[],
): FinalScore {
  const outcomes = actions
    .filter((a) => a.by === state)
    .map((a) => ({ actionId: a.id, outcome: a.outcome, takenMinutes: a.takenMinutes, detail: a.detail }));
  return { state, outcomes, score: summarise(outcomes) };
}

/**
 * A received final score, or the problem with it: every outcome names an expected action of the
 * sender's State in the scenario, once, with a known outcome.
 */
export function checkFinalScore(
  scenario: Pick<Scenario, 'expectedActions'>,
  state: string,
  raw: unknown,
): { ok: true; score: FinalScore } | { ok: false; problem: string } {
  if (!Array.isArray(raw)) return { ok: false, problem: 'outcomes must be a list' };
  const own = new Set(scenario.expectedActions.filter((a) => a.by === state).map((a) => a.id));
  const seen = new Set<string>();
  const outcomes: FinalOutcome[] = [];
  for (const [i, item] of raw.entries()) {
    const o = (item ?? {}) as Record<string, unknown>;
    const id = o.actionId;
    if (typeof id !== 'string' || !own.has(id) || seen.has(id))
      return {
        ok: false,
        problem: `outcomes/${i}/actionId is not an expected action of ${state} (or repeats one)`,
      };
    if (!(OUTCOMES as readonly unknown[]).includes(o.outcome))
      return { ok: false, problem: `outcomes/${i}/outcome must be one of ${OUTCOMES.join(', ')}` };
    const taken = o.takenMinutes ?? null;
    if (taken !== null && (typeof taken !== 'number' || !Number.isFinite(taken) || taken < 0))
      return { ok: false, problem: `outcomes/${i}/takenMinutes must be null or minutes` };
    const detail = o.detail ?? null;
    if (detail !== null && (typeof detail !== 'string' || detail.length > 500))
      return { ok: false, problem: `outcomes/${i}/detail must be null or a short text` };
    seen.add(id);
    outcomes.push({ actionId: id, outcome: o.outcome as Outcome, takenMinutes: taken, detail });
  }
  return { ok: true, score: { state, outcomes, score: summarise(outcomes) } };
}
