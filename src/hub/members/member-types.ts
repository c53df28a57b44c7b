// The types of the hub's membership: organisations and sharing groups. The context of its use cases
// (one per file in this folder) is in member-memory.ts, with what it holds.
import type { GroupKind, OrgKind } from '../hub-types.ts';

export type Org = { id: string; name: string; kind: OrgKind; country: string; createdAt: Date };
export type Group = { id: string; name: string; kind: GroupKind; memberOrgIds: string[] };
export type GroupRecord = Group & { hashKey: Buffer };
