import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { generateNodeKeys } from '../../src/crypto/node-keys.ts';
import { buildDemoDirectory, type NodeEndpoint } from '../../src/domain/directory/index.ts';
import { openDatabase } from '../../src/store/database.ts';
import { cliWorkspace } from '../helpers/cli-workspace.ts';
import { client } from '../helpers/http-client.ts';
import { eventually } from './federation-network.ts';
import { freePorts, type NodeProcess, runCliAsync, spawnCli, waitReady } from './node-process.ts';

// SIGTERM stops a node within HANOI247_SHUTDOWN_SECONDS whatever it is doing: a federation send to
// a partner that never answers, an open event stream, an upload that stalls halfway, and (on
// PostgreSQL) a transaction waiting on a lock. And the launcher under an older system Node passes
// the signal on: killing the pid a process manager started stops the node and frees its storage.
const PASSWORD = 'shutdown-admin-password-1';
const SHUTDOWN_SECONDS = 6;
const workspace = cliWorkspace('shutdown');
const { env } = workspace;
// A partner that accepts connections and never answers: the sender's post stays in flight.
const held: Socket[] = [];
const blackHole = createServer((socket) => {
  held.push(socket);
  socket.on('error', () => {});
});
let port = 0;

before(async () => {
  await workspace.open();
  [port] = (await freePorts(1)) as [number];
  await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
  const holePort = (blackHole.address() as { port: number }).port;
  Object.assign(env, {
    HOST: '127.0.0.1',
    PORT: String(port),
    HANOI247_NODE_STATE: 'VN',
    HANOI247_LOG_LEVEL: 'warn',
    HANOI247_SHUTDOWN_SECONDS: String(SHUTDOWN_SECONDS),
    // Longer than the test: only the stop may end the post.
    HANOI247_FEDERATION_TIMEOUT_MS: '600000',
    HANOI247_FEDERATION_POLL_MS: '100',
  });
  await runCliAsync(['init'], { ...env, HANOI247_NEW_PASSWORD: PASSWORD });
  // The live desk is for request readers, not administrators.
  await runCliAsync(['user', 'add', 'officer', '--roles', 'DUTY_OFFICER'], {
    ...env,
    HANOI247_NEW_PASSWORD: PASSWORD,
  });
  const directory = buildDemoDirectory();
  const point = (state: string) =>
    directory.parties.find((p) => p.code === state)!.authorities.find((a) => a.kind === 'POINT_24_7')!;
  point('VN').node = JSON.parse(
    await runCliAsync(['keys', 'entry', '--url', `http://127.0.0.1:${port}`], env),
  ) as NodeEndpoint;
  const fr = await generateNodeKeys();
  const validFrom = '2020-01-01T00:00:00Z';
  point('FR').node = {
    url: `http://127.0.0.1:${holePort}`,
    signingKeys: [{ kid: fr.signing.kid, publicJwk: fr.signing.publicJwk as { kty: string }, validFrom }],
    encryptionKeys: [
      { kid: fr.encryption.kid, publicJwk: fr.encryption.publicJwk as { kty: string }, validFrom },
    ],
  };
  await runCliAsync(['directory', 'import', workspace.file('directory.json', directory)], env);
});
after(async () => {
  for (const socket of held) socket.destroy();
  blackHole.close();
  await workspace.close();
});

const lockFile = () => join(env.HANOI247_DATA_DIR!, 'hanoi247.lock');
const url = () => `http://127.0.0.1:${port}`;

/** Resolves with how the process ended, or with 'still running' after `ms`. */
function endedWithin(node: NodeProcess, ms: number): Promise<number | string | null> {
  return Promise.race([
    node.exited,
    new Promise<string>((resolve) => setTimeout(() => resolve('still running'), ms).unref()),
  ]);
}

/** The storage is free again: a new process could open it. */
async function assertReleased(): Promise<void> {
  const ready = await fetch(`${url()}/readyz`, { signal: AbortSignal.timeout(2_000) }).then(
    (r) => r.status,
    () => 'refused',
  );
  assert.equal(ready, 'refused', 'nothing answers on the port any more');
  if (env.DATABASE_URL) return;
  assert.equal(existsSync(lockFile()), false, 'the data folder lock is removed');
  const database = await openDatabase({ databaseUrl: null, dataDir: env.HANOI247_DATA_DIR! });
  await database.close();
}

