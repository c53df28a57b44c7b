import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import { appendAudit } from '../audit/audit-log.ts';
import { sha256Hex } from '../crypto/hash.ts';
import { ROLES, ROLES_REQUIRING_TOTP, type Role } from '../domain/codes.ts';
import type { Clock } from '../shared/clock.ts';
import {
  ForbiddenError,
  TooManyRequestsError,
  UnauthenticatedError,
  ValidationError,
} from '../shared/errors.ts';
import { randomToken, uuidv7 } from '../shared/ids.ts';
import type { Database } from '../store/database.ts';
import { apiTokens, sessions, users } from '../store/schema/index.ts';
import { createLoginThrottle } from './login-throttle.ts';
import { hashPassword, passwordProblem, verifyPassword } from './passwords.ts';
import type { Principal } from './principal.ts';
import { createPrincipalCache } from './principal-cache.ts';
import { TOKEN_PREFIX } from './session-cookie.ts';
import { checkTotp } from './totp.ts';
import { findUserById, findUserByUsername, type PublicUser, toPublicUser, updateUser } from './user-store.ts';

export type AuthSettings = {
  requireTotp: boolean;
  sessionTtlMinutes: number;
  loginMaxAttempts: number;
  loginLockMinutes: number;
  tokenCacheSeconds?: number;
};

export type LoginResult = { sessionId: string; csrfToken: string; expiresAt: Date; user: PublicUser };

// A fixed dummy hash, verified when the user does not exist or the address is throttled, so every
// refusal costs one Argon2 verification and the time does not reveal which accounts exist.
let dummyHash: Promise<string> | null = null;

