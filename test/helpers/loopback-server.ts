// A plain HTTP server on a free loopback port, for tests that receive the node's outgoing calls.
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';

export async function startLoopbackServer(handler: RequestListener) {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
