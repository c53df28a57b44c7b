// The steps several alert use cases share: who may publish or change an alert and to whom it may go,
// writing indicator rows, and indicator rows as subscribers are told of them.
import { sha256Hex } from '../../crypto/hash.ts';
import type { IndicatorType } from '../../domain/indicators/index.ts';
import { type FieldProblem, ForbiddenError, NotFoundError, ValidationError } from '../../shared/errors.ts';
import type { Db } from '../../store/database.ts';
import type { AlertMeta, TlpLabel, Viewer } from '../hub-types.ts';
import { deriveIndicatorId } from '../indicator-ids.ts';
import { insertIndicatorRows } from '../indicator-rows.ts';
import type { Membership } from '../membership.ts';
import { canManage, canRead } from '../visibility.ts';
import type { AlertContext } from './alert-context.ts';
import type { IndicatorRow, Normalised } from './alert-types.ts';

export function requireOrg(viewer: Viewer): string {
  if (!viewer.orgId)
    throw new ForbiddenError(
      'Your account belongs to no member organisation of the hub; an administrator adds it to one.',
      'ERR_HUB_NO_ORG',
    );
  return viewer.orgId;
}

export function checkAudience(
  membership: Membership,
  viewer: Viewer,
  groupId: string,
  tlp: TlpLabel,
  recipients: string[],
) {
  const group = membership.findGroup(groupId);
  if (!group) throw new ValidationError([{ field: 'groupId', message: 'no such sharing group' }]);
  if (!viewer.orgId || !group.memberOrgIds.includes(viewer.orgId))
    throw new ForbiddenError(
      'Your organisation is not a member of this sharing group.',
      'ERR_HUB_NOT_GROUP_MEMBER',
    );
  const problems: FieldProblem[] = [];
  recipients.forEach((id, i) => {
    if (!group.memberOrgIds.includes(id))
      problems.push({
        field: `recipientOrgIds/${i}`,
        message: 'is not a member organisation of the group',
      });
  });
  if (tlp !== 'RED' && tlp !== 'AMBER+STRICT' && recipients.length > 0)
    problems.push({
      field: 'recipientOrgIds',
      message: 'recipients are only named for TLP:RED and TLP:AMBER+STRICT',
    });
  if (problems.length) throw new ValidationError(problems);
}

/** The alert this viewer changes: NotFound when it may not read it, Forbidden when it is not the publisher. */
export function managed(ctx: AlertContext, viewer: Viewer, id: string): AlertMeta {
  const meta = ctx.memory.metas.get(id);
  if (!meta || !canRead(viewer, meta)) throw new NotFoundError('Alert', id);
  if (!canManage(viewer, meta))
    throw new ForbiddenError('Only the publishing organisation changes this alert.', 'ERR_HUB_NOT_PUBLISHER');
  return meta;
}

/** `digest`: the group's HMAC of a value, kept with the row for privacy-mode checks. */
export async function insertIndicators(
  tx: Db,
  alertId: string,
  items: Normalised[],
  now: Date,
  digest: (value: string) => Uint8Array,
) {
  const rows = items.map((i) => ({
    id: deriveIndicatorId(alertId, i.type, i.value),
    alertId,
    type: i.type,
    value: i.value,
    valueHash: sha256Hex(i.value),
    createdAt: now,
    keyedDigest: digest(i.value),
  }));
  return insertIndicatorRows(tx, rows);
}

export const asEventItems = (rows: readonly IndicatorRow[]) =>
  rows.map((r) => ({ id: r.id, type: r.type as IndicatorType, value: r.value }));
