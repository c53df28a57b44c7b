import { after, before } from 'node:test';
import { type Config, parseConfig } from '../../src/config.ts';
import type { NodeContext } from '../../src/context.ts';
import { DEMO_PASSWORD, seedDemo } from '../../src/demo/seed-demo.ts';
import { type RunningNode, startNode } from '../../src/main.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { type Clock, systemClock } from '../../src/shared/clock.ts';
import { createTestDatabase } from './test-database.ts';

export const TEST_KEY_SECRET = 'test-key-secret-0123456789';
export { DEMO_PASSWORD };

export type TestNode = RunningNode & { ctx: NodeContext };

/** A real node on a free loopback port with its own database; seeded with the demo data unless told not to. */
export async function startTestNode(
  options: { clock?: Clock; config?: Partial<Config>; seed?: boolean } = {},
): Promise<TestNode> {
  const database = await createTestDatabase();
  const config = parseConfig(
    { PORT: '0', HOST: '127.0.0.1', HANOI247_KEY_SECRET: TEST_KEY_SECRET, HANOI247_LOG_LEVEL: 'silent' },
    options.config,
  );
  try {
    const node = await startNode(config, {
      database,
      clock: options.clock ?? systemClock,
      logger: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
      createKeysIfMissing: true,
      beforeListen: options.seed === false ? undefined : async (ctx) => void (await seedDemo(ctx)),
    });
    const close = async () => {
      await node.close();
      await database.close();
    };
    return { ...node, close, [Symbol.asyncDispose]: close };
  } catch (error) {
    await database.close();
    throw error;
  }
}

/**
 * A node without demo data for the tests of one file or `describe` block: started before them and
 * closed after. `ctx` is readable once `before` has run.
 */
export function bareTestNode() {
  let node: TestNode | undefined;
  before(async () => {
    node = await startTestNode({ seed: false });
  });
  after(() => node?.close());
  const running = (): TestNode => {
    if (!node) throw new Error('the node starts in before()');
    return node;
  };
  return {
    get ctx() {
      return running().ctx;
    },
    db: () => running().ctx.database.db,
    keys: () => running().ctx.keyring.verificationKeys(),
  };
}
