// A short-lived memory of tokens and sessions already checked, so a bank's check call (or the desk's
// live stream, which re-checks its session at every event) does not pay a database round trip each
// time. Entries live at most `ttlMs`; this node forgets a token, session or user at once when it
// revokes, signs out or disables it, and other replicas within `ttlMs` (the bound in the README).
import type { Principal } from './principal.ts';

type Entry = { principal: Principal; until: number };

export type PrincipalCache = {
  get(key: string, nowMs: number): Principal | undefined;
  set(key: string, principal: Principal, nowMs: number, expiresAtMs: number): void;
  forgetToken(tokenId: string): void;
  forgetSession(sessionIdHash: string): void;
  forgetUser(userId: string): void;
};

export function createPrincipalCache(ttlMs: number, maxEntries = 10_000): PrincipalCache {
  const entries = new Map<string, Entry>();
  const drop = (match: (p: Principal) => boolean) => {
    for (const [key, entry] of entries) if (match(entry.principal)) entries.delete(key);
  };
  return {
    get(key, nowMs) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.until <= nowMs) {
        entries.delete(key);
        return undefined;
      }
      return entry.principal;
    },
    set(key, principal, nowMs, expiresAtMs) {
      if (ttlMs <= 0) return;
      // Map keeps insertion order: the first key is the oldest, dropped when full.
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
      entries.set(key, { principal, until: Math.min(nowMs + ttlMs, expiresAtMs) });
    },
    forgetToken: (tokenId) => drop((p) => p.tokenId === tokenId),
    forgetSession: (sessionIdHash) => drop((p) => p.sessionIdHash === sessionIdHash),
    forgetUser: (userId) => drop((p) => p.userId === userId),
  };
}
