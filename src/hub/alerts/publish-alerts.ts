// Publish several alerts all or nothing (a STIX import): every alert must pass and every value must
// normalise, otherwise nothing is written and every problem is reported, named by its place.

import { refusedValue } from '../../domain/refused-value.ts';
import { type FieldProblem, ValidationError } from '../../shared/errors.ts';
import type { Db } from '../../store/database.ts';
import type { Viewer } from '../hub-types.ts';
import type { AlertContext } from './alert-context.ts';
import type { PublishInput } from './alert-types.ts';
import { afterPublish, insertPrepared, type PreparedAlert, prepareAlert } from './publish-alert.ts';

export async function publishAlerts(
  ctx: AlertContext,
  viewer: Viewer,
  inputs: PublishInput[],
  source: string,
  // Runs in the same transaction with the new alert ids (the STIX object store keeps what was sent).
  alsoInTransaction?: (tx: Db, alertIds: string[], now: Date) => Promise<void>,
) {
  const now = ctx.clock.now();
  const problems: FieldProblem[] = [];
  const prepared: PreparedAlert[] = [];
  inputs.forEach((input, i) => {
    try {
      const p = prepareAlert(ctx, viewer, input, now);
      for (const r of p.rejected)
        problems.push({
          field: `alerts/${i}/indicators/${r.index}`,
          message: refusedValue(r.value, r.error),
        });
      prepared.push(p);
    } catch (error) {
      if (error instanceof ValidationError)
        for (const e of error.errors) problems.push({ field: `alerts/${i}/${e.field}`, message: e.message });
      else throw error;
    }
  });
  if (problems.length) throw new ValidationError(problems);
  const written = await ctx.db.transaction(async (tx) => {
    const out = [];
    for (const p of prepared) out.push(await insertPrepared(ctx, tx, p, viewer.userId, source, now));
    await alsoInTransaction?.(
      tx,
      prepared.map((p) => p.meta.id),
      now,
    );
    return out;
  });
  for (const [i, p] of prepared.entries()) afterPublish(ctx, p.meta, written[i]!, now);
  return prepared.map((p, i) => ({ id: p.meta.id, indicators: written[i]!.length }));
}
