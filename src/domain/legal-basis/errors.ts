// Typed errors of the legal-basis resolver, with stable codes the API and CLI can map.

/** A State or organisation code that the directory does not list. */
export class UnknownPartyError extends Error {
  readonly code = 'ERR_UNKNOWN_PARTY';
  readonly partyCode: string;
  constructor(partyCode: string) {
    super(`'${partyCode}' is not a State or organisation listed in the directory.`);
    this.name = 'UnknownPartyError';
    this.partyCode = partyCode;
  }
}

/** Requesting and requested side are the same State: no international cooperation to resolve. */
export class SamePartyError extends Error {
  readonly code = 'ERR_SAME_PARTY';
  readonly partyCode: string;
  constructor(partyCode: string) {
    super(`Requesting and requested State are both '${partyCode}'; a request goes to another State.`);
    this.name = 'SamePartyError';
    this.partyCode = partyCode;
  }
}

/** A date argument that is not a calendar date 'YYYY-MM-DD'. */
export class InvalidDateError extends Error {
  readonly code = 'ERR_INVALID_DATE';
  readonly value: string;
  constructor(value: string) {
    super(`'${value}' is not a calendar date (YYYY-MM-DD).`);
    this.name = 'InvalidDateError';
    this.value = value;
  }
}
