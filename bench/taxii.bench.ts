// TAXII 2.1 on a large collection (issue 20, finding 8): a real node on loopback over PostgreSQL whose
// collection holds TAXII_N kept objects (1,000,000 by default), written by PostgreSQL itself. Measured
// in one run, beside a plain keyset-paged SQL query over the same rows (the baseline):
//   - pages of 100 objects (by next and by added_after) and of 100 manifest entries at the start, the
//     middle and the end of the collection, p50/p99;
//   - a full crawl by next at TAXII_CRAWL_LIMIT (1,000 by default), with the time per page of its
//     first and last tenth (equal when the crawl is linear in the collection's size).
// Everything it makes is its own: a database h247_taxiibench_*, dropped at the end.
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
const sorted = (a: number[]) => a.sort((x, y) => x - y);

export async function taxiiBench(): Promise<void> {
  const n = envInt('TAXII_N', 1_000_000);
  const samples = envInt('TAXII_SAMPLES', 200);
  const crawlLimit = Math.min(envInt('TAXII_CRAWL_LIMIT', 1000), 1000);
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
    return;
  } finally {
    await admin.end().catch(() => {});
  }
  const dbUrl = new URL(base);
  dbUrl.pathname = `/${dbName}`;
  let node: RunningNode | null = null;
  const writer = new pg.Client({ connectionString: dbUrl.toString() });
  const stops: (() => void)[] = [];
  try {
    const config = parseConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      HANOI247_KEY_SECRET: 'bench-key-secret-0123456789',
      HANOI247_LOG_LEVEL: 'silent',
      DATABASE_URL: dbUrl.toString(),
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

    // --- the kept objects, written by PostgreSQL; indexes built once after the rows ---
    await writer.connect();
    const fill0 = performance.now();
    await writer.query(`SET maintenance_work_mem = '256MB'`);
    await writer.query('SET synchronous_commit = off');
    await writer.query('ALTER TABLE hub_stix_objects DROP CONSTRAINT hub_stix_objects_pk');
    await writer.query('DROP INDEX hub_stix_objects_added_idx');
    await writer.query('DROP INDEX hub_stix_objects_type_idx');
    for (let from = 1; from <= n; from += 250_000)
      await writer.query(FILL, [group.id, bank.id, user.id, from, Math.min(n, from + 249_999)]);
    await writer.query(
      'ALTER TABLE hub_stix_objects ADD CONSTRAINT hub_stix_objects_pk PRIMARY KEY (group_id, id, version)',
    );
    await writer.query(
      'CREATE UNIQUE INDEX hub_stix_objects_added_idx ON hub_stix_objects (group_id, date_added_us, id)',
    );
    await writer.query(
      'CREATE INDEX hub_stix_objects_type_idx ON hub_stix_objects (group_id, type, date_added_us, id)',
    );
    await writer.query('VACUUM ANALYZE hub_stix_objects');
    process.stdout.write(
      `(wrote ${fmt(n, 0)} kept objects into PostgreSQL in ${fmt((performance.now() - fill0) / 1000, 1)} s)\n`,
    );

    const client = httpClient(node.url, token);
    stops.push(() => client.close());
    const collection = `/taxii2/hub/collections/${group.id}/`;
    const taxiiGet = async (path: string) => {
      const r = await client.call('GET', path, undefined, TAXII, { accept: TAXII });
      if (r.status !== 200) throw new Error(`TAXII ${path}: ${r.status} ${r.text.slice(0, 300)}`);
      return r;
    };
    // The (date added, id) of the i-th object, from the database (not timed).
    const keyAt = async (i: number) => {
      const r = await writer.query(
        'SELECT date_added_us::text AS us, id FROM hub_stix_objects WHERE group_id = $1 AND date_added_us = $2',
        [group.id, BASE_US + 2 * i + 1],
      );
      const row = r.rows[0] as { us: string; id: string };
      return { addedUs: Number(row.us), id: row.id };
    };
    const times = async (count: number, fn: () => Promise<unknown>) => {
      const out: number[] = [];
      for (let k = 0; k < count; k++) {
        const t0 = performance.now();
        await fn();
        out.push(performance.now() - t0);
      }
      return sorted(out);
    };
    const baselinePage = (cursor: { addedUs: number; id: string } | null, limit: number) =>
      writer.query({
        name: `keyset-${cursor ? 'after' : 'start'}`,
        text: cursor
          ? `SELECT object, date_added_us, id FROM hub_stix_objects WHERE group_id = $1
             AND (date_added_us, id) > ($2, $3) ORDER BY date_added_us, id LIMIT $4`
          : 'SELECT object, date_added_us, id FROM hub_stix_objects WHERE group_id = $1 ORDER BY date_added_us, id LIMIT $2',
        values: cursor ? [group.id, cursor.addedUs, cursor.id, limit] : [group.id, limit],
      });

    // --- pages of 100 at the start, the middle and the end ---
    await taxiiGet(`${collection}objects/?limit=100`); // the first read builds the alerts' view
    const rows: Row[] = [];
    for (const [where, at] of [
      ['start', 0],
      ['middle', Math.floor(n / 2)],
      ['end', n - 100],
    ] as const) {
      const cursor = at === 0 ? null : await keyAt(at);
      const next = cursor ? `&next=${encodeCursor(cursor)}` : '';
      const after = cursor ? `&added_after=${encodeURIComponent(taxiiTime(cursor.addedUs))}` : '';
      for (let k = 0; k < 20; k++) await taxiiGet(`${collection}objects/?limit=100${next}`); // warm-up
      const sql = await times(samples, () => baselinePage(cursor, 100));
      const byNext = await times(samples, () => taxiiGet(`${collection}objects/?limit=100${next}`));
      const byAfter = await times(samples, () => taxiiGet(`${collection}objects/?limit=100${after}`));
      const manifest = await times(samples, () => taxiiGet(`${collection}manifest/?limit=100${next}`));
      for (const [figure, lat] of [
        [`objects page of 100 by next, ${where}`, byNext],
        [`objects page of 100 by added_after, ${where}`, byAfter],
        [`manifest page of 100 by next, ${where}`, manifest],
      ] as const)
        rows.push({
          figure: `${figure} (p50 / p99)`,
          value: `${ms(percentile(lat, 50))} / ${ms(percentile(lat, 99))}`,
          baseline: `SQL keyset ${ms(percentile(sql, 50))} / ${ms(percentile(sql, 99))}`,
          ratio: `${fmt(percentile(lat, 99) / percentile(sql, 99), 1)}× (p99)`,
        });
    }

    // --- a full crawl by next, beside the same crawl by SQL keyset ---
    const crawl = async (
      page: (cursor: string | null) => Promise<{ count: number; next: string | null }>,
    ) => {
      const perPage: number[] = [];
      let cursor: string | null = null;
      let total = 0;
      const t0 = performance.now();
      do {
        const p0 = performance.now();
        const p = await page(cursor);
        perPage.push(performance.now() - p0);
        total += p.count;
        cursor = p.next;
      } while (cursor);
      const tenth = Math.max(1, Math.floor(perPage.length / 10));
      const mean = (a: number[]) => a.reduce((s, x) => s + x, 0) / a.length;
      return {
        seconds: (performance.now() - t0) / 1000,
        total,
        first: mean(perPage.slice(0, tenth)),
        last: mean(perPage.slice(-tenth)),
      };
    };
    const viaTaxii = await crawl(async (cursor) => {
      const r = await taxiiGet(`${collection}objects/?limit=${crawlLimit}${cursor ? `&next=${cursor}` : ''}`);
      const body = JSON.parse(r.text) as { objects?: unknown[]; next?: string };
      return { count: body.objects?.length ?? 0, next: body.next ?? null };
    });
    const viaSql = await crawl(async (cursor) => {
      const key = cursor ? (JSON.parse(cursor) as { addedUs: number; id: string }) : null;
      const r = await baselinePage(key, crawlLimit);
      const last = r.rows[r.rows.length - 1] as { date_added_us: string; id: string } | undefined;
      return {
        count: r.rows.length,
        next:
          r.rows.length === crawlLimit && last
            ? JSON.stringify({ addedUs: Number(last.date_added_us), id: last.id })
            : null,
      };
    });
    if (viaTaxii.total < n + 6 || viaSql.total !== n)
      throw new Error(`crawl read ${viaTaxii.total} objects over TAXII, ${viaSql.total} by SQL`);
    rows.push(
      {
        figure: `full crawl by next, limit ${crawlLimit} (${fmt(viaTaxii.total, 0)} objects)`,
        value: `${fmt(viaTaxii.seconds, 1)} s (${fmt(viaTaxii.total / viaTaxii.seconds, 0)} objects/s)`,
        baseline: `SQL keyset ${fmt(viaSql.seconds, 1)} s`,
        ratio: `${fmt(viaTaxii.seconds / viaSql.seconds, 1)}×`,
      },
      {
        figure: 'crawl: mean page time, first tenth / last tenth',
        value: `${ms(viaTaxii.first)} / ${ms(viaTaxii.last)}`,
        baseline: `SQL keyset ${ms(viaSql.first)} / ${ms(viaSql.last)}`,
        ratio: `${fmt(viaTaxii.last / viaTaxii.first, 2)} (1.0 = linear)`,
      },
    );
    printRows(
      `TAXII on a collection of ${fmt(n, 0)} kept objects + 3 alerts (PostgreSQL, HTTP on loopback)`,
      rows,
    );
  } finally {
    for (const stop of stops.reverse()) stop();
    if (node) await node.close();
    await writer.end().catch(() => {});
    const dropper = new pg.Client({ connectionString: base });
    await dropper.connect();
    await dropper.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await dropper.end();
  }
}
