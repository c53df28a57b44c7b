// Check one value: is this IBAN / phone / wallet in an active alert the caller may read?
import type { IndicatorType } from '../../domain/indicators/index.ts';
import { ValidationError } from '../../shared/errors.ts';
import type { Viewer } from '../hub-types.ts';
import type { CheckContext } from './check-context.ts';
import { lookItem, NO_REFS, refsOf, visible } from './check-steps.ts';

export async function checkOne(
  ctx: CheckContext,
  viewer: Viewer,
  type: IndicatorType,
  raw: string,
  defaultCountry?: string,
) {
  const looked = lookItem(ctx, 0, type, raw, defaultCountry);
  if ('error' in looked) throw new ValidationError([{ field: 'value', message: looked.error }]);
  const refs = looked.rowNos.length === 0 ? NO_REFS : await refsOf(ctx, [looked]);
  return {
    type: looked.type,
    value: looked.value,
    matches: visible(ctx, viewer, looked.rowNos, refs, ctx.clock.now()),
  };
}
