// The early-warning hub as it runs: a real node on loopback over PostgreSQL holding HUB_LIVE_N
// indicators (10,000,000 by default). Measured in one run:
//   - start: time and memory for the node to load the indicators from the database into its index;
//   - single check over HTTP (GET /api/v1/hub/check), p50/p99, and a bulk NDJSON check end to end;
//   - publish-to-subscriber latency over server-sent events;
// beside the same lookups done with an indexed PostgreSQL query and with Redis, and the same
// message passed through PostgreSQL LISTEN/NOTIFY and Redis pub/sub.
// The bulk comparison with Redis MGET (rows "SAME BATCH", and the goal of issue 20: at least 2×) sends
// the same 100,000 values to both, HUB_LIVE_BATCH a call (1,000 by default), one call at a time on one
// connection over loopback, each request built and each answer read inside the timed loop. The node
// answering them runs in its own process (bench/hub-live-node.ts, on the same database), as Redis
// does, so the client and each server have a core; the runs of Redis and of each format are taken in
// turn, and the CPU of the client and of the server is given for both. Formats: the lean one
// (text/plain lines "type<TAB>value", ?answer=hits: alerts once, hits as numbers), the compact answer
// (?answer=compact, hits with indicator ids), the full and short NDJSON answers (some 185 bytes a
// value); two rows keep the earlier shape (the node in this process, one thread with the client). What
// still differs and is said: the node answers which alerts matched (kind, title, TLP) where Redis
// answers a flag. A call of one value on both sides shows what a call costs apart from its values.
// Everything it makes is its own: a database h247_hubbench_* (dropped at the end) and Redis keys
// under a random prefix (deleted at the end).
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { Session } from 'node:inspector/promises';
import { availableParallelism, freemem, loadavg } from 'node:os';
import { monitorEventLoopDelay, PerformanceObserver, constants as perfConstants } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Redis } from 'ioredis';
import pg from 'pg';
import { parseConfig } from '../src/config.ts';
import type { IndicatorType } from '../src/domain/indicators/index.ts';
import { derivedIndicatorIdSql, deriveIndicatorId } from '../src/hub/indicator-ids.ts';
import { createIndicatorRows } from '../src/hub/indicator-rows.ts';
import type { PackedLookupIndex } from '../src/hub-index/index.ts';
import { type RunningNode, startNode } from '../src/main.ts';
import { createLogger } from '../src/observability/logger.ts';
import { randomToken } from '../src/shared/ids.ts';
import { benchDatabaseUrl, envInt, fmt, percentile, printRows, type Row } from './lib.ts';

setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

const KEY_SECRET = 'bench-key-secret-0123456789';
const PASSWORD = 'bench-password-0123456789';

/**
 * The i-th stored indicator, already in normal form; the SQL below makes the same values. Phones use
 * +8490 and seven digits (valid Vietnamese mobile numbers), so i stays below 10,000,000.
 */
function indicator(i: number): { type: string; value: string } {
  switch (i % 10) {
    case 0:
    case 1:
    case 2:
    case 3:
      return { type: 'phone', value: `+8490${String(i).padStart(7, '0')}` };
    case 4:
    case 5:
      return { type: 'email', value: `user${i}@mail${i % 997}.example.com` };
    case 6:
    case 7:
      return { type: 'domain', value: `login-${i}.example${i % 89}.com` };
    case 8:
      return { type: 'eth_wallet', value: `0x${i.toString(16).padStart(40, '0')}` };
    default:
      return { type: 'sha256', value: i.toString(16).padStart(64, '0') };
  }
}

const SQL_VALUES = `
  SELECT i,
    CASE WHEN i % 10 < 4 THEN 'phone' WHEN i % 10 < 6 THEN 'email' WHEN i % 10 < 8 THEN 'domain'
         WHEN i % 10 = 8 THEN 'eth_wallet' ELSE 'sha256' END AS t,
    CASE WHEN i % 10 < 4 THEN '+8490' || lpad(i::text, 7, '0')
         WHEN i % 10 < 6 THEN 'user' || i || '@mail' || (i % 997) || '.example.com'
         WHEN i % 10 < 8 THEN 'login-' || i || '.example' || (i % 89) || '.com'
         WHEN i % 10 = 8 THEN '0x' || lpad(to_hex(i), 40, '0')
         ELSE lpad(to_hex(i), 64, '0') END AS v
  FROM generate_series($1::int, $2::int) AS i`;

/** Half hits spread over the stored indicators, half values that are not stored. */
function queries(n: number, count: number): { type: string; value: string }[] {
  const out: { type: string; value: string }[] = [];
  for (let q = 0; q < count; q++) {
    if (q % 2 === 0) out.push(indicator(Math.floor((((q * 2654435761) % 4294967296) / 4294967296) * n)));
    else out.push({ type: 'email', value: `nobody${q}@miss.example.org` });
  }
  return out;
}

/** Wall time and CPU time of this process, in seconds, of one call of fn (medians of `runs`). */
async function medianRuns(runs: number, fn: () => Promise<number>): Promise<BulkTiming> {
  return (await alternating(runs, [fn]))[0]!;
}

/**
 * medianRuns of several fns, their runs taken in turn (a, b, c, a, b, c, …), so that a change of
 * load on the shared machine falls on each alike.
 */
async function alternating(runs: number, fns: (() => Promise<number>)[]): Promise<BulkTiming[]> {
  const wall = fns.map(() => [] as number[]);
  const cpu = fns.map(() => [] as number[]);
  const other = fns.map(() => [] as number[]);
  for (let run = 0; run < runs; run++)
    for (let f = 0; f < fns.length; f++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      other[f]!.push(await fns[f]!());
      wall[f]!.push((performance.now() - t0) / 1000);
      const used = process.cpuUsage(c0);
      cpu[f]!.push((used.user + used.system) / 1e6);
    }
  const mid = (a: number[]) => sortNum(a)[Math.floor(a.length / 2)]!;
  return fns.map((_, f) => ({ wall: mid(wall[f]!), cpu: mid(cpu[f]!), otherCpu: mid(other[f]!) }));
}

/**
 * A bulk comparison's timing: wall seconds, CPU seconds of this process (client, and for the hub its
 * server too), CPU seconds of another server process (Redis), medians of the runs.
 */
type BulkTiming = { wall: number; cpu: number; otherCpu: number };

function memory(): number {
  collect();
  return process.memoryUsage().rss;
}

const ms = (v: number) => `${fmt(v, 3)} ms`;
const p = (sorted: number[], q: number) => percentile(sorted, q);
const sortNum = (a: number[]) => a.sort((x, y) => x - y);

/** Times `count` sequential calls of fn; the latencies sorted, in ms. */
async function latencies(count: number, fn: (i: number) => Promise<void>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await fn(i);
    out.push(performance.now() - t0);
  }
  return sortNum(out);
}

