import { and, asc, eq, gt, isNull, ne, sql } from 'drizzle-orm';
import { appendAudit } from '../audit/audit-log.ts';
import { sha256Hex } from '../crypto/hash.ts';
import type { SessionView, TokenView } from '../domain/accounts.ts';
import type { Role } from '../domain/codes.ts';
import type { Clock } from '../shared/clock.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../shared/errors.ts';
import { randomToken } from '../shared/ids.ts';
import type { Database, Db } from '../store/database.ts';
import { apiTokens, passwordResets, sessions, users } from '../store/schema/index.ts';
import { hashPassword, passwordProblem, verifyPassword } from './passwords.ts';
import { findUserById, findUserByUsername, type PublicUser, toPublicUser, updateUser } from './user-store.ts';

export type { SessionView, TokenView };
export type ResetResult =
  | { mode: 'link'; token: string; expiresAt: string }
  | { mode: 'password'; password: string };

export const RESET_TOKEN_PREFIX = 'h247r_';
const RESET_LINK_HOURS = 24;

/** The public handle of a session: derived from the stored hash, so it cannot be used to sign in. */
export const sessionHandle = (idHash: string) => sha256Hex(`session-handle:${idHash}`).slice(0, 32);

/**
 * One's own password, sessions and tokens, and an administrator's resets and role changes. `actor`
 * is who does it, for the audit log (user ids and hashes only, never a name or a password).
 */
