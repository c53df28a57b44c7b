// Who may end a participant's copy of an exercise over federation (`exercise_end`). Pure: the rule,
// from what the participant knows of the exercise (its role, the controller it named, the scenario's
// participants) and the authenticated sender of the message.

export type EndReceiver = {
  role: 'controller' | 'participant';
  nodeState: string;
  /** The controller's State the participant named when it joined; null when it named none. */
  controllerState: string | null;
};

/**
 * null when the end is accepted, else why it is refused. A participant that named its controller
 * takes the end from that State alone. One that named none cannot know which node controls (the
 * scenario names no controller): it takes the end from a State that plays in the exercise on its own
 * node — never from a State outside the scenario, a simulated one (no node of its plays), or itself.
 * An end only archives this exercise's copy, which touches no real work.
 */
export function endRefusal(
  receiver: EndReceiver,
  participants: readonly { state: string; simulated: boolean }[],
  from: string,
): string | null {
  if (receiver.role === 'controller')
    return 'this node controls the exercise: only its administrator ends it';
  if (receiver.controllerState !== null)
    return receiver.controllerState === from ? null : `it follows ${receiver.controllerState}, not ${from}`;
  const plays = participants.some((p) => p.state === from && !p.simulated);
  if (from === receiver.nodeState || !plays) return `${from} does not play in it on its own node`;
  return null;
}
