// Looking up Parties and their other instruments in a directory document.
import type { DirectoryDocument, Instrument, InstrumentMembership, Party } from '../directory/index.ts';
import { UnknownPartyError } from './errors.ts';

/** The party with `code`, or UnknownPartyError. */
export function findParty(directory: DirectoryDocument, code: string): Party {
  const party = directory.parties.find((p) => p.code === code);
  if (!party) throw new UnknownPartyError(code);
  return party;
}

/** The membership of `party` in `instrument` that covers `date`, if any. */
export function membershipOn(
  party: Party,
  instrument: Instrument,
  date: string,
): InstrumentMembership | undefined {
  return party.instruments.find(
    (m) => m.instrument === instrument && m.inForceFrom <= date && (m.until === undefined || date < m.until),
  );
}

/** The earliest future start of `instrument` for `party` after `date`, if one is recorded. */
export function nextMembership(
  party: Party,
  instrument: Instrument,
  date: string,
): InstrumentMembership | undefined {
  return party.instruments
    .filter((m) => m.instrument === instrument && m.inForceFrom > date)
    .sort((a, b) => a.inForceFrom.localeCompare(b.inForceFrom))[0];
}
