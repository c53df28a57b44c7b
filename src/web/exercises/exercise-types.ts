// The shapes the desk reads from the exercise API (the contract of issue 18: /api/v1/exercises).
import type { Role } from '../../domain/codes.ts';

export type ExerciseStatus = 'running' | 'paused' | 'ended';
export type Outcome = 'pending' | 'met' | 'late' | 'missed' | 'wrong';

export type ExerciseInject = {
  id: string;
  atMinutes: number;
  kind: string;
  title: string;
  from?: string | null;
  status: 'pending' | 'fired';
  /** Exercise time it fired. */
  firedAt: string | null;
  requestId?: string | null;
  alertId?: string | null;
};

export type ExerciseAction = {
  id: string;
  kind: string;
  /** The inject it answers; its target counts from when that inject fired (else from T+0). */
  inject?: string | null;
  by: string;
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
  status: ExerciseStatus;
  role: 'controller' | 'participant';
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
