// Privacy mode: the caller sends HMAC-SHA-256 (hex) of each normalised value under the group's key.
// Only hashes that match an indicator the caller may read come back, so a value that matched nothing
// is never known to the hub.
import { isIndicatorType } from '../../domain/indicators/index.ts';
import { ForbiddenError, ValidationError } from '../../shared/errors.ts';
import type { CheckMatch, Viewer } from '../hub-types.ts';
import type { CheckContext } from './check-context.ts';
import { refsOf, visible } from './check-steps.ts';

const HEX64 = /^[0-9a-f]{64}$/;

export async function checkKeyed(
  ctx: CheckContext,
  viewer: Viewer,
  groupId: string,
  items: readonly { type: string; hash: string }[],
) {
  if (!viewer.groupIds.includes(groupId))
    throw new ForbiddenError(
      'Your organisation is not a member of this sharing group.',
      'ERR_HUB_NOT_GROUP_MEMBER',
    );
  const problems = [];
  for (let i = 0; i < items.length; i++) {
    const it = items[i]!;
    if (!isIndicatorType(it.type))
      problems.push({ field: `items/${i}/type`, message: 'unknown indicator type' });
    if (!HEX64.test(String(it.hash).toLowerCase()))
      problems.push({ field: `items/${i}/hash`, message: 'must be 64 hex characters (HMAC-SHA-256)' });
    if (problems.length >= 20) break;
  }
  if (problems.length) throw new ValidationError(problems);
  ctx.membership.group(groupId);
  // The group's privacy-mode table is built on its first such check (or, for a group that used
  // privacy mode before, in the background after start); later checks find it ready.
  await Promise.all([
    ctx.index.prepareGroup(groupId, ctx.alerts.groupSource(groupId)),
    ctx.markPrivacyUsed?.(groupId),
  ]);
  const hits: { i: number; hash: string; type: string; rowNos: readonly number[] }[] = [];
  for (let i = 0; i < items.length; i++) {
    const it = items[i]!;
    const hash = it.hash.toLowerCase();
    const rowNos = ctx.index.lookupKeyed(groupId, it.type, hash);
    if (rowNos.length) hits.push({ i, hash, type: it.type, rowNos });
  }
  const refs = await refsOf(ctx, hits);
  const now = ctx.clock.now();
  const matches: { i: number; hash: string; type: string; matches: CheckMatch[] }[] = [];
  for (const h of hits) {
    const found = visible(ctx, viewer, h.rowNos, refs, now);
    if (found.length) matches.push({ i: h.i, hash: h.hash, type: h.type, matches: found });
  }
  return { checked: items.length, matches };
}
