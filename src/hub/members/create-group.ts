// Create a sharing group, with its own privacy-mode key. A group shared with other nodes has the same
// id on each of them: the first node makes it, the others create it with that `id`.
import { randomBytes } from 'node:crypto';
import { appendAudit } from '../../audit/audit-log.ts';
import { ConflictError, ValidationError } from '../../shared/errors.ts';
import { uuidv7 } from '../../shared/ids.ts';
import { HUB_GROUP_KINDS, hubGroups } from '../../store/schema/index.ts';
import type { GroupKind } from '../hub-types.ts';
import { type MemberContext, publicGroup } from './member-memory.ts';
import type { Group, GroupRecord } from './member-types.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export async function createGroup(
  ctx: MemberContext,
  actor: string,
  input: { name: string; kind: string; id?: string },
): Promise<Group> {
  const { groups } = ctx.memory;
  if (!(HUB_GROUP_KINDS as readonly string[]).includes(input.kind))
    throw new ValidationError([{ field: 'kind', message: `use one of ${HUB_GROUP_KINDS.join(', ')}` }]);
  if (!input.name.trim()) throw new ValidationError([{ field: 'name', message: 'is empty' }]);
  if (input.id !== undefined && !UUID.test(input.id))
    throw new ValidationError([{ field: 'id', message: 'must be a UUID in lower case' }]);
  if ([...groups.values()].some((g) => g.name === input.name))
    throw new ConflictError(`A sharing group named '${input.name}' exists already.`);
  if (input.id !== undefined && groups.has(input.id))
    throw new ConflictError(`A sharing group with id ${input.id} exists already.`);
  const now = ctx.clock.now();
  const hashKey = randomBytes(32);
  const created: GroupRecord = {
    id: input.id ?? uuidv7(now.getTime()),
    name: input.name,
    kind: input.kind as GroupKind,
    memberOrgIds: [],
    hashKey,
  };
  await ctx.db.transaction(async (tx) => {
    await tx.insert(hubGroups).values({
      id: created.id,
      name: created.name,
      kind: created.kind,
      hashKey: hashKey.toString('hex'),
      createdAt: now,
    });
    await appendAudit(
      tx,
      {
        actor,
        action: 'hub.group.create',
        objectType: 'hub_group',
        objectId: created.id,
        payload: { name: created.name, kind: created.kind, id: created.id },
      },
      now,
    );
  });
  groups.set(created.id, created);
  return publicGroup(created);
}
