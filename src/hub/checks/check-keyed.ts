// Privacy mode: the caller sends HMAC-SHA-256 (hex) of each normalised value under the group's key.
// Only hashes that match an indicator the caller may read come back, so a value that matched nothing
// is never known to the hub.
import { isIndicatorType } from '../../domain/indicators/index.ts';
import { ForbiddenError, ValidationError } from '../../shared/errors.ts';
import type { CheckMatch, Viewer } from '../hub-types.ts';
import type { CheckContext } from './check-context.ts';
import { NONE, refsOf, visible } from './check-steps.ts';

const HEX64 = /^[0-9a-f]{64}$/;

/**
 * How this check finds rows by digest. Once the group's in-memory table is built, there. Before (the
 * group's first privacy-mode check, and every check after a restart until the table is rebuilt in the
 * background), from the digests kept with the rows (src/hub/privacy-digests.ts), in one indexed query
 * for the whole request: the check never waits for the build. A row counts only while the index
 * holds it, as the built table would.
 */
async function keyedLookup(
  ctx: CheckContext,
  groupId: string,
  items: readonly { type: string; hash: string }[],
): Promise<(type: string, hash: string) => readonly number[]> {
  const fromMemory = (type: string, hash: string) => ctx.index.lookupKeyed(groupId, type, hash);
  if (ctx.index.groupReady(groupId)) return fromMemory;
  const build = ctx.index.prepareGroup(groupId, ctx.alerts.groupSource(groupId));
  if (!ctx.digests) {
    await build;
    return fromMemory;
  }
  // A failed build is forgotten by the index: the next check starts another.
  build.catch(() => {});
  await ctx.digests.fill(groupId);
  const byHash = await ctx.digests.rowsOf(
    groupId,
    items.map((it) => it.hash.toLowerCase()),
  );
  return (type, hash) => {
    const rows = byHash.get(hash);
    if (!rows) return NONE;
    return rows
      .filter((r) => r.type === type && ctx.index.holds(r.type, r.value, r.rowNo))
      .map((r) => r.rowNo);
  };
}

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
  await ctx.markPrivacyUsed?.(groupId);
  const lookup = await keyedLookup(ctx, groupId, items);
  const hits: { i: number; hash: string; type: string; rowNos: readonly number[] }[] = [];
  for (let i = 0; i < items.length; i++) {
    const it = items[i]!;
    const hash = it.hash.toLowerCase();
    const rowNos = lookup(it.type, hash);
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
