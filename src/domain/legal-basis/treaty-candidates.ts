// Bilateral and regional MLA treaties between the two parties (art. 60 keeps them applying).
import type { RequestType } from '../codes.ts';
import type { DirectoryDocument, Treaty, TreatyKind } from '../directory/index.ts';
import type { LegalBasisCandidate, ReasonPart } from './candidate.ts';
import { REQUEST_TYPE_LABELS } from './request-labels.ts';

const KIND_LABELS: Record<TreatyKind, string> = {
  BILATERAL_TREATY: 'Bilateral treaty',
  REGIONAL_TREATY: 'Regional treaty',
};

/** One candidate per treaty of `kind` naming both parties (applicable ones first), or one that says none exists. */
export function treatyCandidates(
  directory: DirectoryDocument,
  kind: TreatyKind,
  requesting: string,
  requested: string,
  date: string,
  requestType: RequestType,
): LegalBasisCandidate[] {
  const treaties = directory.treaties.filter(
    (t) => t.kind === kind && t.parties.includes(requesting) && t.parties.includes(requested),
  );
  if (treaties.length === 0) {
    const what = kind === 'BILATERAL_TREATY' ? 'bilateral' : 'regional';
    return [
      {
        basis: kind,
        applies: false,
        reason: `No ${what} treaty between ${requesting} and ${requested} is recorded in the directory`,
        reasons: [{ code: `TREATY_NONE_${what.toUpperCase()}`, params: { requesting, requested } }],
      },
    ];
  }
  const candidates = treaties.map((t) => treatyCandidate(t, date, requestType));
  return [...candidates.filter((c) => c.applies), ...candidates.filter((c) => !c.applies)];
}

function treatyCandidate(treaty: Treaty, date: string, requestType: RequestType): LegalBasisCandidate {
  const title = `${KIND_LABELS[treaty.kind]} '${treaty.name}'`;
  const problems: string[] = [];
  const named = { kind: treaty.kind, name: treaty.name };
  const parts: ReasonPart[] = [];
  if (date < treaty.inForceFrom) {
    problems.push(`not in force on ${date} (in force from ${treaty.inForceFrom})`);
    parts.push({ code: 'TREATY_NOT_YET_IN_FORCE', params: { ...named, date, from: treaty.inForceFrom } });
  }
  if (treaty.until !== undefined && date >= treaty.until) {
    problems.push(`no longer in force on ${date} (ended ${treaty.until})`);
    parts.push({ code: 'TREATY_ENDED', params: { ...named, date, until: treaty.until } });
  }
  if (treaty.covers !== 'ALL' && !treaty.covers.includes(requestType)) {
    problems.push(`does not cover ${REQUEST_TYPE_LABELS[requestType]}`);
    parts.push({ code: 'TREATY_NOT_COVERING', params: { ...named, type: requestType } });
  }
  if (parts.length === 0)
    parts.push({
      code: 'TREATY_IN_FORCE',
      params: { ...named, from: treaty.inForceFrom, type: requestType },
    });
  const reason =
    problems.length > 0
      ? `${title}: ${problems.join('; ')}`
      : `${title}: in force since ${treaty.inForceFrom} and covers ${REQUEST_TYPE_LABELS[requestType]}`;
  return { basis: treaty.kind, treatyRef: treaty.id, applies: problems.length === 0, reason, reasons: parts };
}
