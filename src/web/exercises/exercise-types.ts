// The shapes the desk reads from the exercise API (the contract of issue 18: /api/v1/exercises).
import type { Role } from '../../domain/codes.ts';

export type ExerciseStatus = 'running' | 'paused' | 'ended';
export type Outcome = 'pending' | 'met' | 'late' | 'missed' | 'wrong';

export type ExerciseInject = {
  id: string;
  atMinutes: number;
  kind: string;
  /** Who brought it: the script, the controller by hand, or a simulated partner. */
  source?: 'script' | 'manual' | 'simulated';
  title: string;
  message?: string | null;
  from?: string | null;
  to?: string | null;
  /** `cancelled`: the exercise ended before it fired. */
  status: 'pending' | 'fired' | 'cancelled';
  /** Exercise time it fired. */
  firedAt: string | null;
  /** Exercise minutes from T+0 when it fired. */
  firedMinutes?: number | null;
  requestId?: string | null;
  alertId?: string | null;
  /** When this node's State sends the request of the inject (two real nodes): the request to send. */
  request?: Record<string, unknown> | null;
};

export type ExerciseAction = {
  id: string;
  kind: string;
  /** The scenario's own words for it, if it has any. */
  title?: string | null;
  /** The inject it answers; its target counts from when that inject fired (else from T+0). */
  inject?: string | null;
  by: string;
  /** Exercise minutes from T+0 the target counts from, as the node reckons it. */
  referenceMinutes?: number | null;
  targetMinutes: number;
  expected?: Record<string, unknown>;
  outcome: Outcome;
  takenMinutes: number | null;
  detail?: string | null;
};

export type Exercise = {
  id: string;
  scenarioId: string;
  title: string;
  description?: string | null;
  status: ExerciseStatus;
  role: 'controller' | 'participant';
  /** The State whose node drives the clock: this node's own on the controller, null on a participant that keeps its own clock. */
  controller?: string | null;
  nodeState: string;
  speed: number;
  startedAt: string;
  endedAt: string | null;
  clock: {
    exerciseStart: string;
    now: string;
    elapsedMinutes: number;
    durationMinutes: number;
    paused: boolean;
  };
  participants: { state: string; organisation: string; simulated: boolean; joined: boolean }[];
  injects: ExerciseInject[];
  actions: ExerciseAction[];
  score: Record<Outcome, number> & { total: number };
  /** Each participating node's final score for its own State's actions (receivedAt null: this node's). */
  finalScores?: {
    state: string;
    score: Record<Outcome, number> & { total: number };
    receivedAt: string | null;
  }[];
};

export type ExerciseAlert = {
  id: string;
  exerciseId: string;
  title: string;
  tlp: string;
  indicators: { type: string; value: string }[];
  createdAt: string;
};

export type ScenarioProblem = { path?: string; field?: string; code?: string; message: string };

// As the exercise API allows (contract: EXERCISE_CONTROLLERS, EXERCISE_READERS).
export const EXERCISE_CONTROLLERS: readonly Role[] = ['ADMIN'];
export const EXERCISE_READERS: readonly Role[] = [
  'DUTY_OFFICER',
  'CENTRAL_AUTHORITY',
  'INVESTIGATOR',
  'APPROVER',
  'PRIVATE_LIAISON',
  'CERT_ANALYST',
  'ADMIN',
  'AUDITOR',
];
