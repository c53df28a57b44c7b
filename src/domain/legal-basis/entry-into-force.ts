// Entry into force of the UN Convention per Party (art. 65) and its end by denunciation
// (art. 67). The day counts are configuration because art. 65(2) is unverified.
import type { PartyStatus } from '../codes.ts';
import type { DirectoryDocument } from '../directory/index.ts';
import { addDays, addYears, assertDate, laterOf } from './dates.ts';
import { findParty } from './parties.ts';

export type GeneralEntryIntoForce = {
  /** The day the Convention enters into force for the early depositors. */
  date: string;
  /** Deposits on or before this day get `date`; later ones follow the later-deposit rule. */
  lastEarlyDeposit: string;
  source: 'CONFIGURED' | 'COMPUTED';
};

/** The general entry-into-force date, or null while too few instruments are recorded. */
export function generalEntryIntoForce(directory: DirectoryDocument): GeneralEntryIntoForce | null {
  const rules = directory.conventionRules;
  if (rules.generalEntryIntoForce) {
    // The directory may not list every Party, so the threshold deposit is implied by the date.
    const date = rules.generalEntryIntoForce;
    return { date, lastEarlyDeposit: addDays(date, -rules.daysAfterThreshold), source: 'CONFIGURED' };
  }
  // A regional organisation's instrument does not count on top of its member States' (art. 65(1)).
  const deposits = directory.parties
    .filter((p) => !p.isRegionalOrganisation && p.convention.depositedOn !== undefined)
    .map((p) => p.convention.depositedOn!)
    .sort();
  const threshold = deposits[rules.instrumentsForEntryIntoForce - 1];
  if (threshold === undefined) return null;
  return {
    date: addDays(threshold, rules.daysAfterThreshold),
    lastEarlyDeposit: threshold,
    source: 'COMPUTED',
  };
}

/** The first day the Convention is in force for `partyCode`, or null if not (yet) known. */
export function conventionInForceFrom(directory: DirectoryDocument, partyCode: string): string | null {
  const deposited = findParty(directory, partyCode).convention.depositedOn;
  if (!deposited) return null;
  const general = generalEntryIntoForce(directory);
  if (!general) return null;
  if (deposited <= general.lastEarlyDeposit) return general.date;
  return laterOf(addDays(deposited, directory.conventionRules.daysAfterLaterDeposit), general.date);
}

/** The first day the Convention no longer applies to `partyCode` after denunciation, or null. */
export function conventionInForceUntil(directory: DirectoryDocument, partyCode: string): string | null {
  const denounced = findParty(directory, partyCode).convention.denouncedOn;
  return denounced ? addYears(denounced, 1) : null;
}

/** Whether the Convention binds `partyCode` on `date`. */
export function conventionInForceOn(directory: DirectoryDocument, partyCode: string, date: string): boolean {
  assertDate(date);
  const from = conventionInForceFrom(directory, partyCode);
  const until = conventionInForceUntil(directory, partyCode);
  return from !== null && from <= date && (until === null || date < until);
}

/**
 * The Party's status on `date`. A State whose denunciation has taken effect is reported as
 * PARTY_NOT_IN_FORCE: it deposited an instrument but is no longer bound.
 */
export function conventionStatus(directory: DirectoryDocument, partyCode: string, date: string): PartyStatus {
  assertDate(date);
  const { signedOn, depositedOn } = findParty(directory, partyCode).convention;
  if (depositedOn && depositedOn <= date) {
    return conventionInForceOn(directory, partyCode, date) ? 'PARTY_IN_FORCE' : 'PARTY_NOT_IN_FORCE';
  }
  return signedOn && signedOn <= date ? 'SIGNED' : 'NOT_SIGNED';
}