/** Sign-in, sessions and API tokens. */
export function createAuthService(database: Database, clock: Clock, settings: AuthSettings) {
  const { db } = database;
  // Counted in the database: every replica of the node sees the same attempts.
  const throttle = createLoginThrottle(
    { maxFailures: settings.loginMaxAttempts, lockMs: settings.loginLockMinutes * 60_000 },
    db,
  );
  // Sessions and tokens alike: the desk's live stream re-checks its session at every event.
  const principals = createPrincipalCache((settings.tokenCacheSeconds ?? 0) * 1000);
  // Open streams and subscriptions listen, to re-check their credentials at once.
  const revocationListeners = new Set<() => void>();
  const revoked = () => {
    for (const listener of revocationListeners) listener();
  };
  const onRevocation = (listener: () => void): (() => void) => {
    revocationListeners.add(listener);
    return () => revocationListeners.delete(listener);
  };

  async function login(input: {
    username: string;
    password: string;
    totp?: string;
    address: string;
  }): Promise<LoginResult> {
    dummyHash ??= hashPassword('dummy password for timing');
    const wait = await throttle.admit(input.address, input.username, clock.now().getTime());
    if (wait > 0) {
      // As slow as a real check, and the same for every name: a throttled answer tells nothing.
      await verifyPassword(await dummyHash, input.password);
      throw new TooManyRequestsError(`Too many sign-in attempts from this address; wait ${wait} s.`, wait);
    }
    const delay = await throttle.delayMs(input.username, clock.now().getTime());
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    const now = clock.now();
    const user = await findUserByUsername(db, input.username);
    // A disabled account, or one an administrator locked, answers like a wrong password.
    const usable = user && !user.disabled && !(user.lockedUntil && user.lockedUntil > now);
    const passwordOk = await verifyPassword(user?.passwordHash ?? (await dummyHash), input.password);
    const totpNeeded = user?.totpSecret != null;
    const totpOk =
      !totpNeeded || (input.totp !== undefined && (await checkTotp(user!.totpSecret!, input.totp, now)));
    if (!user || !usable || !passwordOk || !totpOk) {
      const locked = await throttle.failed(input.address, input.username, now.getTime());
      await recordFailure(user?.id ?? null, input.username, locked, now);
      if (usable && passwordOk && !input.totp) {
        throw new UnauthenticatedError(
          'This account needs the 6-digit code from its authenticator app.',
          'ERR_TOTP_REQUIRED',
        );
      }
      throw usable && passwordOk
        ? new UnauthenticatedError('The authenticator code is wrong or expired.', 'ERR_TOTP')
        : new UnauthenticatedError(
            'The username or password is wrong, or the account is disabled.',
            'ERR_LOGIN',
          );
    }
    const roles = user.roles as Role[];
    if (settings.requireTotp && !totpNeeded && roles.some((r) => ROLES_REQUIRING_TOTP.includes(r))) {
      throw new ForbiddenError(
        `Accounts with the roles ${ROLES_REQUIRING_TOTP.join(' or ')} need a second factor on this node. An administrator enrols it with: hanoi247 user totp ${user.username}`,
        'ERR_TOTP_ENROLMENT_REQUIRED',
      );
    }
    const sessionId = randomToken();
    const csrfToken = randomToken(24);
    const expiresAt = new Date(now.getTime() + settings.sessionTtlMinutes * 60_000);
    await db.transaction(async (tx) => {
      await tx
        .insert(sessions)
        .values({ idHash: sha256Hex(sessionId), userId: user.id, csrfToken, createdAt: now, expiresAt });
      await updateUser(tx, user.id, { failedLogins: 0 });
      await appendAudit(
        tx,
        { actor: user.id, action: 'auth.login', objectType: 'user', objectId: user.id },
        now,
      );
    });
    await throttle.succeeded(input.address, input.username);
    return { sessionId, csrfToken, expiresAt, user: toPublicUser(user) };
  }

  /** Audits a failed sign-in (an unknown name only as a hash) and counts it on a known account. */
  async function recordFailure(userId: string | null, username: string, locked: boolean, now: Date) {
    await db.transaction(async (tx) => {
      if (userId)
        await tx
          .update(users)
          .set({ failedLogins: sql`${users.failedLogins} + 1` })
          .where(eq(users.id, userId));
      await appendAudit(
        tx,
        {
          actor: userId ?? 'anonymous',
          action: locked ? 'auth.address_locked' : 'auth.login_failed',
          objectType: 'user',
          objectId: userId ?? `username-sha256:${sha256Hex(username)}`,
        },
        now,
      );
    });
  }

  async function logout(principal: Principal): Promise<void> {
    if (!principal.sessionIdHash) return;
    await db.transaction(async (tx) => {
      await tx.delete(sessions).where(eq(sessions.idHash, principal.sessionIdHash!));
      principals.forgetSession(principal.sessionIdHash!);
      await appendAudit(
        tx,
        { actor: principal.userId, action: 'auth.logout', objectType: 'user', objectId: principal.userId },
        clock.now(),
      );
    });
    revoked();
  }

  async function principalFromSession(sessionId: string): Promise<Principal | null> {
    const idHash = sha256Hex(sessionId);
    const nowMs = clock.now().getTime();
    const key = `session:${idHash}`;
    const cached = principals.get(key, nowMs);
    if (cached) return cached;
    const [row] = await db
      .select({ session: sessions, user: users })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(and(eq(sessions.idHash, idHash), gt(sessions.expiresAt, clock.now())));
    if (!row || row.user.disabled) return null;
    const principal: Principal = {
      userId: row.user.id,
      username: row.user.username,
      roles: row.user.roles as Role[],
      via: 'session',
      csrfToken: row.session.csrfToken,
      sessionIdHash: idHash,
      mustChangePassword: row.user.mustChangePassword,
    };
    principals.set(key, principal, nowMs, row.session.expiresAt.getTime());
    return principal;
  }

  async function principalFromToken(token: string): Promise<Principal | null> {
    if (!token.startsWith(TOKEN_PREFIX)) return null;
    const tokenHash = sha256Hex(token);
    const nowMs = clock.now().getTime();
    const cached = principals.get(tokenHash, nowMs);
    if (cached) return cached;
    const [row] = await db
      .select({ token: apiTokens, user: users })
      .from(apiTokens)
      .innerJoin(users, eq(users.id, apiTokens.userId))
      .where(
        and(
          eq(apiTokens.tokenHash, tokenHash),
          isNull(apiTokens.revokedAt),
          gt(apiTokens.expiresAt, clock.now()),
        ),
      );
    if (!row || row.user.disabled) return null;
    // A token acts with the roles its owner still has AND its scopes grant.
    const roles = (row.user.roles as Role[]).filter((r) => row.token.scopes.includes(r));
    const principal: Principal = {
      userId: row.user.id,
      username: row.user.username,
      roles,
      via: 'token',
      tokenId: row.token.id,
    };
    principals.set(tokenHash, principal, nowMs, row.token.expiresAt.getTime());
    return principal;
  }

  async function createToken(
    userId: string,
    input: { name: string; scopes: Role[]; ttlDays: number },
  ): Promise<{ id: string; token: string; expiresAt: Date }> {
    const user = await findUserById(db, userId);
    if (!user) throw new ValidationError([{ field: 'userId', message: 'no such user' }]);
    const notHeld = input.scopes.filter((s) => !user.roles.includes(s));
    if (notHeld.length > 0) {
      throw new ValidationError([
        { field: 'body/scopes', message: `the user does not hold ${notHeld.join(', ')}` },
      ]);
    }
    const now = clock.now();
    const id = uuidv7(now.getTime());
    const token = `${TOKEN_PREFIX}${randomToken()}`;
    const expiresAt = new Date(now.getTime() + input.ttlDays * 86_400_000);
    await db.transaction(async (tx) => {
      await tx.insert(apiTokens).values({
        id,
        userId,
        name: input.name,
        tokenHash: sha256Hex(token),
        scopes: input.scopes,
        createdAt: now,
        expiresAt,
      });
      await appendAudit(
        tx,
        {
          actor: userId,
          action: 'token.create',
          objectType: 'api_token',
          objectId: id,
          payload: { scopes: input.scopes, expiresAt },
        },
        now,
      );
    });
    return { id, token, expiresAt };
  }

  async function revokeToken(principal: Principal, tokenId: string): Promise<boolean> {
    const now = clock.now();
    const done = await db.transaction(async (tx) => {
      const updated = await tx
        .update(apiTokens)
        .set({ revokedAt: now })
        .where(
          and(eq(apiTokens.id, tokenId), eq(apiTokens.userId, principal.userId), isNull(apiTokens.revokedAt)),
        )
        .returning({ id: apiTokens.id });
      if (updated.length === 0) return false;
      principals.forgetToken(tokenId);
      await appendAudit(
        tx,
        { actor: principal.userId, action: 'token.revoke', objectType: 'api_token', objectId: tokenId },
        now,
      );
      return true;
    });
    if (done) revoked();
    return done;
  }

  /** Forgets what was remembered of a user's sessions and tokens (disabled, roles changed). */
  const forgetUser = (userId: string) => {
    principals.forgetUser(userId);
    revoked();
  };

  return {
    login,
    logout,
    principalFromSession,
    principalFromToken,
    createToken,
    revokeToken,
    forgetUser,
    onRevocation,
  };
}

export type AuthService = ReturnType<typeof createAuthService>;

/** Checks a role list from outside (CLI, API): every value must be a known role. */
export function parseRoles(values: string[], field: string): Role[] {
  const unknown = values.filter((v) => !(ROLES as readonly string[]).includes(v));
  if (unknown.length > 0) {
    throw new ValidationError([
      { field, message: `unknown role ${unknown.join(', ')}; roles are ${ROLES.join(', ')}` },
    ]);
  }
  if (values.length === 0) throw new ValidationError([{ field, message: 'at least one role is needed' }]);
  return [...new Set(values)] as Role[];
}

export { passwordProblem };
