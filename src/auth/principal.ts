import type { Role } from '../domain/codes.ts';

/** Who is calling: a signed-in person (cookie session) or a machine (API token). */
export type Principal = {
  userId: string;
  username: string;
  roles: Role[];
  via: 'session' | 'token';
  csrfToken?: string;
  sessionIdHash?: string;
  tokenId?: string;
  /** A session of an account whose password an administrator reset: it may only change it. */
  mustChangePassword?: boolean;
};

/** Who may call a route: anyone, any signed-in principal, or the listed roles. Absent means nobody. */
export type RouteAccess = 'public' | 'authenticated' | readonly Role[];

/** True when the principal holds at least one of the roles. */
export function hasAnyRole(principal: Principal, roles: readonly Role[]): boolean {
  return principal.roles.some((r) => roles.includes(r));
}
