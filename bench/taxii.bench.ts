// TAXII 2.1 on a large collection (issue 20, finding 8): a real node on loopback whose collection
// holds kept objects written by the database itself, measured beside a plain keyset-paged SQL query over
// the same rows (the baseline), the two interleaved sample by sample so that both see the same load:
//   - the collection grows through TAXII_SIZES (by default a tenth, a half and all of TAXII_N, which is
//     1,000,000 on PostgreSQL), and at each size a full crawl by next at TAXII_CRAWL_LIMIT (1,000 by
//     default) gives the time per 100,000 objects (the same at every size when the crawl is linear);
//   - at the largest size, before its crawl: pages of 100 objects (by next and by added_after) and of
//     100 manifest entries at the start, the middle and the end of the collection, p50/p99.
// PostgreSQL at BENCH_DATABASE_URL by default (its own database h247_taxiibench_*, dropped at the end);
// TAXII_DB=pglite runs the node on PGlite in a temporary folder (TAXII_N 100,000 by default there).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { parseConfig } from '../src/config.ts';
import { type RunningNode, startNode } from '../src/main.ts';
import { createLogger } from '../src/observability/logger.ts';
import { randomToken } from '../src/shared/ids.ts';
import { encodeCursor, taxiiTime } from '../src/taxii/taxii-paging.ts';
import { httpClient } from './hub-live.bench.ts';
import { benchDatabaseUrl, envInt, fmt, percentile, printRows, type Row } from './lib.ts';

const TAXII = 'application/taxii+json;version=2.1';
const BASE_US = Date.parse('2026-01-01T00:00:00.000Z') * 1000;

/** The kept objects i = 1..n: three types, a STIX object of a few hundred bytes each. */
const FILL = `
  INSERT INTO hub_stix_objects (group_id, id, version, type, spec_version, created, modified, object, tlp,
                                owner_org_id, added_by, date_added_us)
  SELECT $1::uuid, s.id, '2026-01-01T00:00:00.000Z', s.type, '2.1', '2026-01-01', '2026-01-01',
    json_build_object('type', s.type, 'spec_version', '2.1', 'id', s.id,
      'created', '2026-01-01T00:00:00.000Z', 'modified', '2026-01-01T00:00:00.000Z',
      'name', 'bench object ' || s.i, 'description', 'one of the objects of the TAXII bench, number ' || s.i,
      'pattern', '[domain-name:value = ''bench-' || s.i || '.example'']', 'pattern_type', 'stix',
      'valid_from', '2026-01-01T00:00:00.000Z', 'labels', json_build_array('bench')),
    'GREEN', $2::uuid, $3::uuid, ${BASE_US}::bigint + 2 * s.i + 1
  FROM (SELECT i, (ARRAY['indicator', 'malware', 'identity'])[1 + i % 3] AS type,
               (ARRAY['indicator', 'malware', 'identity'])[1 + i % 3] || '--' ||
               (md5(i::text)::uuid)::text AS id
        FROM generate_series($4::int, $5::int) AS i) s`;

const ms = (v: number) => `${fmt(v, 2)} ms`;
const sorted = (a: number[]) => [...a].sort((x, y) => x - y);
const mean = (a: number[]) => a.reduce((s, x) => s + x, 0) / a.length;
const p50p99 = (a: number[]) => `${ms(percentile(sorted(a), 50))} / ${ms(percentile(sorted(a), 99))}`;

/** A SQL connection of the bench's own (PostgreSQL), or the node's PGlite. */
type Sql = { query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }> };
type Key = { addedUs: number; id: string };

