import { OFFENCE_CODES, type OffenceCode, REQUEST_TYPES, type RequestType } from '../domain/codes.ts';
import type { DirectoryDocument } from '../domain/directory/index.ts';
import {
  InvalidDateError,
  pickPrimaryBasis,
  resolveLegalBasis,
  SamePartyError,
  scopeGate,
  UnknownPartyError,
} from '../domain/legal-basis/index.ts';
import { ValidationError } from '../shared/errors.ts';

export type LegalBasisQuery = {
  requesting: string;
  requested: string;
  date: string;
  type: string;
  offences?: string[];
};

/** Accepts 'preservation', 'PRESERVATION' or 'mla-stored-data' for a request type. */
export function parseRequestType(value: string, field: string): RequestType {
  const normalised = value.trim().toUpperCase().replaceAll('-', '_');
  if ((REQUEST_TYPES as readonly string[]).includes(normalised)) return normalised as RequestType;
  throw new ValidationError([
    {
      field,
      message: `'${value}' is not a request type; use one of ${REQUEST_TYPES.join(', ').toLowerCase()}`,
    },
  ]);
}

/** Parses 'ICT_THEFT_FRAUD' or 'SERIOUS_CRIME:60' (maximum penalty in months). */
export function parseOffences(
  values: string[],
  field: string,
): { code: OffenceCode; maxPenaltyMonths?: number }[] {
  return values.map((value, i) => {
    const [rawCode, months] = value.split(':');
    const code = (rawCode ?? '').trim().toUpperCase().replaceAll('-', '_');
    if (!(OFFENCE_CODES as readonly string[]).includes(code)) {
      throw new ValidationError([
        {
          field: `${field}/${i}`,
          message: `'${rawCode}' is not an offence code; use one of ${OFFENCE_CODES.join(', ')}`,
        },
      ]);
    }
    if (months === undefined) return { code: code as OffenceCode };
    const n = Number(months);
    if (!Number.isInteger(n) || n < 0 || n > 1200) {
      throw new ValidationError([
        { field: `${field}/${i}`, message: `'${months}' is not a maximum penalty in months` },
      ]);
    }
    return { code: code as OffenceCode, maxPenaltyMonths: n };
  });
}

/** Every candidate legal basis, the one that applies first, and the scope gate when offences are given. */
export function answerLegalBasis(directory: DirectoryDocument, query: LegalBasisQuery) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(query.date) || Number.isNaN(Date.parse(query.date))) {
    throw new ValidationError([{ field: 'date', message: `'${query.date}' is not a date (YYYY-MM-DD)` }]);
  }
  const requestType = parseRequestType(query.type, 'type');
  const requesting = query.requesting.toUpperCase();
  const requested = query.requested.toUpperCase();
  const offences =
    query.offences && query.offences.length > 0 ? parseOffences(query.offences, 'offences') : null;
  let candidates: ReturnType<typeof resolveLegalBasis>;
  try {
    candidates = resolveLegalBasis({
      directory,
      requesting,
      requested,
      date: query.date,
      requestType,
      offences: offences ?? undefined,
    });
  } catch (error) {
    if (error instanceof UnknownPartyError) {
      throw new ValidationError([
        { field: error.partyCode === requesting ? 'requesting' : 'requested', message: error.message },
      ]);
    }
    if (error instanceof SamePartyError)
      throw new ValidationError([{ field: 'requested', message: error.message }]);
    if (error instanceof InvalidDateError)
      throw new ValidationError([{ field: 'date', message: error.message }]);
    throw error;
  }
  const primary = pickPrimaryBasis(candidates) ?? null;
  const scope = offences ? scopeGate({ offences, requestType }) : null;
  return {
    requesting,
    requested,
    date: query.date,
    requestType,
    demo: directory.demo,
    primary,
    candidates,
    scope,
  };
}
