// What the account routes show of sessions and API tokens, shared by the node and the desk.
import type { Role } from './codes.ts';

/** A session as its owner or an administrator sees it: a handle, never the session id or its hash. */
export type SessionView = { id: string; createdAt: string; expiresAt: string; current: boolean };

/** An API token as listed: never the token itself. */
export type TokenView = {
  id: string;
  name: string;
  scopes: Role[];
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
};