export function httpClient(base: string, token: string) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const url = new URL(base);
  return {
    call(
      method: string,
      path: string,
      body?: string,
      type = 'application/json',
      extra: Record<string, string> = {},
    ): Promise<{ status: number; text: string }> {
      return new Promise((resolve, reject) => {
        const req = request(
          {
            host: url.hostname,
            port: url.port,
            method,
            path,
            agent,
            headers: {
              ...extra,
              ...(token ? { authorization: `Bearer ${token}` } : {}),
              ...(body === undefined
                ? {}
                : { 'content-type': type, 'content-length': Buffer.byteLength(body) }),
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () =>
              resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }),
            );
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    },
    close: () => agent.destroy(),
  };
}

/** Opens the hub's event stream and resolves each alert id as its event.published arrives. */
function openStream(base: string, token: string) {
  const waiting = new Map<string, (at: number) => void>();
  const arrived = new Map<string, number>();
  const url = new URL('/api/v1/hub/stream', base);
  let buffer = '';
  const req = request(
    {
      host: url.hostname,
      port: url.port,
      path: url.pathname,
      headers: { accept: 'text/event-stream', authorization: `Bearer ${token}` },
    },
    (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        const at = performance.now();
        buffer += chunk;
        let cut = buffer.indexOf('\n\n');
        while (cut >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const data = block.split('\n').find((l) => l.startsWith('data:'));
          if (data) {
            const id = (JSON.parse(data.slice(5)) as { alert?: { id?: string } }).alert?.id;
            if (id) {
              arrived.set(id, at);
              waiting.get(id)?.(at);
            }
          }
          cut = buffer.indexOf('\n\n');
        }
      });
      res.on('error', () => {});
    },
  );
  req.on('error', () => {});
  req.end();
  return {
    /** Resolves with the arrival time of the event for this alert id. */
    expect: (id: string) =>
      new Promise<number>((resolve) => {
        const at = arrived.get(id);
        if (at !== undefined) resolve(at);
        else waiting.set(id, resolve);
      }),
    close: () => void req.destroy(),
  };
}

/**
 * The node in a child process (bench/hub-live-node.ts) on the bench's database: its URL, how many
 * indicators it loaded, its CPU seconds so far, and close.
 */
async function remoteNode(databaseUrl: string, groupId: string) {
  // HUB_LIVE_NODE_PROFILE=dir: the node's CPU profile (whole life) is written there when it ends.
  const profileDir = process.env.HUB_LIVE_NODE_PROFILE;
  const flags = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, '--cpu-prof-interval=200'] : [];
  const child = spawn(process.execPath, [...flags, 'bench/hub-live-node.ts', databaseUrl, groupId], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, HANOI247_KEY_SECRET: KEY_SECRET },
  });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const next = async (): Promise<Record<string, number | string>> => {
    for (;;) {
      const { value, done } = await lines.next();
      if (done) throw new Error('the bench node ended');
      if (value.startsWith('{')) return JSON.parse(value) as Record<string, number | string>;
    }
  };
  const hello = await next();
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let closed = false;
  return {
    url: hello.url as string,
    indicators: hello.indicators as number,
    async cpu(): Promise<number> {
      child.stdin!.write('cpu\n');
      return (await next()).cpu as number;
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      child.stdin!.end();
      await exited;
    },
  };
}

