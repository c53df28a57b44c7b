// What the API, the CLI and the live screens show of an exercise: its clock, participants, injects,
// expected actions with their live score, and the timeline of what happened against the script.
// An ended exercise shows the score archived when it ended.
import {
  elapsedMs,
  exerciseNow,
  type FiredInject,
  finalScoreOf,
  type ObservedAction,
  offsetMinutes,
  type ScoredAction,
  type ScoreSummary,
  scoreExercise,
} from '../domain/exercises/index.ts';
import type { Db } from '../store/database.ts';
import {
  actionsOf,
  clockOf,
  type ExerciseRow,
  finalScoresOf,
  type InjectRow,
  injectsOf,
  outcomesOf,
  participantsOf,
  scenarioOf,
} from './exercise-store.ts';

const minutesOf = (row: ExerciseRow, realNow: Date) =>
  elapsedMs(clockOf(row), row.endedAt ?? realNow) / 60_000;

function firedInjects(injects: InjectRow[]): Map<string, FiredInject> {
  return new Map(
    injects.map((i) => [
      i.injectId,
      {
        id: i.injectId,
        atMinutes: i.status === 'fired' ? (i.firedMinutes ?? i.atMinutes) : null,
        requestId: i.requestId,
      },
    ]),
  );
}

export function observed(rows: Awaited<ReturnType<typeof actionsOf>>): ObservedAction[] {
  return rows.map((a) => ({
    step: a.step,
    state: a.state,
    atMinutes: a.atMinutes,
    requestId: a.requestId,
    requestType: a.requestType,
    partnerState: a.partnerState,
    legalBasis: a.legalBasis,
    ground: a.ground,
    tlp: a.tlp,
  }));
}

/** The score now (live) or as archived at the end; optionally only one State's actions. */
export async function scoreOf(tx: Db, row: ExerciseRow, realNow: Date, state?: string) {
  const scenario = scenarioOf(row);
  const injects = await injectsOf(tx, row.id);
  const ended = row.status === 'ended';
  const live = scoreExercise(
    scenario.expectedActions,
    firedInjects(injects),
    observed(await actionsOf(tx, row.id)),
    minutesOf(row, realNow),
    ended,
    state,
  );
  if (!ended) return live;
  // Archived: the outcomes written when it ended win over a recomputation.
  const archived = new Map((await outcomesOf(tx, row.id)).map((o) => [o.actionId, o]));
  const actions: ScoredAction[] = live.actions.map((a) => {
    const kept = archived.get(a.id);
    return kept
      ? {
          ...a,
          outcome: kept.outcome as ScoredAction['outcome'],
          takenMinutes: kept.takenMinutes,
          detail: kept.detail,
        }
      : a;
  });
  const score = { pending: 0, met: 0, late: 0, missed: 0, wrong: 0, total: actions.length };
  for (const a of actions) score[a.outcome] += 1;
  return { actions, score };
}

