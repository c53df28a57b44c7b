// Plain-language names of request types and the UN Convention article each one rests on.
import type { RequestType } from '../codes.ts';

export const REQUEST_TYPE_LABELS: Readonly<Record<RequestType, string>> = {
  PRESERVATION: 'expedited preservation',
  TRAFFIC_DATA_DISCLOSURE: 'disclosure of preserved traffic data',
  MLA_STORED_DATA: 'mutual legal assistance for stored data',
  MLA_REALTIME_TRAFFIC: 'real-time collection of traffic data',
  MLA_INTERCEPTION: 'interception of content data',
  MLA_GENERAL: 'mutual legal assistance',
  EMERGENCY_DISCLOSURE: 'emergency disclosure',
  ASSISTANCE_24_7: '24/7 assistance',
  SPONTANEOUS_INFORMATION: 'spontaneous information',
  LE_COOPERATION: 'law-enforcement cooperation',
  JOINT_INVESTIGATION: 'joint investigation',
  EXTRADITION: 'extradition',
  PROVISIONAL_ARREST: 'provisional arrest',
};

/** Article of the UN Convention for each request type (convention.md §4.1; [U] for 35–52). */
export const UNCC_ARTICLES: Readonly<Record<RequestType, string>> = {
  PRESERVATION: 'art. 42',
  TRAFFIC_DATA_DISCLOSURE: 'art. 43',
  MLA_STORED_DATA: 'art. 44',
  MLA_REALTIME_TRAFFIC: 'art. 45',
  MLA_INTERCEPTION: 'art. 46',
  MLA_GENERAL: 'art. 40',
  EMERGENCY_DISCLOSURE: 'art. 41',
  ASSISTANCE_24_7: 'art. 41',
  SPONTANEOUS_INFORMATION: 'art. 40',
  LE_COOPERATION: 'art. 47',
  JOINT_INVESTIGATION: 'art. 48',
  EXTRADITION: 'art. 37',
  PROVISIONAL_ARREST: 'art. 37',
};

/** Request types that seek electronic evidence: the only help the Convention gives for serious crime (art. 35). */
export const E_EVIDENCE_REQUEST_TYPES: readonly RequestType[] = [
  'PRESERVATION',
  'TRAFFIC_DATA_DISCLOSURE',
  'MLA_STORED_DATA',
  'MLA_REALTIME_TRAFFIC',
  'MLA_INTERCEPTION',
  'EMERGENCY_DISCLOSURE',
  'ASSISTANCE_24_7',
];