export async function hubLiveBench(): Promise<void> {
  const n = Math.min(envInt('HUB_LIVE_N', 10_000_000), 10_000_000);
  const singles = envInt('HUB_LIVE_SINGLES', 2000);
  const publishes = envInt('HUB_LIVE_PUBLISHES', 40);
  const bulkCount = 100_000;
  // The batch of the fair comparison with Redis: the same values in calls of this many, for both.
  const batch = Math.max(1, Math.min(envInt('HUB_LIVE_BATCH', 1000), bulkCount));
  // Redis holds about 90 bytes per key: past the free memory it gets fewer keys (said in the title).
  const redisN = Math.min(n, envInt('HUB_LIVE_REDIS_N', n), Math.floor(freemem() / 4 / 100));
  const base = benchDatabaseUrl();
  const dbName = `h247_hubbench_${randomToken(5)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, 'x')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  await admin.end();
  const dbUrl = new URL(base);
  dbUrl.pathname = `/${dbName}`;
  // ioredis is loaded only when its turn comes: once loaded, the typed-array loops of the index run
  // about four times slower in this process (measured), which would blur the index figures.
  let redis: Redis | null = null;
  const prefix = `h247bench:${randomToken(6)}:`;
  let node: RunningNode | null = null;
  const stops: (() => unknown)[] = [];
  try {
    const config = parseConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      HANOI247_KEY_SECRET: KEY_SECRET,
      HANOI247_LOG_LEVEL: 'silent',
      DATABASE_URL: dbUrl.toString(),
    });
    const options = { logger: createLogger('silent'), createKeysIfMissing: true };

    // --- a first start on an empty hub: members, a group, one alert to hold the indicators ---
    node = await startNode(config, options);
    const { hub, users, auth } = node.ctx;
    const bank = await hub.membership.createOrg('bench', { name: 'Bench Bank', kind: 'bank', country: 'VN' });
    const telecom = await hub.membership.createOrg('bench', {
      name: 'Bench Telecom',
      kind: 'telecom',
      country: 'VN',
    });
    const group = await hub.membership.createGroup('bench', { name: 'Bench national', kind: 'national' });
    const tokens: Record<string, string> = {};
    const userIds: Record<string, string> = {};
    for (const [who, org] of [
      ['bank', bank.id],
      ['telecom', telecom.id],
    ] as const) {
      const { user } = await users.addUser('bench', {
        username: `bench-${who}`,
        password: PASSWORD,
        roles: ['PRIVATE_LIAISON'],
      });
      userIds[who] = user.id;
      await hub.membership.addMember('bench', org, `bench-${who}`);
      await hub.membership.addGroupMember('bench', group.id, org);
      tokens[who] = (
        await auth.createToken(user.id, { name: 'bench', scopes: ['PRIVATE_LIAISON'], ttlDays: 1 })
      ).token;
    }
    const bankViewer = hub.membership.viewerFor({
      userId: userIds.bank!,
      roles: ['PRIVATE_LIAISON'],
    });
    const holder = await hub.alerts.publish(bankViewer, {
      kind: 'scam_campaign',
      title: 'bench: the stored indicators',
      confidence: 50,
      tlp: 'GREEN',
      groupId: group.id,
      indicators: [{ type: 'ipv4', value: '192.0.2.1' }],
    });
    // The group's digest of each row (drizzle/0026), as publish writes it: HMAC-SHA-256 under the
    // group key, which PostgreSQL computes from the key's inner and outer pads (RFC 2104).
    const key64 = Buffer.alloc(64);
    hub.membership.groupKey(group.id).copy(key64);
    const hmacPads = {
      inner: Buffer.from(key64.map((b) => b ^ 0x36)),
      outer: Buffer.from(key64.map((b) => b ^ 0x5c)),
    };
    await node.close();
    node = null;

    // --- the indicators, written by PostgreSQL itself ---
    const writer = new pg.Client({ connectionString: dbUrl.toString() });
    await writer.connect();
    const fill0 = performance.now();
    // Indexes are built once after the rows rather than row by row (several times faster), then put
    // back exactly as the migration made them.
    await writer.query(`SET maintenance_work_mem = '512MB'`);
    await writer.query(`SET synchronous_commit = off`);
    await writer.query(
      `ALTER TABLE hub_reports DROP CONSTRAINT hub_reports_indicator_id_hub_indicators_id_fk`,
    );
    await writer.query(`ALTER TABLE hub_indicators DROP CONSTRAINT hub_indicators_pkey`);
    await writer.query(`ALTER TABLE hub_indicators DROP CONSTRAINT hub_indicators_alert_value_unique`);
    await writer.query('DROP INDEX hub_indicators_lookup_idx');
    await writer.query('DROP INDEX hub_indicators_hash_idx');
    await writer.query('DROP INDEX hub_indicators_row_no_idx');
    await writer.query('DROP INDEX hub_indicators_keyed_idx');
    await writer.query('DROP INDEX hub_indicators_undigested_idx');
    const step = 1_000_000;
    for (let from = 0; from < n; from += step) {
      await writer.query(
        `INSERT INTO hub_indicators (id, alert_id, type, value, value_hash, created_at, keyed_digest)
         SELECT ${derivedIndicatorIdSql('$3::uuid', 't', 'v')}, $3::uuid, t, v, encode(sha256(convert_to(v, 'UTF8')), 'hex'), now(),
                sha256($5::bytea || sha256($4::bytea || convert_to(v, 'UTF8')))
         FROM (${SQL_VALUES}) s`,
        [from, Math.min(n, from + step) - 1, holder.alert.id, hmacPads.inner, hmacPads.outer],
      );
    }
    await writer.query('ALTER TABLE hub_indicators ADD CONSTRAINT hub_indicators_pkey PRIMARY KEY (id)');
    await writer.query(
      'ALTER TABLE hub_indicators ADD CONSTRAINT hub_indicators_alert_value_unique UNIQUE (alert_id, type, value)',
    );
    await writer.query('CREATE INDEX hub_indicators_lookup_idx ON hub_indicators USING btree (type, value)');
    await writer.query('CREATE INDEX hub_indicators_hash_idx ON hub_indicators USING btree (value_hash)');
    await writer.query(
      'CREATE UNIQUE INDEX hub_indicators_row_no_idx ON hub_indicators USING btree (row_no)',
    );
    await writer.query(
      'CREATE INDEX hub_indicators_keyed_idx ON hub_indicators (keyed_digest) WHERE keyed_digest IS NOT NULL',
    );
    await writer.query(
      'CREATE INDEX hub_indicators_undigested_idx ON hub_indicators (alert_id) WHERE keyed_digest IS NULL',
    );
    await writer.query(
      `ALTER TABLE hub_reports ADD CONSTRAINT hub_reports_indicator_id_hub_indicators_id_fk FOREIGN KEY (indicator_id)
       REFERENCES public.hub_indicators(id) ON DELETE set null ON UPDATE no action`,
    );
    await writer.query('ANALYZE hub_indicators');
    const fillSeconds = (performance.now() - fill0) / 1000;
    process.stdout.write(`(wrote ${fmt(n, 0)} indicators into PostgreSQL in ${fmt(fillSeconds, 1)} s)\n`);

    // --- start: the node loads them into its index ---
    const rss0 = memory();
    const cpu0 = process.cpuUsage();
    const start0 = performance.now();
    node = await startNode(config, options);
    const startSeconds = (performance.now() - start0) / 1000;
    const startCpu = process.cpuUsage(cpu0);
    const rss1 = memory();
    const loaded = node.ctx.hub.index.size;
    const packed = node.ctx.hub.index as Partial<PackedLookupIndex>;
    // The value table that serves exact checks; privacy-mode tables are counted apart, below.
    // With the runs of row owners, which let a hit be answered from memory (src/hub/row-owners.ts).
    const owners = node.ctx.hub.alerts.rowOwnerStats();
    const indexBytes = (packed.bytes ?? Number.NaN) + owners.bytes;
    const privacyBytesAtStart = packed.privacyBytes ?? Number.NaN;

    // --- single checks over HTTP ---
    const qs = queries(n, Math.max(singles, bulkCount));
    // The 100,000 query objects just made are the bench's, not the server's: collected (promoted)
    // now, before the timed checks, so that young-generation pauses there copy only request garbage
    // (at 10,000,000 indicators, two such pauses of 38 and 54 ms fell inside the timed loop).
    collect();
    const client = httpClient(node.url, tokens.telecom!);
    stops.push(() => client.close());
    let hits = 0;
    const path = (q: { type: string; value: string }) =>
      `/api/v1/hub/check?type=${q.type}&value=${encodeURIComponent(q.value)}`;
    for (let i = 0; i < 200; i++) await client.call('GET', path(qs[i]!)); // warm-up
    // Where the tail comes from: garbage-collection pauses during the checks (client and server
    // share this process, so a pause stalls both), laid over the slowest requests.
    const gcs: { start: number; end: number; major: boolean }[] = [];
    const takeGc = (entries: readonly PerformanceEntry[]) => {
      for (const e of entries) {
        const kind = (e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind ?? 0;
        gcs.push({
          start: e.startTime,
          end: e.startTime + e.duration,
          major: (kind & perfConstants.NODE_PERFORMANCE_GC_MAJOR) !== 0,
        });
      }
    };
    const gcObserver = new PerformanceObserver((list) => takeGc(list.getEntries()));
    gcObserver.observe({ entryTypes: ['gc'] });
    const spans: { start: number; end: number }[] = [];
    // Hits and misses apart (a hit waits for one database query, a miss for none), and how late the
    // event loop ran: a stalled loop delays both alike.
    const hitLat: number[] = [];
    const missLat: number[] = [];
    const loopDelay = monitorEventLoopDelay({ resolution: 1 });
    loopDelay.enable();
    const httpLat = await latencies(singles, async (i) => {
      const start = performance.now();
      const r = await client.call('GET', path(qs[i]!));
      const end = performance.now();
      spans.push({ start, end });
      if (r.status !== 200) throw new Error(`check answered ${r.status}: ${r.text}`);
      const { matches } = JSON.parse(r.text) as { matches: { alertId: string; indicatorId: string }[] };
      const hit = matches.length > 0;
      if (hit) hits++;
      (hit ? hitLat : missLat).push(end - start);
      // The ids come from memory: the stored rows carry derived ids, so a wrong one would show here.
      const first = hit ? matches[0]! : null;
      if (first && first.indicatorId !== deriveIndicatorId(first.alertId, qs[i]!.type, qs[i]!.value))
        throw new Error(`check gave indicator id ${first.indicatorId} for ${qs[i]!.value}`);
    });
    loopDelay.disable();
    sortNum(hitLat);
    sortNum(missLat);
    takeGc(gcObserver.takeRecords());
    gcObserver.disconnect();
    const slowest = spans.filter((s) => s.end - s.start >= p(httpLat, 99));
    const slowWithGc = slowest.filter((s) => gcs.some((g) => g.start < s.end && g.end > s.start)).length;
    const gcMs = gcs.map((g) => g.end - g.start);
    if (hits !== singles / 2) throw new Error(`expected ${singles / 2} hits over HTTP, got ${hits}`);
    // What the HTTP figure is made of: the same server answering /healthz (no sign-in, no index),
    // and the check service called in-process (normalise, index, TLP) without HTTP.
    const healthLat = await latencies(singles, async () => {
      await client.call('GET', '/healthz');
    });
    // The same without the Bearer token: what the per-request token lookup in the database costs.
    const anonymous = httpClient(node.url, '');
    stops.push(() => anonymous.close());
    const bareLat = await latencies(singles, async () => {
      await anonymous.call('GET', '/healthz');
    });
    const telecomViewer = node.ctx.hub.membership.viewerFor({
      userId: userIds.telecom!,
      roles: ['PRIVATE_LIAISON'],
    });
    const serviceLat = await latencies(singles, async (i) => {
      await node!.ctx.hub.check.checkOne(telecomViewer, qs[i]!.type as IndicatorType, qs[i]!.value);
    });
    // The one database round trip of a hit: the ids behind its row number.
    const reader = createIndicatorRows(node.ctx.database.db);
    const hitRows = qs
      .slice(0, singles)
      .map((q) => node!.ctx.hub.index.lookup(q.type, q.value))
      .filter((r) => r.length > 0);
    const refsLat = await latencies(hitRows.length, async (i) => {
      await reader.refsOf(hitRows[i]!);
    });

    // --- one bulk check of 100,000 values over HTTP, NDJSON both ways ---
    const ndjson = qs
      .slice(0, bulkCount)
      .map((q) => JSON.stringify(q))
      .join('\n');
    // Three runs each, the median kept (one run on a shared machine says little); the short answer
    // (?omit=misses) leaves out the values that matched nothing, the compact one (?answer=compact)
    // names each alert once and each hit as [i, alert, indicatorId]. The hits of an NDJSON answer are
    // its lines naming an alert; a compact answer is parsed as JSON, as a client would read it.
    const lineHits = (text: string) => {
      let found = 0;
      for (let from = text.indexOf('"alertId"'); from >= 0; found++) {
        const eol = text.indexOf('\n', from);
        from = eol < 0 ? -1 : text.indexOf('"alertId"', eol);
      }
      return found;
    };
    const compactHits = (text: string) => {
      const { hits: listed } = JSON.parse(text) as { hits: [number, number, string][] };
      let found = 0;
      for (let k = 0; k < listed.length; k++) if (k === 0 || listed[k]![0] !== listed[k - 1]![0]) found++;
      return found;
    };
    // The hits answer (?answer=hits) lists each hit as two numbers, i then alert: values hit are the
    // distinct i, read from the parsed list as a client would.
    const flatHits = (text: string) => {
      const { hits: listed } = JSON.parse(text) as { hits: number[] };
      let found = 0;
      for (let k = 0; k < listed.length; k += 2) if (k === 0 || listed[k] !== listed[k - 2]) found++;
      return found;
    };
    // The request bodies of the batched calls, built inside the timed loop from the query objects:
    // NDJSON with JSON.stringify, or the lean text/plain lines (type, a tab, the value).
    const ndjsonLines = (from: number, to: number) => {
      let body = '';
      for (let k = from; k < to; k++) body += `${JSON.stringify(qs[k])}\n`;
      return body;
    };
    const textLines = (from: number, to: number) => {
      let body = '';
      for (let k = from; k < to; k++) body += `${qs[k]!.type}\t${qs[k]!.value}\n`;
      return body;
    };
    type Format = {
      path: string;
      hits: (text: string) => number;
      type?: string;
      lines?: (from: number, to: number) => string;
    };
    const FULL: Format = { path: '/api/v1/hub/check', hits: lineHits };
    const SHORT: Format = { path: '/api/v1/hub/check?omit=misses', hits: lineHits };
    const COMPACT: Format = { path: '/api/v1/hub/check?answer=compact', hits: compactHits };
    const LEAN: Format = {
      path: '/api/v1/hub/check?answer=hits',
      hits: flatHits,
      type: 'text/plain',
      lines: textLines,
    };
    /** Bytes of each answer to the 100,000 values, for the figures. */
    const answerBytes = new Map<string, number>();
    const bulkRun = async (how: Format) => {
      const seconds: number[] = [];
      for (let run = 0; run < 3; run++) {
        const bulk0 = performance.now();
        const bulk = await client.call('POST', how.path, ndjson, 'application/x-ndjson');
        const bulkHits = bulk.status === 200 ? how.hits(bulk.text) : 0;
        seconds.push((performance.now() - bulk0) / 1000);
        if (bulk.status !== 200 || bulkHits !== bulkCount / 2)
          throw new Error(`bulk check: ${bulk.status}, ${bulkHits} hits`);
        answerBytes.set(how.path, Buffer.byteLength(bulk.text));
      }
      return sortNum(seconds)[1]!;
    };
    const bulkSeconds = await bulkRun(FULL);
    const shortSeconds = await bulkRun(SHORT);
    const compactSeconds = await bulkRun(COMPACT);
    // The comparison with Redis MGET (below): the same 100,000 values in calls of `batch` values, one
    // call at a time on one keep-alive connection over loopback, each request built from the query
    // objects inside the timed loop (as the Redis keys are) and each answer read for its hits (lines
    // naming an alert, as non-nil replies are counted for Redis).
    // `cpuElsewhere` gives the CPU seconds of the server when it runs in another process (as Redis's
    // INFO cpu does), so that each run reports it beside this process's.
    const batchedRun =
      (how: Format, api: ReturnType<typeof httpClient> = client, cpuElsewhere = async () => 0) =>
      async () => {
        const before = await cpuElsewhere();
        let found = 0;
        for (let at = 0; at < bulkCount; at += batch) {
          const body = (how.lines ?? ndjsonLines)(at, Math.min(bulkCount, at + batch));
          const r = await api.call('POST', how.path, body, how.type ?? 'application/x-ndjson');
          if (r.status !== 200) throw new Error(`bulk check: ${r.status} ${r.text.slice(0, 200)}`);
          found += how.hits(r.text);
        }
        if (found !== bulkCount / 2) throw new Error(`bulk check in calls of ${batch}: ${found} hits`);
        return (await cpuElsewhere()) - before;
      };
    const httpBatched = (how: Format) => medianRuns(3, batchedRun(how));
    // In this process (client and node on one thread), as the earlier runs measured it.
    const httpSameCompact = await httpBatched(COMPACT);
    const httpSameLean = await httpBatched(LEAN);
    // HUB_LIVE_PROFILE=file.cpuprofile: the compact answer's batched calls once more (three runs)
    // under the CPU profiler, server and client alike (one process), and nothing else of the bench.
    const profileTo = process.env.HUB_LIVE_PROFILE;
    if (profileTo) {
      const profiler = new Session();
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.setSamplingInterval', { interval: 200 });
      await profiler.post('Profiler.start');
      await httpBatched(COMPACT);
      const { profile } = await profiler.post('Profiler.stop');
      await writeFile(profileTo, JSON.stringify(profile));
      profiler.disconnect();
      process.stdout.write(`(CPU profile of the compact answer's batched calls: ${profileTo})\n`);
    }

    // --- the same bulk check in-process, per core (CPU time): the check service (normalise, index,
    // TLP) without HTTP and JSON, and the live index alone (countMany over the normalised values) ---
    const bulkItems = qs.slice(0, bulkCount);
    const perCore = (fn: () => number) => {
      const c0 = process.cpuUsage();
      const found = fn();
      const used = process.cpuUsage(c0);
      return { found, rate: bulkCount / ((used.user + used.system) / 1e6) };
    };
    // CPU of this process only: the query that reads the ids of the hits runs in PostgreSQL.
    const c0 = process.cpuUsage();
    let serviceFound = 0;
    for (const r of await node.ctx.hub.check.checkMany(telecomViewer, bulkItems))
      if ('matches' in r && r.matches.length > 0) serviceFound++;
    const serviceUsed = process.cpuUsage(c0);
    const service = {
      found: serviceFound,
      rate: bulkCount / ((serviceUsed.user + serviceUsed.system) / 1e6),
    };
    // The same for the compact answer's service (no object per value), best of three.
    const bulkTypeColumn = bulkItems.map((q) => q.type);
    const bulkValueColumn = bulkItems.map((q) => q.value);
    let compactService = { found: Number.NaN, rate: Number.NaN };
    for (let round = 0; round < 3; round++) {
      const c1 = process.cpuUsage();
      const told = await node.ctx.hub.check.checkManyCompact(telecomViewer, bulkTypeColumn, bulkValueColumn);
      const used = process.cpuUsage(c1);
      const rate = bulkCount / ((used.user + used.system) / 1e6);
      if (!(rate <= compactService.rate)) compactService = { found: told.matched, rate };
    }
    if (compactService.found !== bulkCount / 2)
      throw new Error(`in-process compact bulk: ${compactService.found} hits`);
    const live = packed.index;
    const counts = new Uint32Array(bulkCount);
    const bulkTypes = bulkItems.map((q) => q.type as IndicatorType);
    const bulkValues = JSON.parse(JSON.stringify(bulkItems.map((q) => q.value))) as string[];
    let indexOnly = { found: Number.NaN, rate: Number.NaN };
    if (live)
      for (let round = 0; round < 3; round++) {
        const r = perCore(() => {
          live.countMany(bulkTypes, bulkValues, counts);
          return counts.reduce((n, c) => n + (c > 0 ? 1 : 0), 0);
        });
        if (!(r.rate <= indexOnly.rate)) indexOnly = r;
      }
    if (service.found !== bulkCount / 2 || (live && indexOnly.found !== bulkCount / 2))
      throw new Error(`in-process bulk: ${service.found} / ${indexOnly.found} hits`);

    // --- privacy mode: the group's first privacy-mode check is answered from the digests kept with
    // the rows while its table is built in the background; then checks use the table ---
    const groupKey = node.ctx.hub.membership.groupKey(group.id);
    const hashedBody = (from: number) =>
      JSON.stringify({
        groupId: group.id,
        items: qs.slice(from, from + 1000).map((q) => ({
          type: q.type,
          hash: createHmac('sha256', groupKey).update(q.value).digest('hex'),
        })),
      });
    const matchCount = (text: string) => (JSON.parse(text) as { matches: unknown[] }).matches.length;
    const hashed0 = performance.now();
    const firstHashed = await client.call('POST', '/api/v1/hub/check/hashed', hashedBody(0));
    const firstHashedMs = performance.now() - hashed0;
    if (firstHashed.status !== 200)
      throw new Error(`privacy check: ${firstHashed.status} ${firstHashed.text}`);
    const beforeTable = await latencies(20, async (i) => {
      const r = await client.call('POST', '/api/v1/hub/check/hashed', hashedBody(1000 * (i + 1)));
      if (r.status !== 200) throw new Error(`privacy check: ${r.status} ${r.text}`);
    });
    const tableReadyMs = await (async () => {
      while (!node!.ctx.hub.index.groupReady(group.id)) await new Promise((r) => setTimeout(r, 50));
      return performance.now() - hashed0;
    })();
    const fromTable = await client.call('POST', '/api/v1/hub/check/hashed', hashedBody(0));
    if (matchCount(fromTable.text) !== matchCount(firstHashed.text) || matchCount(fromTable.text) !== 500)
      throw new Error(
        `privacy check: ${matchCount(firstHashed.text)} matches from the digests, ${matchCount(fromTable.text)} from the table`,
      );
    const hashedLat = await latencies(20, async (i) => {
      const r = await client.call('POST', '/api/v1/hub/check/hashed', hashedBody(1000 * (i + 1)));
      if (r.status !== 200) throw new Error(`privacy check: ${r.status} ${r.text}`);
    });
    const privacyBytes = packed.privacyBytes ?? Number.NaN;

    // --- the same lookups with an indexed PostgreSQL query (hub_indicators (type, value)) ---
    const pgLat = await latencies(singles, async (i) => {
      const q = qs[i]!;
      await writer.query({
        name: 'lookup',
        text: 'SELECT alert_id FROM hub_indicators WHERE type = $1 AND value = $2',
        values: [q.type, q.value],
      });
    });
    const pgBulk0 = performance.now();
    let pgHits = 0;
    for (let at = 0; at < bulkCount; at += 1000) {
      const part = qs.slice(at, at + 1000);
      const r = await writer.query(
        `SELECT count(*)::int AS n FROM hub_indicators h
         JOIN unnest($1::text[], $2::text[]) AS q(t, v) ON h.type = q.t AND h.value = q.v`,
        [part.map((q) => q.type), part.map((q) => q.value)],
      );
      pgHits += (r.rows[0] as { n: number }).n;
    }
    const pgBulkSeconds = (performance.now() - pgBulk0) / 1000;
    if (pgHits !== bulkCount / 2) throw new Error(`PostgreSQL: ${pgHits} hits`);

    // --- the same lookups with Redis: one key per indicator ---
    let redisLat: number[] = [];
    let redisBulkSeconds = Number.NaN;
    const unmeasured: BulkTiming = { wall: Number.NaN, cpu: Number.NaN, otherCpu: Number.NaN };
    let redisSame = unmeasured;
    let remoteLean = unmeasured;
    let remoteCompact = unmeasured;
    let remoteFull = unmeasured;
    let remoteShort = unmeasured;
    let redisFloorT = unmeasured;
    let leanFloorT = unmeasured;
    let redisLoadSeconds = Number.NaN;
    let redisOk = true;
    try {
      const { Redis: RedisClient } = await import('ioredis');
      redis = new RedisClient({ host: '127.0.0.1', port: 6379, lazyConnect: true, maxRetriesPerRequest: 1 });
      await redis.connect();
    } catch (error) {
      redisOk = false;
      process.stdout.write(`(Redis skipped: ${(error as Error).message})\n`);
    }
    if (redisOk && redis) {
      const load0 = performance.now();
      for (let from = 0; from < redisN; from += 10_000) {
        const pipe = redis.pipeline();
        for (let i = from; i < Math.min(redisN, from + 10_000); i++) {
          const { type, value } = indicator(i);
          pipe.set(`${prefix}${type}:${value}`, '1');
        }
        await pipe.exec();
      }
      redisLoadSeconds = (performance.now() - load0) / 1000;
      const rqs = queries(redisN, Math.max(singles, bulkCount));
      redisLat = await latencies(singles, async (i) => {
        await redis!.get(`${prefix}${rqs[i]!.type}:${rqs[i]!.value}`);
      });
      // Redis's own CPU (INFO cpu) besides the client's: its server runs in another process.
      const serverCpu = async () => {
        const info = await redis!.info('cpu');
        const field = (name: string) => Number(new RegExp(`${name}:([0-9.]+)`).exec(info)?.[1] ?? Number.NaN);
        return field('used_cpu_user') + field('used_cpu_sys');
      };
      const redisRun = async () => {
        const before = await serverCpu();
        let rHits = 0;
        for (let at = 0; at < bulkCount; at += batch) {
          const got = await redis!.mget(
            ...rqs.slice(at, at + batch).map((q) => `${prefix}${q.type}:${q.value}`),
          );
          for (const g of got) if (g !== null) rHits++;
        }
        if (rHits !== bulkCount / 2) throw new Error(`Redis: ${rHits} hits`);
        return (await serverCpu()) - before;
      };
      // The node in its own process, as Redis is, on the same database: the formats and Redis MGET
      // in turn, run by run.
      const remote = await remoteNode(dbUrl.toString(), group.id);
      if (remote.indicators !== loaded) throw new Error(`the bench node loaded ${remote.indicators}`);
      stops.push(() => remote.close());
      const remoteClient = httpClient(remote.url, tokens.telecom!);
      stops.push(() => remoteClient.close());
      for (let i = 0; i < 200; i++) await remoteClient.call('GET', path(qs[i]!)); // warm-up
      // HUB_LIVE_LEAN_ONLY=1 (for a profile of the node): the lean format alone beside Redis.
      const formats = process.env.HUB_LIVE_LEAN_ONLY ? [LEAN] : [LEAN, COMPACT, FULL, SHORT];
      // One untimed run of each first: the new process's code is compiled by then, as Redis's is.
      for (const how of formats) await batchedRun(how, remoteClient)();
      // The cost of a call itself, whatever its values: 100 calls of one value each, both sides.
      const floorCalls = bulkCount / batch;
      const leanFloor = async () => {
        const before = await remote.cpu();
        for (let at = 0; at < floorCalls; at++) {
          const r = await remoteClient.call('POST', LEAN.path, textLines(at, at + 1), 'text/plain');
          if (r.status !== 200) throw new Error(`bulk check of one: ${r.status} ${r.text.slice(0, 200)}`);
          LEAN.hits(r.text);
        }
        return (await remote.cpu()) - before;
      };
      const redisFloor = async () => {
        const before = await serverCpu();
        for (let at = 0; at < floorCalls; at++)
          await redis!.mget(`${prefix}${rqs[at]!.type}:${rqs[at]!.value}`);
        return (await serverCpu()) - before;
      };
      const timed = await alternating(3, [
        redisRun,
        redisFloor,
        leanFloor,
        ...formats.map((how) => batchedRun(how, remoteClient, remote.cpu)),
      ]);
      [redisFloorT, leanFloorT] = timed.splice(1, 2) as [BulkTiming, BulkTiming];
      [redisSame, remoteLean, remoteCompact = unmeasured, remoteFull = unmeasured, remoteShort = unmeasured] =
        timed as [BulkTiming, BulkTiming, BulkTiming, BulkTiming, BulkTiming];
      await remote.close();
      redisBulkSeconds = redisSame.wall;
    }

    // --- publish → subscriber over SSE, beside LISTEN/NOTIFY and Redis pub/sub ---
    const stream = openStream(node.url, tokens.telecom!);
    stops.push(() => stream.close());
    const publisher = httpClient(node.url, tokens.bank!);
    stops.push(() => publisher.close());
    await new Promise((r) => setTimeout(r, 200)); // the stream's response headers
    const sse: number[] = [];
    for (let k = 0; k < publishes; k++) {
      const id = (async () => {
        const t0 = performance.now();
        const r = await publisher.call(
          'POST',
          '/api/v1/hub/alerts',
          JSON.stringify({
            kind: 'scam_campaign',
            title: `bench publish ${k}`,
            confidence: 50,
            tlp: 'GREEN',
            groupId: group.id,
            indicators: [{ type: 'domain', value: `publish-${k}.bench.example` }],
          }),
        );
        if (r.status !== 201) throw new Error(`publish answered ${r.status}: ${r.text}`);
        return { t0, id: (JSON.parse(r.text) as { alert: { id: string } }).alert.id };
      })();
      // The event often comes before the POST's answer: the stream keeps arrival times by alert id.
      const { t0, id: alertId } = await id;
      const arrived = await Promise.race([
        stream.expect(alertId),
        new Promise<number>((_, reject) =>
          setTimeout(() => reject(new Error('no SSE event in 10 s')), 10_000),
        ),
      ]).catch(() => Number.NaN);
      sse.push(arrived - t0);
    }
    sortNum(sse);

    const listener = new pg.Client({ connectionString: dbUrl.toString() });
    await listener.connect();
    stops.push(() => listener.end());
    await listener.query('LISTEN h247_bench');
    const notifyLat: number[] = [];
    for (let k = 0; k < publishes; k++) {
      const got = new Promise<number>((resolve) =>
        listener.once('notification', () => resolve(performance.now())),
      );
      const t0 = performance.now();
      await writer.query(`NOTIFY h247_bench, '${k}'`);
      notifyLat.push((await got) - t0);
    }
    sortNum(notifyLat);
    let redisPubLat: number[] = [];
    if (redisOk && redis) {
      const sub = redis.duplicate();
      stops.push(() => sub.quit());
      await sub.subscribe(`${prefix}channel`);
      redisPubLat = [];
      for (let k = 0; k < publishes; k++) {
        const got = new Promise<number>((resolve) => sub.once('message', () => resolve(performance.now())));
        const t0 = performance.now();
        await redis!.publish(`${prefix}channel`, String(k));
        redisPubLat.push((await got) - t0);
      }
      sortNum(redisPubLat);
    }

    // --- a restart: the group used privacy mode, so its table is built in the background after start.
    // A privacy check sent at once is answered from the digests kept with the rows meanwhile. ---
    for (const stop of stops.splice(0).reverse()) await Promise.resolve(stop()).catch(() => {});
    await node.close();
    node = null;
    const restart0 = performance.now();
    node = await startNode(config, options);
    const restartSeconds = (performance.now() - restart0) / 1000;
    const again = httpClient(node.url, tokens.telecom!);
    stops.push(() => again.close());
    const early0 = performance.now();
    const early = await again.call('POST', '/api/v1/hub/check/hashed', hashedBody(0));
    if (early.status !== 200) throw new Error(`privacy check after restart: ${early.status} ${early.text}`);
    if (matchCount(early.text) !== matchCount(firstHashed.text))
      throw new Error(`privacy check after restart: ${matchCount(early.text)} matches`);
    const afterStartMs = performance.now() - restart0;
    const earlyMs = performance.now() - early0;
    const restartedLat = await latencies(20, async (i) => {
      const r = await again.call('POST', '/api/v1/hub/check/hashed', hashedBody(1000 * (i + 1)));
      if (r.status !== 200) throw new Error(`privacy check: ${r.status} ${r.text}`);
    });
    await writer.end();

    const rate = (count: number, seconds: number) => `${fmt(count / seconds / 1000, 1)} k/s`;
    const rows: Row[] = [
      {
        figure: `start: load ${fmt(loaded, 0)} indicators from PostgreSQL (wall; CPU)`,
        value: `${fmt(startSeconds, 1)} s; ${fmt((startCpu.user + startCpu.system) / 1e6, 1)} s`,
        baseline: redisOk
          ? `Redis SET ${fmt(redisN, 0)} keys, pipelined: ${fmt(redisLoadSeconds, 1)} s`
          : '-',
        ratio: redisOk ? `${fmt(startSeconds / n / (redisLoadSeconds / redisN), 2)}× per indicator` : '-',
      },
      {
        figure:
          'start: memory (RSS growth; live index bytes: value table for exact checks + row owners) per indicator',
        value: `${fmt((rss1 - rss0) / loaded, 1)} B; ${fmt(indexBytes / loaded, 1)} B (row owners: ${fmt(owners.runs, 0)} runs, ${fmt(owners.bytes, 0)} B)`,
        baseline: `privacy-mode tables at start: ${fmt(privacyBytesAtStart / loaded, 1)} B`,
        ratio: '-',
      },
      {
        figure:
          'privacy mode: first check of 1,000 hashes (from the kept digests); 20 more before the table is built p50 / p99',
        value: `${ms(firstHashedMs)}; ${ms(p(beforeTable, 50))} / ${ms(p(beforeTable, 99))}`,
        baseline: `group table built in the background in ${fmt(tableReadyMs / 1000, 1)} s; checks then p50 / p99 ${ms(p(hashedLat, 50))} / ${ms(p(hashedLat, 99))}`,
        ratio: `${fmt(privacyBytes / loaded, 1)} B per indicator (table)`,
      },
      {
        figure:
          'after a restart: start; a privacy check sent at once (from the kept digests); next ones p50 / p99',
        value: `${fmt(restartSeconds, 1)} s; ${ms(earlyMs)}, answered ${fmt(afterStartMs / 1000, 1)} s after the restart began; ${ms(p(restartedLat, 50))} / ${ms(p(restartedLat, 99))}`,
        baseline: `first check without a restart: ${ms(firstHashedMs)}`,
        ratio: '-',
      },
      {
        figure: `single check over HTTP, keep-alive (${fmt(singles, 0)}, 50 % hits) p50 / p99`,
        value: `${ms(p(httpLat, 50))} / ${ms(p(httpLat, 99))}`,
        baseline: `PostgreSQL query ${ms(p(pgLat, 50))} / ${ms(p(pgLat, 99))}`,
        ratio: `${fmt(p(httpLat, 50) / p(pgLat, 50), 2)}× / ${fmt(p(httpLat, 99) / p(pgLat, 99), 2)}×`,
      },
      {
        figure:
          'of which: HTTP server alone (GET /healthz) with the token p50 / p99; check service in-process p50 / p99',
        value: `${ms(p(healthLat, 50))} / ${ms(p(healthLat, 99))}`,
        baseline: `service ${ms(p(serviceLat, 50))} / ${ms(p(serviceLat, 99))}`,
        ratio: '-',
      },
      {
        figure: 'the database query a hit no longer waits for (ids of its row number), alone, p50 / p99',
        value: `${ms(p(refsLat, 50))} / ${ms(p(refsLat, 99))}`,
        baseline: `GC during the HTTP checks: ${gcs.length} pauses (${gcs.filter((g) => g.major).length} major), total ${ms(gcMs.reduce((a, b) => a + b, 0))}, longest ${ms(Math.max(0, ...gcMs))}`,
        ratio: `${slowWithGc} of the ${slowest.length} slowest 1 % overlap a GC`,
      },
      {
        figure: 'of which: hits (ids from memory) p50 / p99; misses p50 / p99',
        value: `${ms(p(hitLat, 50))} / ${ms(p(hitLat, 99))}`,
        baseline: `misses ${ms(p(missLat, 50))} / ${ms(p(missLat, 99))}; event-loop delay p99 ${ms(loopDelay.percentile(99) / 1e6)}, max ${ms(loopDelay.max / 1e6)}`,
        ratio: `${fmt(p(hitLat, 99) / p(missLat, 99), 2)}× at p99`,
      },
      {
        figure: 'of which: GET /healthz without a token (no token lookup in the database) p50 / p99',
        value: `${ms(p(bareLat, 50))} / ${ms(p(bareLat, 99))}`,
        baseline: `with the token ${ms(p(healthLat, 50))} / ${ms(p(healthLat, 99))}`,
        ratio: `${fmt(p(healthLat, 50) / p(bareLat, 50), 2)}× / ${fmt(p(healthLat, 99) / p(bareLat, 99), 2)}×`,
      },
      {
        figure: 'single check over HTTP beside a Redis GET, p50 / p99',
        value: `${ms(p(httpLat, 50))} / ${ms(p(httpLat, 99))}`,
        baseline: redisOk ? `Redis GET ${ms(p(redisLat, 50))} / ${ms(p(redisLat, 99))}` : '-',
        ratio: redisOk
          ? `${fmt(p(httpLat, 50) / p(redisLat, 50), 2)}× / ${fmt(p(httpLat, 99) / p(redisLat, 99), 2)}×`
          : '-',
      },
      {
        figure: `bulk check over HTTP, ${fmt(bulkCount, 0)} values NDJSON in and out (wall)`,
        value: rate(bulkCount, bulkSeconds),
        baseline: `PostgreSQL join on unnest, 1,000 a query: ${rate(bulkCount, pgBulkSeconds)}`,
        ratio: `${fmt(pgBulkSeconds / bulkSeconds, 2)}×`,
      },
      {
        figure: `bulk lookups per core in the live index (countMany, ${fmt(bulkCount, 0)} normalised values)`,
        value: `${fmt(indexOnly.rate / 1e6, 2)} M/s`,
        baseline: `check service in-process (normalise + index + TLP): ${fmt(service.rate / 1e6, 2)} M/s`,
        ratio: `${fmt(indexOnly.rate / service.rate, 1)}×`,
      },
      {
        figure: `check service in-process per core, compact answer's (checkManyCompact, ${fmt(bulkCount, 0)} values, no HTTP or JSON; best of 3)`,
        value: `${fmt(compactService.rate / 1e6, 2)} M/s (${ms((bulkCount / compactService.rate) * 1000)} CPU)`,
        baseline: `full answer's (checkMany): ${fmt(service.rate / 1e6, 2)} M/s (${ms((bulkCount / service.rate) * 1000)} CPU)`,
        ratio: `${fmt(compactService.rate / service.rate, 2)}×`,
      },
      {
        figure: `bulk check over HTTP in one request of ${fmt(bulkCount, 0)} beside Redis MGET of ${fmt(batch, 0)} a call (not the same batch; medians of 3)`,
        value: rate(bulkCount, bulkSeconds),
        baseline: redisOk ? `Redis MGET: ${rate(bulkCount, redisBulkSeconds)}` : '-',
        ratio: redisOk ? `${fmt(redisBulkSeconds / bulkSeconds, 2)}×` : '-',
      },
      {
        figure: 'the same, short answer (?omit=misses: only matches and errors come back)',
        value: rate(bulkCount, shortSeconds),
        baseline: redisOk ? `Redis MGET: ${rate(bulkCount, redisBulkSeconds)}` : '-',
        ratio: redisOk ? `${fmt(redisBulkSeconds / shortSeconds, 2)}×` : '-',
      },
      {
        figure:
          'the same, compact answer (?answer=compact: each alert once, hits as [i, alert, indicatorId])',
        value: rate(bulkCount, compactSeconds),
        baseline: redisOk ? `Redis MGET: ${rate(bulkCount, redisBulkSeconds)}` : '-',
        ratio: redisOk ? `${fmt(redisBulkSeconds / compactSeconds, 2)}×` : '-',
      },
      {
        figure: `answer bytes per ${fmt(bulkCount, 0)} values: full; short (?omit=misses); compact (?answer=compact)`,
        value: [FULL, SHORT, COMPACT]
          .map((h) => `${fmt((answerBytes.get(h.path) ?? 0) / 1e6, 2)} MB`)
          .join('; '),
        baseline: `request ${fmt(Buffer.byteLength(ndjson) / 1e6, 2)} MB`,
        ratio: `${fmt((answerBytes.get(FULL.path) ?? 0) / (answerBytes.get(COMPACT.path) ?? 1), 1)}× smaller`,
      },
      ...(
        [
          ['lean: text/plain lines (type, tab, value) in, ?answer=hits out', remoteLean, true],
          ['compact answer (?answer=compact), NDJSON in', remoteCompact, true],
          ['full answer, NDJSON in and out', remoteFull, true],
          ['short answer (?omit=misses), NDJSON in and out', remoteShort, true],
          [
            'node in THIS process (one thread with the client): compact answer, NDJSON in',
            httpSameCompact,
            false,
          ],
          [
            'node in THIS process (one thread with the client): lean, text/plain in, ?answer=hits',
            httpSameLean,
            false,
          ],
        ] as const
      ).map(
        ([what, t, own], k): Row => ({
          figure:
            k === 0
              ? `SAME BATCH: bulk check over HTTP beside Redis MGET, both ${fmt(batch, 0)} values a call, one call at a time, loopback, node in its own process as Redis (wall; CPU: client + server): ${what}`
              : `SAME BATCH, ${what}`,
          value: `${rate(bulkCount, t.wall)}; CPU ${ms(t.cpu * 1000)}${own ? ` + ${ms(t.otherCpu * 1000)}` : ' (both)'}`,
          baseline: redisOk
            ? `Redis MGET ${rate(bulkCount, redisSame.wall)}; CPU ${ms(redisSame.cpu * 1000)} + ${ms(redisSame.otherCpu * 1000)}`
            : '-',
          ratio: redisOk
            ? `${fmt(redisSame.wall / t.wall, 2)}× wall; ${fmt((redisSame.cpu + redisSame.otherCpu) / (t.cpu + t.otherCpu), 2)}× CPU`
            : '-',
        }),
      ),
      {
        figure: `SAME BATCH, where the time goes: a call of ONE value, node in its own process (lean), ${fmt(bulkCount / batch, 0)} calls, per call (wall; CPU: client + server)`,
        value: `${ms((leanFloorT.wall / (bulkCount / batch)) * 1000)}; CPU ${ms((leanFloorT.cpu / (bulkCount / batch)) * 1000)} + ${ms((leanFloorT.otherCpu / (bulkCount / batch)) * 1000)}`,
        baseline: redisOk
          ? `Redis MGET of one key ${ms((redisFloorT.wall / (bulkCount / batch)) * 1000)}; CPU ${ms((redisFloorT.cpu / (bulkCount / batch)) * 1000)} + ${ms((redisFloorT.otherCpu / (bulkCount / batch)) * 1000)}`
          : '-',
        ratio: redisOk
          ? `per ${fmt(batch, 0)} values beyond the call: node ${ms(((remoteLean.wall - leanFloorT.wall) / (bulkCount / batch)) * 1000)}, Redis ${ms(((redisSame.wall - redisFloorT.wall) / (bulkCount / batch)) * 1000)}`
          : '-',
      },
      {
        figure: `publish → SSE subscriber (${publishes} alerts, POST to event) p50 / p99`,
        value: `${ms(p(sse, 50))} / ${ms(p(sse, 99))}`,
        baseline: `PostgreSQL NOTIFY→LISTEN ${ms(p(notifyLat, 50))}${redisOk ? `; Redis PUBLISH ${ms(p(redisPubLat, 50))}` : ''}`,
        ratio: `${fmt(p(sse, 50) / p(notifyLat, 50), 1)}× NOTIFY`,
      },
    ];
    const note = redisN === n ? '' : `; Redis on ${fmt(redisN, 0)} keys (free memory)`;
    printRows(`hub live: node on loopback over PostgreSQL, ${fmt(n, 0)} indicators${note}`, rows);
    process.stdout.write(
      `goals: single check p99 < 2 ms → ${p(httpLat, 99) < 2 ? 'met' : 'NOT met'}; ` +
        `≥ 5,000,000 bulk lookups/s per core in the live index → ${indexOnly.rate >= 5e6 ? 'met' : 'NOT met'}; ` +
        `≤ 32 bytes per indicator (value table + row owners) → ${indexBytes / loaded <= 32 ? 'met' : 'NOT met'}; ` +
        `publish → subscriber p50 < 1 s → ${p(sse, 50) < 1000 ? 'met' : 'NOT met'}; ` +
        `bulk check over HTTP ≥ 2× Redis MGET, same values and batch of ${fmt(batch, 0)} (wall), node in its own process → ${
          redisOk
            ? `lean ${fmt(redisSame.wall / remoteLean.wall, 2)}×, ${redisSame.wall / remoteLean.wall >= 2 ? 'met' : 'NOT met'}; compact ${fmt(redisSame.wall / remoteCompact.wall, 2)}×; full ${fmt(redisSame.wall / remoteFull.wall, 2)}×`
            : 'not measured (no Redis)'
        }\n` +
        `load average at the end (1, 5, 15 min, ${availableParallelism()} cores): ${loadavg()
          .map((l) => fmt(l, 2))
          .join(', ')}\n`,
    );
  } finally {
    for (const stop of stops.reverse()) await Promise.resolve(stop()).catch(() => {});
    if (node) await node.close();
    const client = redis as Redis | null;
    if (client?.status === 'ready') {
      let cursor = '0';
      do {
        const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 10_000);
        if (keys.length) await client.unlink(...keys);
        cursor = next;
      } while (cursor !== '0');
      await client.quit();
    } else client?.disconnect();
    const dropper = new pg.Client({ connectionString: base });
    await dropper.connect();
    await dropper.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await dropper.end();
  }
}
