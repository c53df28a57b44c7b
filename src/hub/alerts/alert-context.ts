// The context every alert use case takes: the database, the clock, the hub's members and events, the
// alerts held in memory, and the federation's hooks. Built once per node by createAlertService.
import type { Clock } from '../../shared/clock.ts';
import type { Db } from '../../store/database.ts';
import type { HubEvents } from '../hub-events.ts';
import type { Membership } from '../membership.ts';
import type { AlertMemory } from './alert-memory.ts';
import type { ChangeHook, FeedbackHook } from './alert-types.ts';

export type AlertContext = {
  db: Db;
  clock: Clock;
  membership: Membership;
  events: HubEvents;
  memory: AlertMemory;
  /** Runs in the transaction of every publish, update and revoke. */
  changeHook: ChangeHook;
  /** Runs after each of those commits (wakes the federation sender). */
  afterChange: () => void;
  feedbackHook?: FeedbackHook;
};
