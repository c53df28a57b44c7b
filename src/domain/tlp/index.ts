// Public API of the TLP domain.
export {
  compareTlp,
  isTlpLevel,
  mayLeaveNode,
  mayRead,
  parseTlp,
  stricterTlp,
  TLP_LEVELS,
  type TlpLevel,
  type TlpReader,
} from './tlp.ts';