export function createAccountService(
  database: Database,
  clock: Clock,
  hooks: { onAccessChanged?: (userId: string) => void } = {},
) {
  const { db } = database;
  const changed = (userId: string) => hooks.onAccessChanged?.(userId);

  async function userNamed(tx: Db, username: string) {
    const user = await findUserByUsername(tx, username);
    if (!user) throw new NotFoundError('User', username);
    return user;
  }

  function checkNewPassword(password: string, field: string) {
    const weak = passwordProblem(password);
    if (weak) throw new ValidationError([{ field, message: weak }]);
  }

  /** Changes one's own password; every other session of the account ends. */
  async function changePassword(
    userId: string,
    input: { currentPassword: string; newPassword: string; keepSessionHash?: string },
  ): Promise<PublicUser> {
    const user = await findUserById(db, userId);
    if (!user) throw new NotFoundError('User', userId);
    if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
      throw new ForbiddenError('The current password is wrong.', 'ERR_CURRENT_PASSWORD');
    }
    checkNewPassword(input.newPassword, 'body/newPassword');
    if (input.newPassword === input.currentPassword) {
      throw new ValidationError([
        { field: 'body/newPassword', message: 'must differ from the current password' },
      ]);
    }
    const updated = await setPassword(user.id, input.newPassword, {
      actor: user.id,
      action: 'user.password_change',
      keepSessionHash: input.keepSessionHash,
    });
    return updated;
  }

  async function setPassword(
    userId: string,
    password: string,
    audit: { actor: string; action: string; keepSessionHash?: string; mustChange?: boolean },
    extra?: (tx: Db, now: Date) => Promise<void>,
  ): Promise<PublicUser> {
    const now = clock.now();
    const passwordHash = await hashPassword(password);
    const mustChangePassword = audit.mustChange ?? false;
    const user = await db.transaction(async (tx) => {
      await extra?.(tx, now);
      await updateUser(tx, userId, { passwordHash, mustChangePassword, failedLogins: 0, updatedAt: now });
      await tx
        .delete(sessions)
        .where(
          audit.keepSessionHash
            ? and(eq(sessions.userId, userId), ne(sessions.idHash, audit.keepSessionHash))
            : eq(sessions.userId, userId),
        );
      await appendAudit(
        tx,
        { actor: audit.actor, action: audit.action, objectType: 'user', objectId: userId },
        now,
      );
      return findUserById(tx, userId);
    });
    changed(userId);
    return toPublicUser(user!);
  }

  /**
   * An administrator's reset: a one-time link (the token is shown once, only its hash kept) or a
   * one-time password the account must change at its next sign-in. Either way its sessions end.
   */
  async function resetPassword(
    actor: string,
    username: string,
    mode: 'link' | 'password',
  ): Promise<ResetResult> {
    const user = await userNamed(db, username);
    const now = clock.now();
    if (mode === 'password') {
      const password = randomToken(12);
      await setPassword(user.id, password, { actor, action: 'user.password_reset', mustChange: true });
      return { mode, password };
    }
    const token = `${RESET_TOKEN_PREFIX}${randomToken()}`;
    const expiresAt = new Date(now.getTime() + RESET_LINK_HOURS * 3_600_000);
    await db.transaction(async (tx) => {
      // A new link replaces any earlier one still unused.
      await tx
        .update(passwordResets)
        .set({ usedAt: now })
        .where(and(eq(passwordResets.userId, user.id), isNull(passwordResets.usedAt)));
      await tx.insert(passwordResets).values({
        tokenHash: sha256Hex(token),
        userId: user.id,
        createdBy: actor,
        createdAt: now,
        expiresAt,
      });
      await tx.delete(sessions).where(eq(sessions.userId, user.id));
      await appendAudit(
        tx,
        {
          actor,
          action: 'user.password_reset_link',
          objectType: 'user',
          objectId: user.id,
          payload: { tokenSha256: sha256Hex(token), expiresAt },
        },
        now,
      );
    });
    changed(user.id);
    return { mode, token, expiresAt: expiresAt.toISOString() };
  }

  /** Sets a new password with a one-time link; the link is spent whatever happens next. */
  async function redeemReset(token: string, newPassword: string): Promise<PublicUser> {
    checkNewPassword(newPassword, 'body/newPassword');
    const tokenHash = sha256Hex(token);
    const [link] = await db
      .select()
      .from(passwordResets)
      .where(
        and(
          eq(passwordResets.tokenHash, tokenHash),
          isNull(passwordResets.usedAt),
          gt(passwordResets.expiresAt, clock.now()),
        ),
      );
    if (!link) {
      throw new ForbiddenError(
        'This reset link is unknown, used or expired; ask an administrator for a new one.',
        'ERR_RESET_LINK',
      );
    }
    return setPassword(
      link.userId,
      newPassword,
      { actor: link.userId, action: 'user.password_reset_done' },
      async (tx, now) => {
        const spent = await tx
          .update(passwordResets)
          .set({ usedAt: now })
          .where(and(eq(passwordResets.tokenHash, tokenHash), isNull(passwordResets.usedAt)))
          .returning({ userId: passwordResets.userId });
        // Two redemptions at once: the second finds it spent and writes nothing.
        if (spent.length === 0)
          throw new ForbiddenError('This reset link was used already.', 'ERR_RESET_LINK');
      },
    );
  }

  /** Replaces an account's roles. The last active administrator keeps ADMIN. */
  async function setRoles(actor: string, username: string, roles: Role[]): Promise<PublicUser> {
    const now = clock.now();
    const user = await db.transaction(async (tx) => {
      // Serialises concurrent role changes, so two cannot each remove "the other" last administrator.
      await tx.execute(sql`SELECT pg_advisory_xact_lock(19019)`);
      const user = await userNamed(tx, username);
      const before = user.roles as Role[];
      if (before.includes('ADMIN') && !roles.includes('ADMIN') && !user.disabled) {
        const [row] = await tx
          .select({ n: sql<number>`count(*)::int` })
          .from(users)
          .where(and(sql`'ADMIN' = ANY(${users.roles})`, eq(users.disabled, false)));
        if ((row?.n ?? 0) <= 1) {
          throw new ConflictError(
            `${username} is the last active administrator; give another account ADMIN first.`,
            'ERR_LAST_ADMIN',
          );
        }
      }
      await updateUser(tx, user.id, { roles, updatedAt: now });
      await appendAudit(
        tx,
        {
          actor,
          action: 'user.roles_change',
          objectType: 'user',
          objectId: user.id,
          payload: { before, after: roles },
        },
        now,
      );
      return toPublicUser({ ...user, roles });
    });
    changed(user.id);
    return user;
  }

  async function listSessions(userId: string, currentHash?: string): Promise<SessionView[]> {
    const rows = await db
      .select()
      .from(sessions)
      .where(and(eq(sessions.userId, userId), gt(sessions.expiresAt, clock.now())))
      .orderBy(asc(sessions.createdAt));
    return rows.map((s) => ({
      id: sessionHandle(s.idHash),
      createdAt: s.createdAt.toISOString(),
      expiresAt: s.expiresAt.toISOString(),
      current: s.idHash === currentHash,
    }));
  }

  /** Ends one session of the account (its live streams stop through the revocation hook). */
  async function revokeSession(actor: string, userId: string, handle: string): Promise<void> {
    const now = clock.now();
    await db.transaction(async (tx) => {
      const rows = await tx
        .select({ idHash: sessions.idHash })
        .from(sessions)
        .where(eq(sessions.userId, userId));
      const target = rows.find((r) => sessionHandle(r.idHash) === handle);
      if (!target) throw new NotFoundError('Session', handle);
      await tx.delete(sessions).where(eq(sessions.idHash, target.idHash));
      await appendAudit(
        tx,
        {
          actor,
          action: 'session.revoke',
          objectType: 'user',
          objectId: userId,
          payload: { session: handle },
        },
        now,
      );
    });
    changed(userId);
  }

  async function listTokens(userId: string): Promise<TokenView[]> {
    const rows = await db
      .select()
      .from(apiTokens)
      .where(eq(apiTokens.userId, userId))
      .orderBy(asc(apiTokens.createdAt));
    return rows.map((t) => ({
      id: t.id,
      name: t.name,
      scopes: t.scopes as Role[],
      createdAt: t.createdAt.toISOString(),
      expiresAt: t.expiresAt.toISOString(),
      revokedAt: t.revokedAt ? t.revokedAt.toISOString() : null,
    }));
  }

  /** Revokes one API token of the account (by its owner or an administrator). */
  async function revokeToken(actor: string, userId: string, tokenId: string): Promise<void> {
    const now = clock.now();
    await db.transaction(async (tx) => {
      const updated = await tx
        .update(apiTokens)
        .set({ revokedAt: now })
        .where(and(eq(apiTokens.id, tokenId), eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
        .returning({ id: apiTokens.id });
      if (updated.length === 0) throw new NotFoundError('API token', tokenId);
      await appendAudit(
        tx,
        { actor, action: 'token.revoke', objectType: 'api_token', objectId: tokenId },
        now,
      );
    });
    changed(userId);
  }

  /** The account's id from its name, for the administrator's routes. */
  async function userIdOf(username: string): Promise<string> {
    return (await userNamed(db, username)).id;
  }

  return {
    changePassword,
    resetPassword,
    redeemReset,
    setRoles,
    listSessions,
    revokeSession,
    listTokens,
    revokeToken,
    userIdOf,
  };
}

export type AccountService = ReturnType<typeof createAccountService>;
