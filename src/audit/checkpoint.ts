// The audit log's checkpoints in the C2SP format (c2sp.org/tlog-checkpoint): origin line, tree size,
// base64 root hash, as a signed note by the node's Ed25519 key. Partner nodes cosign them as
// witnesses (c2sp.org/tlog-cosignature). The same key also signs JWS; the two never collide, since a
// note text starts with the origin and a JWS signing input with `eyJ`, and cosignatures carry their
// own `cosignature/v1` prefix and key-ID type byte.
import type { Jwk } from '../crypto/node-keys.ts';
import {
  cosignNoteText,
  ed25519PrivateKey,
  formatNote,
  type Note,
  NoteFormatError,
  type NoteKey,
  parseNote,
  rawEd25519,
  signNoteText,
  verifyCosignature,
  verifyNoteSignature,
} from '../crypto/signed-note.ts';

export type Checkpoint = { origin: string; size: number; rootHash: string };
/** A checkpoint whose log signature was verified, with the whole note (and any cosignatures). */
export type SignedCheckpoint = Checkpoint & { note: Note };

/** The origin line of a node's audit log: a schema-less name, unique per node. */
export function logOrigin(state: string): string {
  return `hanoi247/${state}/audit-log`;
}

/** The cosigner name of a node acting as a witness. */
export function witnessName(state: string): string {
  return `hanoi247/${state}/witness`;
}

/** The node a log origin names, or null for an origin that is not a hanoi247 audit log. */
export function stateOfOrigin(origin: string): string | null {
  return /^hanoi247\/([A-Z0-9-]{2,12})\/audit-log$/.exec(origin)?.[1] ?? null;
}

export function checkpointText(cp: Checkpoint): string {
  return `${cp.origin}\n${cp.size}\n${Buffer.from(cp.rootHash, 'hex').toString('base64')}\n`;
}

/** The first three lines of a checkpoint text; extension lines are allowed and carry no meaning here. */
export function parseCheckpointText(text: string): Checkpoint {
  const [origin, size, root] = text.split('\n');
  if (!origin || !size || root === undefined) throw new NoteFormatError('a checkpoint has three lines');
  if (!/^(0|[1-9][0-9]{0,15})$/.test(size) || !Number.isSafeInteger(Number(size)))
    throw new NoteFormatError('the checkpoint size is not a decimal tree size');
  const hash = Buffer.from(root, 'base64');
  if (hash.length !== 32 || hash.toString('base64') !== root)
    throw new NoteFormatError('the checkpoint root is not a base64 SHA-256 hash');
  return { origin, size: Number(size), rootHash: hash.toString('hex') };
}

const noteKeysOf = (name: string, jwks: readonly Jwk[]): NoteKey[] =>
  jwks.filter((k) => k.crv === 'Ed25519').map((k) => ({ name, publicKey: rawEd25519(k) }));

/** The note keys a node's log is signed with: its signing keys under its origin. */
export function logKeys(state: string, jwks: readonly Jwk[]): NoteKey[] {
  return noteKeysOf(logOrigin(state), jwks);
}

/** The cosigner keys of a witness node. */
export function witnessKeys(state: string, jwks: readonly Jwk[]): NoteKey[] {
  return noteKeysOf(witnessName(state), jwks);
}

/** A checkpoint signed by this node's current signing key: the whole note. */
export function signCheckpoint(state: string, size: number, rootHash: string, privateJwk: Jwk): string {
  const text = checkpointText({ origin: logOrigin(state), size, rootHash });
  return formatNote({
    text,
    signatures: [signNoteText(text, logOrigin(state), ed25519PrivateKey(privateJwk))],
  });
}

/** Parses a checkpoint note of `state`'s log and verifies the log's signature; throws when either fails. */
export function readCheckpoint(note: string, state: string, jwks: readonly Jwk[]): SignedCheckpoint {
  const parsed = parseNote(note);
  const cp = parseCheckpointText(parsed.text);
  if (cp.origin !== logOrigin(state))
    throw new NoteFormatError(`the checkpoint is of ${cp.origin}, not of ${logOrigin(state)}`);
  if (!verifyNoteSignature(parsed, logKeys(state, jwks)))
    throw new NoteFormatError(`the checkpoint carries no valid signature of ${state}`);
  return { ...cp, note: parsed };
}

/** This witness's cosignature line on a checkpoint text. */
export function cosignCheckpoint(text: string, witness: string, privateJwk: Jwk, at: Date) {
  return cosignNoteText(text, witnessName(witness), ed25519PrivateKey(privateJwk), at);
}

/** The witnesses among `candidates` whose valid cosignature the note carries, with the time of each. */
export function cosignersOf(
  note: Note,
  candidates: readonly { state: string; keys: readonly Jwk[] }[],
): { state: string; at: Date }[] {
  const found: { state: string; at: Date }[] = [];
  for (const c of candidates) {
    const cosigned = verifyCosignature(note, witnessKeys(c.state, c.keys));
    if (cosigned) found.push({ state: c.state, at: cosigned.at });
  }
  return found;
}
