// A candidate for an instrument other than the UN Convention (Budapest, its Second Protocol,
// UNTOC, UNCAC, EU instruments): both sides bound on the date and the request type covered.
import type { RequestType } from '../codes.ts';
import type { Instrument, Party } from '../directory/index.ts';
import type { LegalBasisCandidate, ReasonPart } from './candidate.ts';
import { type CoverageTable, INSTRUMENT_CAVEATS, INSTRUMENT_NAMES } from './instrument-coverage.ts';
import { membershipOn, nextMembership } from './parties.ts';
import { REQUEST_TYPE_LABELS } from './request-labels.ts';

/** The candidate for `instrument` between the two parties on `date`. */
export function instrumentCandidate(
  instrument: Instrument,
  requesting: Party,
  requested: Party,
  date: string,
  requestType: RequestType,
  coverage: CoverageTable,
): LegalBasisCandidate {
  const name = INSTRUMENT_NAMES[instrument];
  const article = coverage[instrument][requestType];
  const problems: string[] = [];
  const parts: ReasonPart[] = [];
  if (article === undefined) {
    problems.push(`does not cover ${REQUEST_TYPE_LABELS[requestType]}`);
    parts.push({ code: 'INSTRUMENT_NOT_COVERING', params: { instrument, type: requestType } });
  }
  for (const party of [requesting, requested]) {
    if (membershipOn(party, instrument, date)) continue;
    const next = nextMembership(party, instrument, date);
    problems.push(
      next
        ? `not in force for ${party.code} on ${date} (in force from ${next.inForceFrom})`
        : `${party.code} is not bound by it on ${date}`,
    );
    parts.push(
      next
        ? {
            code: 'INSTRUMENT_NOT_YET_IN_FORCE',
            params: { instrument, state: party.code, date, from: next.inForceFrom },
          }
        : { code: 'INSTRUMENT_NOT_BOUND', params: { instrument, state: party.code, date } },
    );
  }
  const candidate: LegalBasisCandidate = { basis: instrument, applies: problems.length === 0, reason: '' };
  if (article !== undefined) candidate.article = article;
  if (problems.length > 0) {
    candidate.reason = `${name}: ${problems.join('; ')}`;
    candidate.reasons = parts;
    return candidate;
  }
  const caveat = INSTRUMENT_CAVEATS[instrument];
  candidate.reasons = [
    {
      code: 'INSTRUMENT_IN_FORCE',
      params: { instrument, requesting: requesting.code, requested: requested.code, date, type: requestType },
    },
    ...(caveat ? [{ code: `CAVEAT_${instrument}` }] : []),
  ];
  candidate.reason = `${name}: in force for ${requesting.code} and ${requested.code} on ${date} and covers ${REQUEST_TYPE_LABELS[requestType]}${caveat ? `; ${caveat}` : ''}`;
  return candidate;
}
