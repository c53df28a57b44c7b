// The UN Convention as a candidate: both sides in force on the date (arts. 65, 67), the art. 35
// scope when offences are known, art. 37 treaty-basis choice for extradition, reservations.
import type { RequestType } from '../codes.ts';
import type { DirectoryDocument, Party } from '../directory/index.ts';
import { dualCriminalityStatement } from '../requests/refusal-grounds.ts';
import type { LegalBasisCandidate } from './candidate.ts';
import {
  conventionInForceFrom,
  conventionInForceOn,
  conventionInForceUntil,
  generalEntryIntoForce,
} from './entry-into-force.ts';
import { UNCC_ARTICLES } from './request-labels.ts';
import { type ScopeGateOptions, type ScopeOffence, scopeGate } from './scope-gate.ts';

export type UnccInput = {
  directory: DirectoryDocument;
  requesting: Party;
  requested: Party;
  date: string;
  requestType: RequestType;
  offences?: readonly ScopeOffence[] | undefined;
  measures?: readonly string[] | undefined;
  scopeOptions?: ScopeGateOptions | undefined;
};

/** The UNCC candidate with the reason a duty officer can read aloud. */
export function unccCandidate(input: UnccInput): LegalBasisCandidate {
  const { directory, requesting, requested, date, requestType } = input;
  const article = UNCC_ARTICLES[requestType];
  const notInForce = [requesting, requested]
    .filter((p) => !conventionInForceOn(directory, p.code, date))
    .map((p) => whyNotInForce(directory, p, date));
  if (notInForce.length > 0) {
    return { basis: 'UNCC', applies: false, reason: `UN Convention: ${notInForce.join('; ')}`, article };
  }
  const inForce = `in force for ${requesting.code} and ${requested.code} on ${date}`;
  if (input.offences && input.offences.length > 0) {
    const scope = scopeGate(
      { offences: input.offences, requestType, measures: input.measures },
      input.scopeOptions,
    );
    if (scope.result === 'OUT_OF_SCOPE') {
      return {
        basis: 'UNCC',
        applies: false,
        reason: `UN Convention: ${inForce}, but out of scope: ${scope.reason}`,
        article,
      };
    }
  }
  const notes: string[] = [];
  if (requestType === 'EXTRADITION' || requestType === 'PROVISIONAL_ARREST') {
    const choice = requested.convention.treatyBasisForExtradition;
    if (choice === false) {
      const reason = `UN Convention: ${inForce}, but ${requested.code} does not take the Convention as a legal basis for extradition (art. 37); use an extradition treaty or its domestic law`;
      return { basis: 'UNCC', applies: false, reason, article };
    }
    if (choice === undefined) {
      notes.push(
        `${requested.code} has not said whether it takes the Convention as a legal basis for extradition (art. 37)`,
      );
    }
  }
  notes.push(...reservationNotes(requested, article));
  const candidate: LegalBasisCandidate = {
    basis: 'UNCC',
    applies: true,
    reason: [`UN Convention: ${inForce}`, ...notes].join('; note: '),
    article,
  };
  const dual = dualCriminalityStatement([
    ...requested.convention.reservations,
    ...requested.convention.declarations,
  ]);
  if (dual) candidate.dualCriminalityReserved = dual;
  return candidate;
}

function whyNotInForce(directory: DirectoryDocument, party: Party, date: string): string {
  const { signedOn, depositedOn } = party.convention;
  const from = conventionInForceFrom(directory, party.code);
  const until = conventionInForceUntil(directory, party.code);
  if (until && date >= until) {
    return `no longer in force for ${party.code} on ${date} (denounced on ${party.convention.denouncedOn}, effective ${until})`;
  }
  if (from && date < from) return `not in force for ${party.code} on ${date} (in force from ${from})`;
  if (depositedOn && depositedOn <= date) {
    const general = generalEntryIntoForce(directory);
    const needed = directory.conventionRules.instrumentsForEntryIntoForce;
    return general
      ? `not in force for ${party.code} on ${date}`
      : `${party.code} has deposited its instrument (${depositedOn}) but the Convention is not yet in force (fewer than ${needed} instruments recorded)`;
  }
  if (depositedOn)
    return `${party.code} has not yet deposited its instrument on ${date} (deposit recorded for ${depositedOn})`;
  if (signedOn && signedOn <= date)
    return `${party.code} has signed (${signedOn}) but not ratified, accepted or approved it`;
  return `${party.code} has neither signed nor acceded to it`;
}

// Reservations do not remove the basis, but the requested side may apply them: say so up front.
function reservationNotes(requested: Party, article: string): string[] {
  const number = article.replace(/^art\. /, '');
  return requested.convention.reservations
    .filter((r) => r.article.replace(/^art\.?\s*/i, '').match(/^\d+/)?.[0] === number)
    .map((r) => `${requested.code} has a reservation on art. ${r.article} (${r.flag})`);
}