/** The database the node runs on: settings for its config, and how to drop it afterwards. */
async function openBackEnd(): Promise<{
  label: string;
  env: Record<string, string>;
  connect(node: RunningNode): Promise<Sql>;
  drop(): Promise<void>;
} | null> {
  if (process.env.TAXII_DB === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'h247-taxiibench-'));
    return {
      label: 'PGlite',
      env: { HANOI247_DATA_DIR: dir },
      connect: async (node) => (node.ctx.database.db as unknown as { $client: Sql }).$client,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const base = benchDatabaseUrl();
  const dbName = `h247_taxiibench_${randomToken(5)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, 'x')}`;
  const admin = new pg.Client({ connectionString: base });
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
  } catch (error) {
    process.stdout.write(`(TAXII bench skipped: PostgreSQL: ${(error as Error).message})\n`);
    return null;
  } finally {
    await admin.end().catch(() => {});
  }
  const dbUrl = new URL(base);
  dbUrl.pathname = `/${dbName}`;
  let writer: pg.Client | null = null;
  return {
    label: 'PostgreSQL',
    env: { DATABASE_URL: dbUrl.toString() },
    connect: async () => {
      writer = new pg.Client({ connectionString: dbUrl.toString() });
      await writer.connect();
      return writer as unknown as Sql;
    },
    drop: async () => {
      await writer?.end().catch(() => {});
      const dropper = new pg.Client({ connectionString: base });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await dropper.end();
    },
  };
}

