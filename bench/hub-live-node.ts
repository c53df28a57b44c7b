// The node of the hub bench's bulk comparison with Redis, in its own process as Redis is (so the
// client and the server each have a core): `node bench/hub-live-node.ts DATABASE_URL GROUP_ID`, with
// the key secret in HANOI247_KEY_SECRET. Once the group's privacy-mode table, built in the background
// after start, is ready (so that no building runs during the timed calls), prints one JSON line with
// its URL; to each line "cpu" on its standard
// input it answers its CPU seconds so far ({"cpu":…}); it closes when its standard input ends.
import { createInterface } from 'node:readline';
import { parseConfig } from '../src/config.ts';
import { startNode } from '../src/main.ts';
import { createLogger } from '../src/observability/logger.ts';

const config = parseConfig({
  PORT: '0',
  HOST: '127.0.0.1',
  HANOI247_KEY_SECRET: process.env.HANOI247_KEY_SECRET ?? '',
  HANOI247_LOG_LEVEL: 'silent',
  DATABASE_URL: process.argv[2] ?? '',
});
const node = await startNode(config, { logger: createLogger('silent'), createKeysIfMissing: true });
const groupId = process.argv[3] ?? '';
const deadline = Date.now() + 600_000;
while (!node.ctx.hub.index.groupReady(groupId) && Date.now() < deadline)
  await new Promise((resolve) => setTimeout(resolve, 50));
process.stdout.write(`${JSON.stringify({ url: node.url, indicators: node.ctx.hub.index.size })}\n`);
for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() !== 'cpu') continue;
  const used = process.cpuUsage();
  const groupId = process.argv[3] ?? '';
  const deadline = Date.now() + 600_000;
  while (!node.ctx.hub.index.groupReady(groupId) && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 50));
  process.stdout.write(`${JSON.stringify({ cpu: (used.user + used.system) / 1e6 })}\n`);
}
await node.close();
