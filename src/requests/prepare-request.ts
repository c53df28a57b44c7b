// Everything checked before a request is written: its schema, the node's own State, the legal
// basis (resolver + directory, stored with its reason), the art. 35 scope, linked requests, and
// the keyed hashes of its identifiers for the duplicate warning.
import type { LegalBasisCode, OffenceCode, RequestType } from '../domain/codes.ts';
import type { DirectoryDocument } from '../domain/directory/index.ts';
import {
  InvalidDateError,
  resolveLegalBasis,
  SamePartyError,
  scopeGate,
  UnknownPartyError,
} from '../domain/legal-basis/index.ts';
import {
  chooseLegalBasis,
  type Direction,
  type IdentifierKind,
  validateRequest,
} from '../domain/requests/index.ts';
import { ConflictError, ValidationError } from '../shared/errors.ts';
import type { Db } from '../store/database.ts';
import type { IdentifierHasher } from './identifier-hash.ts';
import { existingIds, findDuplicates } from './request-store.ts';

export type DuplicateWarning = { identifier: number; kind: string; requestIds: string[]; message: string };

export type Prepared = {
  type: RequestType;
  direction: Direction;
  body: Record<string, unknown>;
  choice: { basis: LegalBasisCode; treatyRef: string | null; reason: string };
  candidates: unknown;
  scope: { result: string; reason: string };
  links: string[];
  identifiers: { kind: string; keyedHash: string }[];
};

/** Validation and duplicate search for one node (its State, its identifier key). */
/** The columns of a request row that record its legal basis and scope, as prepared. */
export function legalBasisColumns(prepared: Prepared) {
  return {
    legalBasis: prepared.choice.basis,
    treatyRef: prepared.choice.treatyRef,
    legalBasisReason: prepared.choice.reason,
    legalBasisCandidates: prepared.candidates,
    scopeResult: prepared.scope.result,
    scopeReason: prepared.scope.reason,
  };
}

export function createRequestPreparer(nodeState: string, hasher: IdentifierHasher | null) {
  const options = { nodeState };

  /** Validation, legal basis and scope: everything checked before a draft is written. */
  async function prepare(
    tx: Db,
    type: RequestType,
    direction: Direction,
    fields: Record<string, unknown>,
    now: Date,
    document: DirectoryDocument,
  ): Promise<Prepared> {
    const body = { ...fields };
    const own = direction === 'OUTGOING' ? 'requestingState' : 'requestedState';
    if (body[own] === undefined) body[own] = options.nodeState;
    if (body[own] !== options.nodeState) {
      throw new ValidationError([
        {
          field: `/${own}`,
          message: `this node is ${options.nodeState}: an ${direction.toLowerCase()} request has ${options.nodeState} as ${own}`,
          article: 'art. 40',
        },
      ]);
    }
    const validation = validateRequest(type, body);
    if (!validation.ok) throw new ValidationError(validation.errors);
    const offences = (body.offences as { code: OffenceCode; maxPenaltyMonths?: number }[]).map((o) => ({
      code: o.code,
      ...(o.maxPenaltyMonths !== undefined ? { maxPenaltyMonths: o.maxPenaltyMonths } : {}),
    }));
    const measures = Array.isArray(body.assistanceSought) ? (body.assistanceSought as string[]) : undefined;
    const date = now.toISOString().slice(0, 10);
    const requesting = body.requestingState as string;
    const requested = body.requestedState as string;
    let candidates: ReturnType<typeof resolveLegalBasis>;
    try {
      candidates = resolveLegalBasis({
        directory: document,
        requesting,
        requested,
        date,
        requestType: type,
        offences,
        ...(measures ? { measures } : {}),
      });
    } catch (error) {
      if (error instanceof UnknownPartyError) {
        const field = error.partyCode === requesting ? '/requestingState' : '/requestedState';
        throw new ValidationError([{ field, message: error.message, article: 'art. 40' }]);
      }
      if (error instanceof SamePartyError || error instanceof InvalidDateError) {
        throw new ValidationError([{ field: '/requestedState', message: error.message }]);
      }
      throw error;
    }
    const scope = scopeGate({ offences, requestType: type, measures });
    const chosen = chooseLegalBasis({
      candidates,
      scope,
      chosen: body.legalBasis as LegalBasisCode | undefined,
      treatyRef: body.treatyRef as string | undefined,
      reciprocityUndertaking: body.reciprocityUndertaking as boolean | undefined,
      label: `${type} ${requesting} → ${requested} on ${date}`,
    });
    if (!chosen.ok) throw new ValidationError(chosen.errors);
    const links = [
      ...new Set([
        ...((body.linkedRequestIds as string[] | undefined) ?? []),
        ...(typeof body.linkedPreservationId === 'string' ? [body.linkedPreservationId] : []),
      ]),
    ];
    const known = await existingIds(tx, links);
    const unknown = links.filter((id) => !known.has(id));
    if (unknown.length > 0) {
      throw new ValidationError(
        unknown.map((id) => ({
          field: '/linkedRequestIds',
          message: `no request '${id}' on this node`,
          article: 'art. 40',
        })),
      );
    }
    const list = (body.identifiers as { kind: IdentifierKind; value: string }[] | undefined) ?? [];
    if (list.length > 0 && !hasher) {
      throw new ConflictError(
        'Identifiers are hashed under the node secret (HANOI247_KEY_SECRET), which is not set.',
        'ERR_NO_NODE_SECRET',
      );
    }
    const identifiers = list.map((i) => ({ kind: i.kind, keyedHash: hasher!(i.kind, i.value) }));
    return {
      type,
      direction,
      body,
      choice: chosen.choice,
      candidates,
      scope: { result: scope.result, reason: scope.reason },
      links,
      identifiers,
    };
  }

  async function duplicates(
    tx: Db,
    requestId: string,
    partner: string,
    prepared: Prepared,
  ): Promise<DuplicateWarning[]> {
    const hits = await findDuplicates(
      tx,
      requestId,
      partner,
      prepared.identifiers.map((i) => i.keyedHash),
    );
    const out: DuplicateWarning[] = [];
    prepared.identifiers.forEach((identifier, index) => {
      const ids = [
        ...new Set(hits.filter((h) => h.keyedHash === identifier.keyedHash).map((h) => h.requestId)),
      ];
      if (ids.length > 0) {
        out.push({
          identifier: index,
          kind: identifier.kind,
          requestIds: ids,
          message: `identifiers/${index} (${identifier.kind}) is already named in ${ids.length} open request${ids.length > 1 ? 's' : ''} to ${partner}`,
        });
      }
    });
    return out;
  }

  return { prepare, duplicates };
}