test('SIGTERM stops a busy node within the shutdown time and frees its storage', async () => {
  const node = spawnCli(['serve'], env);
  let locker: pg.Client | null = null;
  try {
    await waitReady([url()], [node]);
    const api = client(url());
    assert.equal((await api.login('admin', PASSWORD)).status, 200);
    // 1. A federation send in flight to a partner that never answers.
    const queued = await api.post('/api/v1/federation/ping', { to: 'FR', count: 1 });
    assert.equal(queued.status, 200, queued.text);
    await eventually(async () => (held.length > 0 ? true : undefined), 'the sender connected to the partner');
    // 2. An open event stream.
    const login = await fetch(`${url()}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'officer', password: PASSWORD }),
    });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const stream = await fetch(`${url()}/api/v1/requests/events`, {
      headers: { accept: 'text/event-stream', cookie },
    });
    assert.equal(stream.status, 200, await (stream.status === 200 ? '' : stream.text()));
    const reader = stream.body!.getReader();
    await reader.read();
    // 3. An upload that stops halfway.
    const upload = connect(port, '127.0.0.1');
    upload.on('error', () => {});
    upload.write(
      'POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: 100000\r\n\r\n{"username":',
    );
    // 4. On PostgreSQL: a transaction of the node waits on a lock held by someone else.
    let blocked: Promise<unknown> | null = null;
    if (env.DATABASE_URL) {
      locker = new pg.Client({ connectionString: env.DATABASE_URL });
      await locker.connect();
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE audit_entries IN EXCLUSIVE MODE');
      blocked = api.post('/api/v1/federation/ping', { to: 'FR', count: 1 }).catch(() => null);
      await eventually(async () => {
        const { rows } = await locker!.query(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()",
        );
        return rows[0].n > 0 ? true : undefined;
      }, 'the node waiting on the lock');
    }
    node.child.kill('SIGTERM');
    const ended = await endedWithin(node, (SHUTDOWN_SECONDS + 30) * 1000);
    assert.notEqual(ended, 'still running', `the node ignored SIGTERM:\n${node.output()}`);
    assert.equal(typeof ended, 'number', `the node stopped itself rather than dying of a signal: ${ended}`);
    assert.match(node.output(), /SIGTERM: stopping/);
    await blocked;
    upload.destroy();
    await reader.cancel().catch(() => {});
    await assertReleased();
  } finally {
    await locker?.query('ROLLBACK').catch(() => {});
    await locker?.end().catch(() => {});
    await node.stop('SIGKILL');
  }
});

const systemNode = '/usr/bin/node';
const oldNode =
  existsSync(systemNode) &&
  Number(spawnSync(systemNode, ['-p', 'process.versions.node.split(".")[0]'], { encoding: 'utf8' }).stdout) <
    24;
const launcherSkip = oldNode ? false : 'needs a system Node older than 24 at /usr/bin/node';

test('killing the launcher run by an older Node stops the Node 24 node it started', {
  skip: launcherSkip,
}, async () => {
  const launcher = spawn(systemNode, ['bin/hanoi247.mjs', 'serve'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  launcher.stdout!.on('data', (d) => {
    output += d;
  });
  launcher.stderr!.on('data', (d) => {
    output += d;
  });
  const exited = new Promise<number | string | null>((resolve) =>
    launcher.once('exit', (code, signal) => resolve(code ?? signal)),
  );
  const node: NodeProcess = {
    child: launcher,
    output: () => output,
    exited,
    stop: async () => {
      launcher.kill('SIGKILL');
      return exited;
    },
  };
  try {
    await waitReady([url()], [node]);
    // As a process manager does: the signal goes to the pid it started, the launcher.
    process.kill(launcher.pid!, 'SIGTERM');
    const ended = await endedWithin(node, (SHUTDOWN_SECONDS + 30) * 1000);
    assert.equal(ended, 0, `the launcher ends with the node's own exit code:\n${output}`);
    assert.match(output, /SIGTERM: stopping/, 'the node itself received the signal');
    await assertReleased();
  } finally {
    if (launcher.exitCode === null && launcher.signalCode === null) launcher.kill('SIGKILL');
  }
});

test('the launcher exits with the code of the command it ran', { skip: launcherSkip }, () => {
  const direct = spawnSync(process.execPath, ['src/cli/main.ts', 'no-such-command'], {
    env,
    encoding: 'utf8',
  });
  const launched = spawnSync(systemNode, ['bin/hanoi247.mjs', 'no-such-command'], { env, encoding: 'utf8' });
  assert.notEqual(direct.status, 0);
  assert.equal(launched.status, direct.status);
  const help = spawnSync(systemNode, ['bin/hanoi247.mjs', '--help'], { env, encoding: 'utf8' });
  assert.equal(help.status, 0);
});
