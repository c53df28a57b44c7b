import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfig } from '../../src/config.ts';
import { type RunningNode, startNode } from '../../src/main.ts';
import { createLogger } from '../../src/observability/logger.ts';
import type { Database } from '../../src/store/database.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import { TEST_KEY_SECRET } from '../helpers/test-node.ts';

// `hanoi247 serve` starts its background loops (federation sender, timers, privacy tables) after the
// node has answered its first request, so that a readiness check does not queue behind their first
// queries; with nobody asking, a second after it listens.
const config = parseConfig({
  PORT: '0',
  HOST: '127.0.0.1',
  HANOI247_KEY_SECRET: TEST_KEY_SECRET,
  HANOI247_LOG_LEVEL: 'silent',
});

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} not within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** A few turns of the event loop: time for anything started at once to have started. */
async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** A node on `database`, its background work put off until its first answer when `afterFirstAnswer`. */
function startOn(database: Database, afterFirstAnswer: boolean) {
  return startNode(config, {
    database,
    logger: createLogger('silent'),
    createKeysIfMissing: true,
    backgroundAfterFirstAnswer: afterFirstAnswer,
  });
}

/** Whether the node's background work has started, as of now. */
function watchStart(node: RunningNode): () => boolean {
  let started = false;
  void node.background.then(() => {
    started = true;
  });
  return () => started;
}

test('the background work starts after the first answer, and /readyz is that answer', async () => {
  const database = await createTestDatabase();
  try {
    const node = await startOn(database, true);
    try {
      const started = watchStart(node);
      await turns(5);
      assert.equal(started(), false, 'nothing runs in the background before the node has answered');
      const ready = await fetch(`${node.url}/readyz`);
      assert.equal(ready.status, 200);
      await within(node.background, 30_000, 'the background work after /readyz');
    } finally {
      await node.close();
    }
  } finally {
    await database.close();
  }
});

test('with nobody asking, the background work starts by itself; started at once otherwise', async () => {
  const database = await createTestDatabase();
  try {
    const quiet = await startOn(database, true);
    try {
      await within(quiet.background, 30_000, 'the background work without a request');
    } finally {
      await quiet.close();
    }
    const at = await startOn(database, false);
    try {
      const started = watchStart(at);
      await turns(1);
      assert.equal(started(), true, 'without the option, the background work starts as the node listens');
    } finally {
      await at.close();
    }
  } finally {
    await database.close();
  }
});
