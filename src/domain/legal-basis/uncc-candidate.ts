// The UN Convention as a candidate: both sides in force on the date (arts. 65, 67), the art. 35
// scope when offences are known, art. 37 treaty-basis choice for extradition, reservations.
import type { RequestType } from '../codes.ts';
import type { DirectoryDocument, Party } from '../directory/index.ts';
import { dualCriminalityStatement } from '../requests/refusal-grounds.ts';
import type { LegalBasisCandidate, ReasonPart } from './candidate.ts';
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

type Clause = { text: string; part: ReasonPart };

/** The UNCC candidate with the reason a duty officer can read aloud, in English and as codes. */
export function unccCandidate(input: UnccInput): LegalBasisCandidate {
  const { directory, requesting, requested, date, requestType } = input;
  const article = UNCC_ARTICLES[requestType];
  const notInForce = [requesting, requested]
    .filter((p) => !conventionInForceOn(directory, p.code, date))
    .map((p) => whyNotInForce(directory, p, date));
  if (notInForce.length > 0) {
    return {
      basis: 'UNCC',
      applies: false,
      reason: `UN Convention: ${notInForce.map((c) => c.text).join('; ')}`,
      reasons: notInForce.map((c) => c.part),
      article,
    };
  }
  const inForce = `in force for ${requesting.code} and ${requested.code} on ${date}`;
  const inForcePart = {
    code: 'UNCC_IN_FORCE',
    params: { requesting: requesting.code, requested: requested.code, date },
  };
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
        reasons: [inForcePart, { code: 'UNCC_OUT_OF_SCOPE' }, ...scope.reasons],
        article,
      };
    }
  }
  const notes: Clause[] = [];
  if (requestType === 'EXTRADITION' || requestType === 'PROVISIONAL_ARREST') {
    const choice = requested.convention.treatyBasisForExtradition;
    if (choice === false) {
      const reason = `UN Convention: ${inForce}, but ${requested.code} does not take the Convention as a legal basis for extradition (art. 37); use an extradition treaty or its domestic law`;
      const reasons = [inForcePart, { code: 'UNCC_NO_EXTRADITION_BASIS', params: { state: requested.code } }];
      return { basis: 'UNCC', applies: false, reason, reasons, article };
    }
    if (choice === undefined) {
      notes.push({
        text: `${requested.code} has not said whether it takes the Convention as a legal basis for extradition (art. 37)`,
        part: { code: 'UNCC_EXTRADITION_BASIS_UNKNOWN', params: { state: requested.code } },
      });
    }
  }
  notes.push(...reservationNotes(requested, article));
  const candidate: LegalBasisCandidate = {
    basis: 'UNCC',
    applies: true,
    reason: [`UN Convention: ${inForce}`, ...notes.map((n) => n.text)].join('; note: '),
    reasons: [inForcePart, ...notes.map((n) => n.part)],
    article,
  };
  const dual = dualCriminalityStatement([
    ...requested.convention.reservations,
    ...requested.convention.declarations,
  ]);
  if (dual) candidate.dualCriminalityReserved = dual;
  return candidate;
}

function whyNotInForce(directory: DirectoryDocument, party: Party, date: string): Clause {
  const { signedOn, depositedOn, denouncedOn } = party.convention;
  const state = party.code;
  const from = conventionInForceFrom(directory, state);
  const until = conventionInForceUntil(directory, state);
  const clause = (text: string, code: string, params: Record<string, string | number>) => ({
    text,
    part: { code, params: { state, date, ...params } },
  });
  if (until && date >= until) {
    return clause(
      `no longer in force for ${state} on ${date} (denounced on ${denouncedOn}, effective ${until})`,
      'UNCC_NO_LONGER_IN_FORCE',
      { denouncedOn: denouncedOn ?? '', until },
    );
  }
  if (from && date < from)
    return clause(`not in force for ${state} on ${date} (in force from ${from})`, 'UNCC_NOT_YET_IN_FORCE', {
      from,
    });
  if (depositedOn && depositedOn <= date) {
    const general = generalEntryIntoForce(directory);
    const needed = directory.conventionRules.instrumentsForEntryIntoForce;
    return general
      ? clause(`not in force for ${state} on ${date}`, 'UNCC_NOT_IN_FORCE', {})
      : clause(
          `${state} has deposited its instrument (${depositedOn}) but the Convention is not yet in force (fewer than ${needed} instruments recorded)`,
          'UNCC_NOT_GENERALLY_IN_FORCE',
          { depositedOn, needed },
        );
  }
  if (depositedOn)
    return clause(
      `${state} has not yet deposited its instrument on ${date} (deposit recorded for ${depositedOn})`,
      'UNCC_NOT_YET_DEPOSITED',
      { depositedOn },
    );
  if (signedOn && signedOn <= date)
    return clause(
      `${state} has signed (${signedOn}) but not ratified, accepted or approved it`,
      'UNCC_SIGNED_NOT_RATIFIED',
      { signedOn },
    );
  return clause(`${state} has neither signed nor acceded to it`, 'UNCC_NOT_SIGNED', {});
}

// Reservations do not remove the basis, but the requested side may apply them: say so up front.
function reservationNotes(requested: Party, article: string): Clause[] {
  const number = article.replace(/^art\. /, '');
  return requested.convention.reservations
    .filter((r) => r.article.replace(/^art\.?\s*/i, '').match(/^\d+/)?.[0] === number)
    .map((r) => ({
      text: `${requested.code} has a reservation on art. ${r.article} (${r.flag})`,
      part: { code: 'RESERVATION', params: { state: requested.code, article: r.article, flag: r.flag } },
    }));
}
