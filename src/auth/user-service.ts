import { eq } from 'drizzle-orm';
import { appendAudit } from '../audit/audit-log.ts';
import type { Role } from '../domain/codes.ts';
import type { Clock } from '../shared/clock.ts';
import { ConflictError, NotFoundError, ValidationError } from '../shared/errors.ts';
import { uuidv7 } from '../shared/ids.ts';
import type { Database } from '../store/database.ts';
import { sessions } from '../store/schema/index.ts';
import { hashPassword, passwordProblem } from './passwords.ts';
import { newTotpSecret, totpUri } from './totp.ts';
import {
  findUserByUsername,
  insertUser,
  listUsers,
  type PublicUser,
  toPublicUser,
  updateUser,
} from './user-store.ts';

const USERNAME = /^[a-z0-9][a-z0-9._-]{1,62}$/;

/** Accounts: creation, listing, disabling, second-factor enrolment. `actor` is who does it, for the audit log. */
export function createUserService(
  database: Database,
  clock: Clock,
  hooks: { onAccessChanged?: (userId: string) => void } = {},
) {
  const { db } = database;

  async function addUser(
    actor: string,
    input: { username: string; displayName?: string; password: string; roles: Role[]; withTotp?: boolean },
    /** The password's Argon2 hash when the caller already has it (the demo's one shared password). */
    known?: { passwordHash: Promise<string> },
  ): Promise<{ user: PublicUser; totpSecret: string | null; totpUri: string | null }> {
    const problems = [];
    if (!USERNAME.test(input.username)) {
      problems.push({
        field: 'username',
        message: 'use 2–63 lower-case letters, digits, dots, dashes or underscores',
      });
    }
    const weak = passwordProblem(input.password);
    if (weak) problems.push({ field: 'password', message: weak });
    if (problems.length > 0) throw new ValidationError(problems);
    const now = clock.now();
    const passwordHash = await (known?.passwordHash ?? hashPassword(input.password));
    const totpSecret = input.withTotp ? newTotpSecret() : null;
    const user = await db.transaction(async (tx) => {
      if (await findUserByUsername(tx, input.username)) {
        throw new ConflictError(`A user named '${input.username}' already exists.`, 'ERR_USER_EXISTS');
      }
      const id = uuidv7(now.getTime());
      const row = await insertUser(tx, {
        id,
        username: input.username,
        displayName: input.displayName ?? input.username,
        roles: input.roles,
        passwordHash,
        totpSecret,
        createdAt: now,
        updatedAt: now,
      });
      await appendAudit(
        tx,
        { actor, action: 'user.create', objectType: 'user', objectId: id, payload: { roles: input.roles } },
        now,
      );
      return row;
    });
    return {
      user: toPublicUser(user),
      totpSecret,
      totpUri: totpSecret ? totpUri(totpSecret, input.username) : null,
    };
  }

  async function list(limit = 100, after: string | null = null): Promise<PublicUser[]> {
    return (await listUsers(db, limit, after)).map(toPublicUser);
  }

  async function setDisabled(actor: string, username: string, disabled: boolean): Promise<PublicUser> {
    const now = clock.now();
    const user = await db.transaction(async (tx) => {
      const user = await findUserByUsername(tx, username);
      if (!user) throw new NotFoundError('User', username);
      await updateUser(tx, user.id, { disabled, updatedAt: now });
      // Disabling ends every open session at once.
      if (disabled) await tx.delete(sessions).where(eq(sessions.userId, user.id));
      await appendAudit(
        tx,
        { actor, action: disabled ? 'user.disable' : 'user.enable', objectType: 'user', objectId: user.id },
        now,
      );
      return toPublicUser({ ...user, disabled });
    });
    hooks.onAccessChanged?.(user.id);
    return user;
  }

  async function enrolTotp(actor: string, username: string): Promise<{ secret: string; uri: string }> {
    const now = clock.now();
    const secret = newTotpSecret();
    await db.transaction(async (tx) => {
      const user = await findUserByUsername(tx, username);
      if (!user) throw new NotFoundError('User', username);
      await updateUser(tx, user.id, { totpSecret: secret, updatedAt: now });
      await appendAudit(tx, { actor, action: 'user.totp_enrol', objectType: 'user', objectId: user.id }, now);
    });
    return { secret, uri: totpUri(secret, username) };
  }

  return { addUser, list, setDisabled, enrolTotp };
}

export type UserService = ReturnType<typeof createUserService>;
