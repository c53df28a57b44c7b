// Create a member organisation of the hub (a bank, a telecom operator, a CERT, …). Names are unique.
import { appendAudit } from '../../audit/audit-log.ts';
import { ConflictError, ValidationError } from '../../shared/errors.ts';
import { uuidv7 } from '../../shared/ids.ts';
import { HUB_ORG_KINDS, hubOrgs } from '../../store/schema/index.ts';
import type { OrgKind } from '../hub-types.ts';
import type { MemberContext } from './member-memory.ts';
import type { Org } from './member-types.ts';

const COUNTRY = /^[A-Z]{2}$/;

export async function createOrg(
  ctx: MemberContext,
  actor: string,
  input: { name: string; kind: string; country: string },
): Promise<Org> {
  const problems = [];
  if (!(HUB_ORG_KINDS as readonly string[]).includes(input.kind))
    problems.push({ field: 'kind', message: `use one of ${HUB_ORG_KINDS.join(', ')}` });
  if (!COUNTRY.test(input.country))
    problems.push({ field: 'country', message: 'use an ISO 3166-1 alpha-2 code' });
  if (!input.name.trim()) problems.push({ field: 'name', message: 'is empty' });
  if (problems.length) throw new ValidationError(problems);
  if ([...ctx.memory.orgs.values()].some((o) => o.name === input.name))
    throw new ConflictError(`An organisation named '${input.name}' exists already.`);
  const now = ctx.clock.now();
  const created: Org = {
    id: uuidv7(now.getTime()),
    name: input.name,
    kind: input.kind as OrgKind,
    country: input.country,
    createdAt: now,
  };
  await ctx.db.transaction(async (tx) => {
    await tx.insert(hubOrgs).values(created);
    await appendAudit(
      tx,
      {
        actor,
        action: 'hub.org.create',
        objectType: 'hub_org',
        objectId: created.id,
        payload: { name: created.name, kind: created.kind, country: created.country },
      },
      now,
    );
  });
  ctx.memory.orgs.set(created.id, created);
  return created;
}
