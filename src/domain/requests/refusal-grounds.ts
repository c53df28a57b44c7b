// Which refusal grounds the legal basis of a request provides (convention.md §5.5, §10.1): the
// desk offers only these, and a refusal on another ground is refused with the basis's list. The
// lists live in ../law (verified constants and correctable [U] data); this only chooses among them.
import type { RequestType } from '../codes.ts';
import {
  BUDAPEST_MLA_GROUNDS,
  PRESERVATION_TYPES,
  UN_MLA_TREATY_GROUNDS,
  UNCC_MLA_GROUNDS,
  UNCC_PRESERVATION_GROUNDS,
} from '../law/unverified.ts';
import { BUDAPEST_PRESERVATION_GROUNDS } from '../law/verified.ts';
import { REFUSAL_GROUNDS, type RefusalGround } from './vocabulary.ts';

export type GroundList = {
  grounds: readonly RefusalGround[];
  /** Where the list comes from, for messages: 'UN Convention art. 42'. */
  source: string;
};

/** The grounds on which a request of `type` made on `basis` may be refused. */
export function refusalGroundsFor(basis: string | null | undefined, type: RequestType): GroundList {
  const preservation = PRESERVATION_TYPES.includes(type);
  switch (basis) {
    case 'UNCC':
      return preservation
        ? {
            grounds: UNCC_PRESERVATION_GROUNDS,
            source: `UN Convention ${type === 'PRESERVATION' ? 'art. 42' : 'art. 43'}`,
          }
        : { grounds: UNCC_MLA_GROUNDS, source: 'UN Convention art. 40' };
    case 'BUDAPEST':
      return preservation
        ? {
            grounds: BUDAPEST_PRESERVATION_GROUNDS.grounds,
            source: type === 'PRESERVATION' ? BUDAPEST_PRESERVATION_GROUNDS.article : 'Budapest art. 30(2)',
          }
        : { grounds: BUDAPEST_MLA_GROUNDS, source: 'Budapest arts. 25(4), 27(4)' };
    case 'UNTOC':
      return { grounds: UN_MLA_TREATY_GROUNDS, source: 'UNTOC art. 18(21)' };
    case 'UNCAC':
      return { grounds: UN_MLA_TREATY_GROUNDS, source: 'UNCAC art. 46(21)' };
    default:
      // Treaties, reciprocity, EU law and domestic law carry their own lists: every ground is offered.
      return { grounds: REFUSAL_GROUNDS, source: 'the treaty or law relied on' };
  }
}

/** The flag of a reservation or declaration on the preservation article that keeps dual criminality. */
export function dualCriminalityStatement(
  statements: readonly { article: string; flag: string }[],
): string | undefined {
  return statements.find(
    (s) =>
      s.article.replace(/^art\.?\s*/i, '').match(/^\d+/)?.[0] === '42' && /DUAL_CRIMINALITY/.test(s.flag),
  )?.flag;
}
