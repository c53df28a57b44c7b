// Small synthetic directories for entry-into-force tests: real ISO codes, no authorities.
import {
  type ConventionRules,
  DEFAULT_CONVENTION_RULES,
  type DirectoryDocument,
  ISO_3166_1,
  type Party,
} from '../../../src/domain/directory/index.ts';

export type PartySpec = {
  code: string;
  signedOn?: string;
  depositedOn?: string;
  denouncedOn?: string;
  regional?: boolean;
};

/** A party with only the Convention fields a test sets. */
export function party(spec: PartySpec): Party {
  const convention: Party['convention'] = { declarations: [], reservations: [] };
  if (spec.signedOn) convention.signedOn = spec.signedOn;
  if (spec.depositedOn) convention.depositedOn = spec.depositedOn;
  if (spec.denouncedOn) convention.denouncedOn = spec.denouncedOn;
  return {
    code: spec.code,
    name: spec.code,
    isRegionalOrganisation: spec.regional === true,
    convention,
    instruments: [],
    authorities: [],
  };
}

/** Codes that tests can use as filler States, never the ones they name explicitly. */
export const FILLER_CODES = Object.keys(ISO_3166_1).filter(
  (c) => !['VN', 'FR', 'DE', 'MY', 'LA', 'JP'].includes(c),
);

/** `count` filler States that deposited from 2026-01-01, one a day, the last on `lastOn` if given. */
export function fillerDepositors(count: number, lastOn?: string): Party[] {
  return Array.from({ length: count }, (_, i) => {
    const day = new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10);
    const depositedOn = lastOn && i === count - 1 ? lastOn : day;
    return party({ code: FILLER_CODES[i]!, signedOn: '2025-10-25', depositedOn });
  });
}

/** A directory with the given parties and rules. */
export function directoryOf(parties: Party[], rules: Partial<ConventionRules> = {}): DirectoryDocument {
  return {
    formatVersion: 1,
    demo: false,
    issuedAt: '2026-09-10T00:00:00Z',
    conventionRules: { ...DEFAULT_CONVENTION_RULES, ...rules },
    parties,
    treaties: [],
  };
}
