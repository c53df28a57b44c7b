// Joint exercises (drizzle/0020_exercises.sql): the exercise, its participants, the inject log, what
// the players did, the scores archived at the end, and the alerts shared inside the exercise.
import {
  bigint,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const exercises = pgTable(
  'exercises',
  {
    id: uuid('id').primaryKey(),
    scenarioId: text('scenario_id').notNull(),
    title: text('title').notNull(),
    scenario: jsonb('scenario').notNull(),
    scenarioSha256: text('scenario_sha256').notNull(),
    role: text('role').notNull(),
    nodeState: text('node_state').notNull(),
    status: text('status').notNull(),
    speed: doublePrecision('speed').notNull(),
    exerciseStart: ts('exercise_start').notNull(),
    anchorReal: ts('anchor_real').notNull(),
    anchorElapsedMs: doublePrecision('anchor_elapsed_ms').notNull(),
    startedBy: text('started_by').notNull(),
    startedAt: ts('started_at').notNull(),
    endedAt: ts('ended_at'),
    /** On a participant: the State whose node controls the exercise and drives its clock (0028). */
    controllerState: text('controller_state'),
    version: integer('version').notNull().default(1),
  },
  (t) => [index('exercises_status_idx').on(t.status)],
);

export const exerciseParticipants = pgTable(
  'exercise_participants',
  {
    exerciseId: uuid('exercise_id')
      .notNull()
      .references(() => exercises.id),
    position: integer('position').notNull(),
    state: text('state').notNull(),
    organisation: text('organisation').notNull(),
    simulated: boolean('simulated').notNull(),
    language: text('language'),
  },
  (t) => [primaryKey({ columns: [t.exerciseId, t.position] })],
);

export const exerciseInjects = pgTable(
  'exercise_injects',
  {
    exerciseId: uuid('exercise_id')
      .notNull()
      .references(() => exercises.id),
    injectId: text('inject_id').notNull(),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    source: text('source').notNull(),
    atMinutes: doublePrecision('at_minutes').notNull(),
    details: jsonb('details').notNull(),
    status: text('status').notNull().default('pending'),
    firedAt: ts('fired_at'),
    firedMinutes: doublePrecision('fired_minutes'),
    firedBy: text('fired_by'),
    requestId: uuid('request_id'),
    alertId: uuid('alert_id'),
  },
  (t) => [
    primaryKey({ columns: [t.exerciseId, t.injectId] }),
    index('exercise_injects_due_idx').on(t.status, t.exerciseId, t.atMinutes),
  ],
);

export const exerciseActions = pgTable(
  'exercise_actions',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    exerciseId: uuid('exercise_id')
      .notNull()
      .references(() => exercises.id),
    step: text('step').notNull(),
    state: text('state').notNull(),
    actor: text('actor').notNull(),
    at: ts('at').notNull(),
    atMinutes: doublePrecision('at_minutes').notNull(),
    requestId: uuid('request_id'),
    requestType: text('request_type'),
    partnerState: text('partner_state'),
    legalBasis: text('legal_basis'),
    ground: text('ground'),
    tlp: text('tlp'),
  },
  (t) => [index('exercise_actions_exercise_idx').on(t.exerciseId, t.id)],
);

export const exerciseOutcomes = pgTable(
  'exercise_outcomes',
  {
    exerciseId: uuid('exercise_id')
      .notNull()
      .references(() => exercises.id),
    actionId: text('action_id').notNull(),
    outcome: text('outcome').notNull(),
    takenMinutes: doublePrecision('taken_minutes'),
    detail: text('detail'),
    scoredAt: ts('scored_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.exerciseId, t.actionId] })],
);

export const exerciseAlerts = pgTable(
  'exercise_alerts',
  {
    id: uuid('id').primaryKey(),
    exerciseId: uuid('exercise_id')
      .notNull()
      .references(() => exercises.id),
    title: text('title').notNull(),
    tlp: text('tlp').notNull(),
    indicators: jsonb('indicators').notNull(),
    source: text('source').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [index('exercise_alerts_exercise_idx').on(t.exerciseId, t.id)],
);

// drizzle/0036_exercise_end_evidence.sql: the final score each other participating node archived for
// its own State's expected actions (pushed with the controller's end, collected by the controller).
export const exerciseFinalScores = pgTable(
  'exercise_final_scores',
  {
    exerciseId: uuid('exercise_id')
      .notNull()
      .references(() => exercises.id),
    state: text('state').notNull(),
    score: jsonb('score').notNull(),
    outcomes: jsonb('outcomes').notNull(),
    receivedAt: ts('received_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.exerciseId, t.state] })],
);
