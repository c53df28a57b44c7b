// In a module of its own so that `hanoi247 keys --help` can show the default without loading the keyring.
/** The overlap after a rotation when peers may still use the old key set. */
export const DEFAULT_OVERLAP_DAYS = 7;
