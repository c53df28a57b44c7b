// One `hanoi247 serve` replica of Viet Nam's node: replicas share one PostgreSQL database, each with
// its own port and data folder. On PGlite a node is one process, so the replica tests skip there.
import { join } from 'node:path';
import { TEST_KEY_SECRET } from '../helpers/test-node.ts';

export const REPLICAS_SKIP: string | false = process.env.DATABASE_URL
  ? false
  : 'needs PostgreSQL: replicas share one database (PGlite is one process)';

export function replicaEnv(port: number, databaseUrl: string, work: string): Record<string, string> {
  return {
    ...(process.env as Record<string, string>),
    HOST: '127.0.0.1',
    PORT: String(port),
    DATABASE_URL: databaseUrl,
    HANOI247_NODE_STATE: 'VN',
    HANOI247_KEY_SECRET: TEST_KEY_SECRET,
    HANOI247_LOG_LEVEL: 'warn',
    HANOI247_DATA_DIR: join(work, `VN-${port}`),
  };
}