/** The exercise as GET /api/v1/exercises/:id answers it (docs/exercises.md). */
export async function exerciseView(tx: Db, row: ExerciseRow, realNow: Date) {
  const scenario = scenarioOf(row);
  const clock = clockOf(row);
  const at = row.endedAt ?? realNow;
  const [participants, injects, scored] = [
    await participantsOf(tx, row.id),
    await injectsOf(tx, row.id),
    await scoreOf(tx, row, realNow),
  ];
  const titles = new Map(scenario.expectedActions.map((a) => [a.id, a.title ?? null]));
  return {
    id: row.id,
    scenarioId: row.scenarioId,
    title: row.title,
    description: scenario.description ?? null,
    status: row.status,
    role: row.role,
    nodeState: row.nodeState,
    /** The State whose node drives the clock; null on a participant that joined without naming it. */
    controller: row.role === 'controller' ? row.nodeState : row.controllerState,
    speed: row.speed,
    startedAt: row.startedAt.toISOString(),
    endedAt: row.endedAt ? row.endedAt.toISOString() : null,
    clock: {
      exerciseStart: row.exerciseStart.toISOString(),
      now: exerciseNow(clock, at).toISOString(),
      elapsedMinutes: Math.round(minutesOf(row, realNow) * 100) / 100,
      durationMinutes: offsetMinutes(scenario.duration) ?? 0,
      paused: row.status !== 'running',
    },
    participants: participants.map((p) => ({
      state: p.state,
      organisation: p.organisation,
      simulated: p.simulated,
      language: p.language,
    })),
    injects: injects.map((i) => {
      const details = i.details as Record<string, unknown>;
      return {
        id: i.injectId,
        atMinutes: i.atMinutes,
        kind: i.kind,
        source: i.source,
        title: i.title,
        message: typeof details.message === 'string' ? details.message : null,
        from: typeof details.from === 'string' ? details.from : null,
        to: typeof details.to === 'string' ? details.to : null,
        status: i.status,
        firedAt: i.firedAt ? i.firedAt.toISOString() : null,
        firedMinutes: i.firedMinutes,
        requestId: i.requestId,
        alertId: i.alertId,
        /** For the sending side of a request between two real nodes: the request to send. */
        request:
          i.kind === 'incoming_request' && details.from === row.nodeState ? (details.request ?? null) : null,
      };
    }),
    actions: scored.actions.map((a) => ({
      ...a,
      title: titles.get(a.id) ?? null,
      targetMinutes: a.targetMinutes,
    })),
    score: scored.score,
    finalScores: await finalScores(tx, row, scored.actions),
  };
}

/**
 * Each participating node's final score for its own State's actions: this node's once it has ended,
 * and those the other nodes sent (the controller's with its end; the participants' to the controller).
 */
async function finalScores(tx: Db, row: ExerciseRow, actions: readonly ScoredAction[]) {
  const scores: { state: string; score: ScoreSummary; receivedAt: string | null }[] = (
    await finalScoresOf(tx, row.id)
  ).map((f) => ({ state: f.state, score: f.score as ScoreSummary, receivedAt: f.receivedAt.toISOString() }));
  if (row.status === 'ended')
    scores.unshift({
      state: row.nodeState,
      score: finalScoreOf(row.nodeState, actions).score,
      receivedAt: null,
    });
  return scores;
}

export type ExerciseView = Awaited<ReturnType<typeof exerciseView>>;

export type TimelineItem = {
  at: string;
  atMinutes: number;
  kind: 'inject' | 'action';
  ref: string;
  actor: string;
  summary: string;
};

/** What happened, in exercise time: the injects that fired and what the players did. */
export async function timelineOf(tx: Db, row: ExerciseRow): Promise<TimelineItem[]> {
  const start = row.exerciseStart.getTime();
  const at = (minutes: number) => new Date(start + minutes * 60_000).toISOString();
  const items: TimelineItem[] = [];
  for (const i of await injectsOf(tx, row.id)) {
    if (i.status !== 'fired' || i.firedMinutes === null) continue;
    items.push({
      at: at(i.firedMinutes),
      atMinutes: i.firedMinutes,
      kind: 'inject',
      ref: i.injectId,
      actor: i.firedBy ?? 'system:exercise',
      summary: i.title,
    });
  }
  for (const a of await actionsOf(tx, row.id)) {
    const what = [
      a.step,
      a.requestType,
      a.partnerState && `with ${a.partnerState}`,
      a.legalBasis && `basis ${a.legalBasis}`,
      a.ground && `ground ${a.ground}`,
      a.tlp && `TLP ${a.tlp}`,
    ]
      .filter(Boolean)
      .join(' ');
    items.push({
      at: a.at.toISOString(),
      atMinutes: a.atMinutes,
      kind: 'action',
      ref: a.requestId ?? String(a.id),
      actor: `${a.state}`,
      summary: what,
    });
  }
  return items.sort((x, y) => x.atMinutes - y.atMinutes);
}