export async function taxiiBench(): Promise<void> {
  const pglite = process.env.TAXII_DB === 'pglite';
  const n = envInt('TAXII_N', pglite ? 100_000 : 1_000_000);
  const sizes = (process.env.TAXII_SIZES ?? `${n / 10},${n / 2},${n}`)
    .split(',')
    .map(Number)
    .filter((s) => Number.isSafeInteger(s) && s > 0 && s <= n)
    .sort((a, b) => a - b);
  if (sizes[sizes.length - 1] !== n) sizes.push(n);
  const samples = envInt('TAXII_SAMPLES', 200);
  const crawlLimit = Math.min(envInt('TAXII_CRAWL_LIMIT', 1000), 1000);
  const back = await openBackEnd();
  if (!back) return;
  let node: RunningNode | null = null;
  const stops: (() => void)[] = [];
  try {
    const config = parseConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      HANOI247_KEY_SECRET: 'bench-key-secret-0123456789',
      HANOI247_LOG_LEVEL: 'silent',
      ...back.env,
    });
    node = await startNode(config, { logger: createLogger('silent'), createKeysIfMissing: true });
    const { hub, users, auth } = node.ctx;
    const bank = await hub.membership.createOrg('bench', { name: 'Bench Bank', kind: 'bank', country: 'VN' });
    const group = await hub.membership.createGroup('bench', { name: 'Bench national', kind: 'national' });
    const { user } = await users.addUser('bench', {
      username: 'bench-bank',
      password: 'bench-password-0123456789',
      roles: ['PRIVATE_LIAISON'],
    });
    await hub.membership.addMember('bench', bank.id, 'bench-bank');
    await hub.membership.addGroupMember('bench', group.id, bank.id);
    const token = (
      await auth.createToken(user.id, { name: 'bench', scopes: ['PRIVATE_LIAISON'], ttlDays: 1 })
    ).token;
    // A few alerts too: the collection's other source (objects made from alerts) is merged on every page.
    const viewer = hub.membership.viewerFor({ userId: user.id, roles: ['PRIVATE_LIAISON'] });
    for (let k = 0; k < 3; k++)
      await hub.alerts.publish(viewer, {
        kind: 'scam_campaign',
        title: `bench alert ${k}`,
        confidence: 50,
        tlp: 'GREEN',
        groupId: group.id,
        indicators: [{ type: 'domain', value: `alert-${k}.bench.example` }],
      });
    const db = await back.connect(node);

    // The kept objects from..to, written by the database; indexes dropped before and built after.
    const fill = async (from: number, to: number) => {
      const t0 = performance.now();
      if (!pglite) {
        await db.query(`SET maintenance_work_mem = '256MB'`);
        await db.query('SET synchronous_commit = off');
      }
      await db.query('ALTER TABLE hub_stix_objects DROP CONSTRAINT hub_stix_objects_pk');
      await db.query('DROP INDEX hub_stix_objects_added_idx');
      await db.query('DROP INDEX hub_stix_objects_type_idx');
      for (let i = from; i <= to; i += 250_000)
        await db.query(FILL, [group.id, bank.id, user.id, i, Math.min(to, i + 249_999)]);
      await db.query(
        'ALTER TABLE hub_stix_objects ADD CONSTRAINT hub_stix_objects_pk PRIMARY KEY (group_id, id, version)',
      );
      await db.query(
        'CREATE UNIQUE INDEX hub_stix_objects_added_idx ON hub_stix_objects (group_id, date_added_us, id)',
      );
      await db.query(
        'CREATE INDEX hub_stix_objects_type_idx ON hub_stix_objects (group_id, type, date_added_us, id)',
      );
      await db.query('VACUUM ANALYZE hub_stix_objects');
      process.stdout.write(
        `(wrote kept objects ${fmt(from, 0)}..${fmt(to, 0)} into ${back.label} in ${fmt((performance.now() - t0) / 1000, 1)} s)\n`,
      );
    };

    const client = httpClient(node.url, token);
    stops.push(() => client.close());
    const collection = `/taxii2/hub/collections/${group.id}/`;
    const taxiiGet = async (path: string) => {
      const r = await client.call('GET', path, undefined, TAXII, { accept: TAXII });
      if (r.status !== 200) throw new Error(`TAXII ${path}: ${r.status} ${r.text.slice(0, 300)}`);
      return r;
    };
    // The (date added, id) of the i-th object, from the database (not timed).
    const keyAt = async (i: number): Promise<Key> => {
      const r = await db.query(
        'SELECT date_added_us::text AS us, id FROM hub_stix_objects WHERE group_id = $1 AND date_added_us = $2',
        [group.id, BASE_US + 2 * i + 1],
      );
      const row = r.rows[0] as { us: string; id: string };
      return { addedUs: Number(row.us), id: row.id };
    };
    const timed = async (fn: () => Promise<unknown>) => {
      const t0 = performance.now();
      await fn();
      return performance.now() - t0;
    };
    // The baseline: the same rows by keyset, all columns a page needs, no visibility or version rule.
    const baselinePage = (cursor: Key | null, limit: number) =>
      db.query(
        cursor
          ? `SELECT object::text AS object, date_added_us, id FROM hub_stix_objects WHERE group_id = $1
             AND (date_added_us, id) > ($2, $3) ORDER BY date_added_us, id LIMIT $4`
          : 'SELECT object::text AS object, date_added_us, id FROM hub_stix_objects WHERE group_id = $1 ORDER BY date_added_us, id LIMIT $2',
        cursor ? [group.id, cursor.addedUs, cursor.id, limit] : [group.id, limit],
      );

    // A full crawl by next, page by page in step with the same crawl by SQL keyset.
    const crawl = async () => {
      const taxiiTimes: number[] = [];
      const sqlTimes: number[] = [];
      let next: string | null = null;
      let key: Key | null = null;
      let taxiiDone = false;
      let sqlDone = false;
      let taxiiTotal = 0;
      let sqlTotal = 0;
      while (!taxiiDone || !sqlDone) {
        if (!taxiiDone) {
          const t0 = performance.now();
          const r = await taxiiGet(`${collection}objects/?limit=${crawlLimit}${next ? `&next=${next}` : ''}`);
          // The answer's text is in, as the SQL rows are: reading the objects is the client's business.
          taxiiTimes.push(performance.now() - t0);
          const body = JSON.parse(r.text) as { objects?: unknown[]; next?: string };
          taxiiTotal += body.objects?.length ?? 0;
          next = body.next ?? null;
          taxiiDone = next === null;
        }
        if (!sqlDone) {
          const t0 = performance.now();
          const r = await baselinePage(key, crawlLimit);
          sqlTimes.push(performance.now() - t0);
          sqlTotal += r.rows.length;
          const last = r.rows[r.rows.length - 1] as { date_added_us: string; id: string } | undefined;
          key =
            r.rows.length === crawlLimit && last
              ? { addedUs: Number(last.date_added_us), id: last.id }
              : null;
          sqlDone = key === null;
        }
      }
      return { taxiiTimes, sqlTimes, taxiiTotal, sqlTotal };
    };

    const pageRows: Row[] = [];
    const crawlRows: Row[] = [];
    await taxiiGet(`${collection}objects/?limit=100`); // the first read builds the alerts' view
    let filled = 0;
    for (const size of sizes) {
      await fill(filled + 1, size);
      filled = size;
      if (size === n) {
        // --- pages of 100 at the start, the middle and the end, each kind beside the SQL page ---
        for (const [where, at] of [
          ['start', 0],
          ['middle', Math.floor(n / 2)],
          ['end', n - 100],
        ] as const) {
          const cursor = at === 0 ? null : await keyAt(at);
          const next = cursor ? `&next=${encodeCursor(cursor)}` : '';
          const after = cursor ? `&added_after=${encodeURIComponent(taxiiTime(cursor.addedUs))}` : '';
          for (let k = 0; k < 20; k++) await taxiiGet(`${collection}objects/?limit=100${next}`); // warm-up
          const sql: number[] = [];
          const byNext: number[] = [];
          const byAfter: number[] = [];
          const manifest: number[] = [];
          for (let k = 0; k < samples; k++) {
            sql.push(await timed(() => baselinePage(cursor, 100)));
            byNext.push(await timed(() => taxiiGet(`${collection}objects/?limit=100${next}`)));
            byAfter.push(await timed(() => taxiiGet(`${collection}objects/?limit=100${after}`)));
            manifest.push(await timed(() => taxiiGet(`${collection}manifest/?limit=100${next}`)));
          }
          for (const [figure, lat] of [
            [`objects page of 100 by next, ${where}`, byNext],
            [`objects page of 100 by added_after, ${where}`, byAfter],
            [`manifest page of 100 by next, ${where}`, manifest],
          ] as const)
            pageRows.push({
              figure: `${figure} (p50 / p99)`,
              value: p50p99(lat),
              baseline: `SQL keyset ${p50p99(sql)}`,
              ratio: `${fmt(percentile(sorted(lat), 99) / percentile(sorted(sql), 99), 1)}× (p99)`,
            });
        }
      }
      // --- a full crawl at this size ---
      const c = await crawl();
      if (c.taxiiTotal < size + 6 || c.sqlTotal !== size)
        throw new Error(`crawl read ${c.taxiiTotal} objects over TAXII, ${c.sqlTotal} by SQL, of ${size}`);
      const taxiiS = c.taxiiTimes.reduce((s, x) => s + x, 0) / 1000;
      const sqlS = c.sqlTimes.reduce((s, x) => s + x, 0) / 1000;
      const per100k = (s: number) => `${fmt((s * 100_000) / size, 2)} s per 100k`;
      crawlRows.push({
        figure: `full crawl by next at ${fmt(size, 0)} objects, limit ${crawlLimit}`,
        value: `${fmt(taxiiS, 1)} s, ${per100k(taxiiS)}`,
        baseline: `SQL keyset ${fmt(sqlS, 1)} s, ${per100k(sqlS)}`,
        ratio: `${fmt(taxiiS / sqlS, 1)}×`,
      });
      process.stdout.write(
        `(crawled ${fmt(size, 0)}: TAXII ${fmt(taxiiS, 1)} s, SQL keyset ${fmt(sqlS, 1)} s)\n`,
      );
      if (size === n) {
        const tenth = Math.max(1, Math.floor(c.taxiiTimes.length / 10));
        const first = mean(c.taxiiTimes.slice(0, tenth));
        const last = mean(c.taxiiTimes.slice(-tenth));
        crawlRows.push({
          figure: `crawl of ${fmt(size, 0)}: mean page time, first tenth / last tenth`,
          value: `${ms(first)} / ${ms(last)}`,
          baseline: `SQL keyset ${ms(mean(c.sqlTimes.slice(0, tenth)))} / ${ms(mean(c.sqlTimes.slice(-tenth)))}`,
          ratio: `${fmt(last / first, 2)} (1.0 = flat)`,
        });
      }
    }
    const title = `TAXII on a collection of kept objects + 3 alerts (${back.label}, HTTP on loopback)`;
    printRows(`${title}: pages at ${fmt(n, 0)} objects`, pageRows);
    printRows(`${title}: full crawls (linear when the time per 100k is the same at every size)`, crawlRows);
  } finally {
    for (const stop of stops.reverse()) stop();
    if (node) await node.close();
    await back.drop();
  }
}
