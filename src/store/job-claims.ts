// Claims of background jobs whose effect leaves the database (a webhook, a message): every replica of
// a node runs the same timers, and the first one to insert the claim row runs the job; the others
// find it there and do not. A claim is kept, so a job is never run twice for the same key.
import { sql } from 'drizzle-orm';
import { type Db, rowsOf } from './database.ts';

/** True for the one caller that claims (`job`, `key`) first, across every replica on the database. */
export async function claimJob(db: Db, job: string, key: string, at: Date): Promise<boolean> {
  const rows = rowsOf(
    await db.execute(sql`INSERT INTO job_claims (job, key, claimed_at) VALUES (${job}, ${key}, ${at.toISOString()}::timestamptz)
      ON CONFLICT (job, key) DO NOTHING RETURNING 1 AS claimed`),
  );
  return rows.length > 0;
}

/** Forgets claims older than `before`: by then no replica still runs that job for that key. */
export async function pruneJobClaims(db: Db, job: string, before: Date): Promise<void> {
  await db.execute(
    sql`DELETE FROM job_claims WHERE job = ${job} AND claimed_at < ${before.toISOString()}::timestamptz`,
  );
}
