// The next steps of a request, ranked for the officer: the one step that moves the request on is the
// primary action, the others secondary. When the partner State has its own node, the steps that
// record the partner's moves come from its node by themselves: they are set aside, and if nothing
// else moves the request on, the desk says that it is waiting for the partner.
import { PROTOCOL } from '../../domain/federation/protocol.ts';
import type { NextStep } from '../api/types.ts';

/** Steps a partner's node brings by its messages (record_acknowledgement, info_received...). */
const PARTNER_MOVES: ReadonlySet<string> = new Set(
  PROTOCOL.map((r) => r.applies).filter((a): a is string => a !== null),
);

// The steps that move a request on, in the order of its life; the first one offered is the primary.
const FORWARD = [
  'submit',
  'approve',
  'send',
  'acknowledge',
  'answer_info_request',
  'info_received',
  'accept_conditions',
  'start_execution',
  'complete',
  'record_acknowledgement',
  'record_execution',
  'record_result',
  'extend_preservation',
  'record_extension',
  'close',
];

/** Steps that cannot be taken back: the desk asks for a confirmation before any of them. */
export const IRREVERSIBLE: ReadonlySet<string> = new Set(['send', 'approve', 'refuse', 'withdraw']);

/** Steps that end or turn back a request: drawn as such, never the primary. */
export const DANGER: ReadonlySet<string> = new Set([
  'refuse',
  'withdraw',
  'record_refusal',
  'return_to_draft',
]);

export type RankedSteps = {
  primary: NextStep | null;
  secondary: NextStep[];
  /** The partner's moves, to record by hand only when its node cannot bring them. */
  byHand: NextStep[];
  /** The partner State whose move comes next, or null. */
  waitingFor: string | null;
};

export function rankSteps(
  steps: readonly NextStep[],
  request: { partnerState: string; status: string },
  partnerHasNode: boolean,
): RankedSteps {
  const byHand = partnerHasNode ? steps.filter((s) => PARTNER_MOVES.has(s.action)) : [];
  const own = steps.filter((s) => !byHand.includes(s));
  const rank = (s: NextStep) => {
    const i = FORWARD.indexOf(s.action);
    return i < 0 ? FORWARD.length : i;
  };
  const candidates = own.filter((s) => FORWARD.includes(s.action) && !DANGER.has(s.action));
  const primary = [...candidates].sort((a, b) => rank(a) - rank(b))[0] ?? null;
  const secondary = own.filter((s) => s !== primary);
  const waitingFor = partnerHasNode && primary === null && byHand.length > 0 ? request.partnerState : null;
  return { primary, secondary, byHand, waitingFor };
}
