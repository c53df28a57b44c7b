import { asc, eq, sql } from 'drizzle-orm';
import type { Role } from '../domain/codes.ts';
import type { Db } from '../store/database.ts';
import { users } from '../store/schema/index.ts';

export type UserRow = typeof users.$inferSelect;

/** A user as shown to others: never the password hash or the TOTP secret. */
export type PublicUser = {
  id: string;
  username: string;
  displayName: string;
  roles: Role[];
  disabled: boolean;
  totpEnabled: boolean;
  lockedUntil: string | null;
  /** An administrator set this password: the account must choose its own before anything else. */
  mustChangePassword: boolean;
  createdAt: string;
};

export function toPublicUser(row: UserRow): PublicUser {
  return {
    id: row.id,
    username: row.username,
    displayName: row.displayName,
    roles: row.roles as Role[],
    disabled: row.disabled,
    totpEnabled: row.totpSecret !== null,
    lockedUntil: row.lockedUntil ? row.lockedUntil.toISOString() : null,
    mustChangePassword: row.mustChangePassword,
    createdAt: row.createdAt.toISOString(),
  };
}

export async function insertUser(tx: Db, row: typeof users.$inferInsert): Promise<UserRow> {
  const [inserted] = await tx.insert(users).values(row).returning();
  return inserted!;
}

export async function findUserByUsername(tx: Db, username: string): Promise<UserRow | undefined> {
  const [row] = await tx.select().from(users).where(eq(users.username, username));
  return row;
}

export async function findUserById(tx: Db, id: string): Promise<UserRow | undefined> {
  const [row] = await tx.select().from(users).where(eq(users.id, id));
  return row;
}

export async function listUsers(tx: Db, limit: number, afterUsername: string | null): Promise<UserRow[]> {
  const where = afterUsername === null ? undefined : sql`${users.username} > ${afterUsername}`;
  return tx.select().from(users).where(where).orderBy(asc(users.username)).limit(limit);
}

export async function updateUser(
  tx: Db,
  id: string,
  changes: Partial<typeof users.$inferInsert>,
): Promise<void> {
  await tx.update(users).set(changes).where(eq(users.id, id));
}

export async function countUsers(tx: Db): Promise<number> {
  const [row] = await tx.select({ n: sql<number>`count(*)::int` }).from(users);
  return row?.n ?? 0;
}
