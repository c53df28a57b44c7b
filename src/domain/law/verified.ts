// Rules whose text was read in a primary source (convention.md §0, tag [V]). They are constants,
// not configuration: each is quoted here and by a test, so a change of code that departs from the
// text fails a test that shows the text. English renderings of the UN Convention's Arabic text are
// ours (convention.md); Budapest quotes are the English authentic text.

/** Art. 2 of the UN Convention: "serious crime". */
export const SERIOUS_CRIME = {
  article: 'art. 2',
  quote:
    '"Serious crime" shall mean conduct constituting an offence punishable by a maximum deprivation of liberty of at least four years or a more serious penalty',
  minimumMaxPenaltyMonths: 48,
} as const;

/** Art. 4(2): offences under other UN instruments committed through ICT are not Convention offences. */
export const ART_4_NOT_CONVENTION_OFFENCES = {
  article: 'art. 4(2)',
  quote:
    'Nothing in this article shall be interpreted as establishing criminal offences in accordance with this Convention.',
} as const;

/** Art. 3(a): the full cooperation track covers offences established in accordance with the Convention. */
export const ART_3_SCOPE = {
  article: 'art. 3(a)',
  quote:
    'the prevention, investigation and prosecution of criminal offences established in accordance with this Convention',
} as const;

/** Arts. 7–15 and 17 read in the authentic text; art. 16 is [U] (see law-rules.ts). */
export const VERIFIED_OFFENCE_ARTICLES = {
  ILLEGAL_ACCESS: 'art. 7',
  ILLEGAL_INTERCEPTION: 'art. 8',
  DATA_INTERFERENCE: 'art. 9',
  SYSTEM_INTERFERENCE: 'art. 10',
  MISUSE_OF_DEVICES: 'art. 11',
  ICT_FORGERY: 'art. 12',
  ICT_THEFT_FRAUD: 'art. 13',
  CSAM: 'art. 14',
  GROOMING: 'art. 15',
  LAUNDERING: 'art. 17',
} as const;

/** Art. 2: "emergency". */
export const EMERGENCY = {
  article: 'art. 2',
  quote:
    'a situation in which there is a significant and imminent risk to the life or safety of any natural person',
} as const;

/** Art. 64(1): where and until when the Convention is open for signature. */
export const SIGNATURE_WINDOW = {
  article: 'art. 64(1)',
  quote:
    'This Convention shall be open to all States for signature in Hanoi on 25 and 26 October 2025 and thereafter at United Nations Headquarters in New York until 31 December 2026.',
  opensOn: '2025-10-25',
  hanoiUntil: '2025-10-26',
  closesAfter: '2026-12-31',
} as const;

/** Art. 65(1): general entry into force. */
export const ENTRY_INTO_FORCE = {
  article: 'art. 65(1)',
  quote:
    'This Convention shall enter into force on the ninetieth day after the date of deposit of the fortieth instrument of ratification, acceptance, approval or accession. For the purpose of this paragraph, any instrument deposited by a regional economic integration organization shall not be counted as additional to those deposited by member States of such organization.',
  instruments: 40,
  daysAfterThreshold: 90,
} as const;

/** Budapest art. 29(7): the preservation floor, and the hold pending the follow-up request. */
export const BUDAPEST_PRESERVATION_PERIOD = {
  article: 'Budapest art. 29(7)',
  quote:
    'Any preservation effected in response to the request referred to in paragraph 1 shall be for a period not less than sixty days, in order to enable the requesting Party to submit a request for the search or similar access, seizure or similar securing, or disclosure of the data. Following the receipt of such a request, the data shall continue to be preserved pending a decision on that request.',
  minimumDays: 60,
} as const;

/** Budapest art. 29(5): the only grounds to refuse preservation (art. 30(2) repeats them for disclosure). */
export const BUDAPEST_PRESERVATION_GROUNDS = {
  article: 'Budapest art. 29(5)',
  quote:
    'A request for preservation may only be refused if: a the request concerns an offence which the requested Party considers a political offence or an offence connected with a political offence, or b the requested Party considers that execution of the request is likely to prejudice its sovereignty, security, ordre public or other essential interests.',
  grounds: ['POLITICAL_OFFENCE', 'ESSENTIAL_INTERESTS'],
} as const;

/** Budapest art. 29(3)–(4): no dual criminality for preservation, save a Party's reservation. */
export const BUDAPEST_PRESERVATION_DUAL_CRIMINALITY = {
  article: 'Budapest art. 29(4)',
  quote:
    'A Party that requires dual criminality as a condition for responding to a request for mutual assistance for the search or similar access, seizure or similar securing, or disclosure of stored data may, in respect of offences other than those established in accordance with Articles 2 through 11 of this Convention, reserve the right to refuse the request for preservation under this article in cases where it has reason to believe that at the time of disclosure the condition of dual criminality cannot be fulfilled.',
} as const;
