import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../../src/store/database.ts';

// PostgreSQL's default 128 MB of shared buffers were cleared at every start of an embedded node (0.4 s
// of CPU of a restart): a folder's and an in-memory PGlite both start with 32 MB.
async function sharedBuffers(dataDir: string | null): Promise<string> {
  const database = await openDatabase({ databaseUrl: null, dataDir });
  try {
    const result = await database.db.execute(sql`SHOW shared_buffers`);
    return String((result as unknown as { rows: { shared_buffers: string }[] }).rows[0]!.shared_buffers);
  } finally {
    await database.close();
  }
}

test('an embedded database starts with 32 MB of shared buffers, in a folder and in memory', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'h247-pglite-start-'));
  try {
    assert.equal(await sharedBuffers(join(dir, 'node')), '32MB');
    assert.equal(await sharedBuffers(null), '32MB');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
