// The audit log as the API shows it: shared by the oversight routes and a request's record.
import { Type } from 'typebox';

/** What every audit entry shows: who did what to which object, when (hashes only, never personal data). */
export const AUDIT_ENTRY_FIELDS = {
  seq: Type.Integer(),
  at: Type.String(),
  actor: Type.String(),
  action: Type.String(),
  objectType: Type.String(),
  objectId: Type.String(),
};

export const TreeHead = Type.Object({
  treeSize: Type.Integer(),
  rootHash: Type.String(),
  signedAt: Type.String(),
  kid: Type.String(),
  jws: Type.String({ description: 'compact JWS (EdDSA) over {treeSize, rootHash, signedAt, node}' }),
  checkpoint: Type.Optional(
    Type.Union([Type.String(), Type.Null()], {
      description:
        'the same head as a C2SP checkpoint (signed note); null for heads signed before checkpoints',
    }),
  ),
});
