// Where a change to an alert of a sharing group shared between nodes goes, and whom a node accepts
// copies from (pure). Without a hub the nodes form a mesh: each sends its own alerts to every other
// node. With a hub (a regional sharing group such as ASEAN), members send their own alerts to the hub
// only, and the hub redistributes them to the other members: a member needs to trust one peer.

export type GroupNodes = {
  /** The node that receives and redistributes, or null for a mesh. */
  hub: string | null;
  /** Every node of the group (Party codes), the hub included. */
  nodes: readonly string[];
};

/**
 * The nodes a change goes to from `self`. `origin` is the node where the alert was published; `from`
 * the node this copy came from (null for a change made here).
 */
export function recipientsFor(
  group: GroupNodes,
  self: string,
  origin: string,
  from: string | null,
): string[] {
  if (!group.nodes.includes(self)) return [];
  if (group.hub === self) return group.nodes.filter((n) => n !== self && n !== origin && n !== from);
  if (origin !== self) return [];
  if (group.hub === null) return group.nodes.filter((n) => n !== self);
  return [group.hub];
}

/** Why `self` refuses a copy from `from` of an alert published on `origin`; null when it accepts it. */
export function refusalOf(
  group: GroupNodes | null,
  self: string,
  from: string,
  origin: string,
): string | null {
  if (!group?.nodes.includes(self)) return 'this node does not share that sharing group';
  if (!group.nodes.includes(from)) return `${from} is not a node of the sharing group`;
  if (!group.nodes.includes(origin)) return `${origin} is not a node of the sharing group`;
  if (origin === self) return 'an alert published on this node cannot be changed by another node';
  // A node speaks for its own alerts; only the hub passes on another node's.
  if (origin !== from && from !== group.hub)
    return `${from} is not the hub of the sharing group and cannot pass on alerts of ${origin}`;
  return null;
}

/**
 * Where a sighting or false positive reported on `self` about an alert of `origin` goes: back to the
 * publisher's node, through the hub when there is one. Feedback stays with the publisher: the hub
 * passes it on and keeps none of it (unless the alert is its own).
 */
export function feedbackRecipientsFor(group: GroupNodes, self: string, origin: string): string[] {
  if (origin === self || !group.nodes.includes(self)) return [];
  if (group.hub !== null && group.hub !== self) return [group.hub];
  return [origin];
}

/** Why `self` refuses feedback from `from`, reported on `reporter` about an alert of `origin`. */
export function feedbackRefusalOf(
  group: GroupNodes | null,
  self: string,
  from: string,
  reporter: string,
  origin: string,
): string | null {
  if (!group?.nodes.includes(self)) return 'this node does not share that sharing group';
  for (const node of [from, reporter, origin])
    if (!group.nodes.includes(node)) return `${node} is not a node of the sharing group`;
  if (reporter === self) return 'feedback reported on this node cannot come from another node';
  if (from !== reporter && from !== group.hub)
    return `${from} is not the hub of the sharing group and cannot pass on feedback from ${reporter}`;
  if (self !== origin && self !== group.hub) return 'the alert was not published on this node';
  return null;
}
