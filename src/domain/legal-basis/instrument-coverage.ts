// Which request types each non-UN instrument covers, with the article relied on. A default
// table, overridable per call, because several entries are [U] in convention.md §10–11.
import type { RequestType } from '../codes.ts';
import type { Instrument } from '../directory/index.ts';

export type CoverageTable = Readonly<Record<Instrument, Readonly<Partial<Record<RequestType, string>>>>>;

export const INSTRUMENT_NAMES: Readonly<Record<Instrument, string>> = {
  BUDAPEST: 'Budapest Convention',
  BUDAPEST_SAP2: 'Second Additional Protocol to the Budapest Convention',
  UNTOC: 'UN Convention against Transnational Organized Crime',
  UNCAC: 'UN Convention against Corruption',
  EU_E_EVIDENCE: 'EU e-Evidence Regulation',
  EU_EIO: 'EU European Investigation Order Directive',
};

// Limits a resolver cannot check from the directory, stated with every applicable candidate.
export const INSTRUMENT_CAVEATS: Readonly<Partial<Record<Instrument, string>>> = {
  UNTOC: 'only if the offence is transnational and involves an organised criminal group (UNTOC art. 3)',
  UNCAC: 'only for offences established under UNCAC, i.e. corruption and laundering of its proceeds',
  EU_E_EVIDENCE: 'orders go to the service provider in the other Member State (Regulation (EU) 2023/1543)',
};

const MLA_FAMILY = (
  mla: string,
  extradition: string,
  le: string,
  jit: string,
): Partial<Record<RequestType, string>> => ({
  PRESERVATION: mla,
  TRAFFIC_DATA_DISCLOSURE: mla,
  MLA_STORED_DATA: mla,
  MLA_REALTIME_TRAFFIC: mla,
  MLA_INTERCEPTION: mla,
  MLA_GENERAL: mla,
  SPONTANEOUS_INFORMATION: mla,
  LE_COOPERATION: le,
  JOINT_INVESTIGATION: jit,
  EXTRADITION: extradition,
  PROVISIONAL_ARREST: extradition,
});

export const DEFAULT_COVERAGE: CoverageTable = {
  // No emergency disclosure in Budapest: that is the Second Additional Protocol (art. 9).
  BUDAPEST: {
    PRESERVATION: 'art. 29',
    TRAFFIC_DATA_DISCLOSURE: 'art. 30',
    MLA_STORED_DATA: 'art. 31',
    MLA_REALTIME_TRAFFIC: 'art. 33',
    MLA_INTERCEPTION: 'art. 34',
    ASSISTANCE_24_7: 'art. 35',
    MLA_GENERAL: 'art. 25',
    SPONTANEOUS_INFORMATION: 'art. 26',
    EXTRADITION: 'art. 24',
  },
  BUDAPEST_SAP2: {
    EMERGENCY_DISCLOSURE: 'art. 9',
    MLA_STORED_DATA: 'art. 8',
    JOINT_INVESTIGATION: 'art. 12',
  },
  UNTOC: MLA_FAMILY('art. 18', 'art. 16', 'art. 27', 'art. 19'),
  UNCAC: MLA_FAMILY('art. 46', 'art. 44', 'art. 48', 'art. 49'),
  EU_E_EVIDENCE: {
    PRESERVATION: 'art. 6',
    MLA_STORED_DATA: 'art. 5',
    EMERGENCY_DISCLOSURE: 'art. 10(4)',
  },
  EU_EIO: {
    PRESERVATION: 'art. 32',
    TRAFFIC_DATA_DISCLOSURE: 'art. 3',
    MLA_STORED_DATA: 'art. 3',
    MLA_REALTIME_TRAFFIC: 'art. 30',
    MLA_INTERCEPTION: 'art. 30',
    MLA_GENERAL: 'art. 3',
  },
};
