// The audit log: append throughput (one transaction each, beside plain inserts in the same run) and
// `audit verify` over BENCH_AUDIT_ENTRIES entries (1,000,000 by default; goal under 5 s on PGlite,
// under 2 s on PostgreSQL) beside the raw SHA-256 of the same leaf bytes, the floor (one hash per entry,
// where verification makes three).
// Quick run: BENCH_AUDIT_ENTRIES=20000 BENCH_AUDIT_APPENDS=200 npm run bench -- audit
// The appends are measured without and with the seal of the key secret (src/audit/audit-seal.ts).
import { createHash, hash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { auditLeafCanonicalJson, auditLeafHash, nextChainHash } from '../src/audit/audit-entry.ts';
import { sealAuditLog } from '../src/audit/audit-log.ts';
import { deriveAuditSealKey, enableAuditSeal } from '../src/audit/audit-seal.ts';
import { loadLeafHashes, verifyAuditLog } from '../src/audit/verify-audit.ts';
import { appendLeaf, emptyFrontier, rootAtSizes } from '../src/crypto/merkle.ts';
import { nativeAuditHash } from '../src/crypto/native-audit-hash.ts';
import type { Db } from '../src/store/database.ts';
import { auditEntries } from '../src/store/schema/index.ts';
import { appendBenchEntries, benchDatabases } from './bench-database.ts';
import { envInt, fmt, printRows, type Row, timeIt } from './lib.ts';

const BASE_MS = Date.UTC(2026, 10, 25);

function entryFields(seq: number) {
  return {
    seq,
    at: new Date(BASE_MS + seq),
    actor: `0193f6c2-0000-7000-8000-${String(seq % 1000).padStart(12, '0')}`,
    action: 'request.transition',
    objectType: 'request',
    objectId: `0193f6c2-1111-7000-8000-${String(seq).padStart(12, '0')}`,
    payloadHash: createHash('sha256').update(String(seq)).digest('hex'),
  };
}

/** Loads n entries fast (many rows per INSERT), with the same hashes appendAudit would write. */
export async function bulkLoad(db: Db, n: number): Promise<void> {
  let frontier = emptyFrontier();
  let chain = '';
  const batch = 4000;
  for (let start = 1; start <= n; start += batch) {
    const rows = [];
    for (let seq = start; seq < Math.min(n + 1, start + batch); seq++) {
      const fields = entryFields(seq);
      const leaf = auditLeafHash(fields);
      chain = nextChainHash(chain, leaf);
      frontier = appendLeaf(frontier, Buffer.from(leaf, 'hex'));
      rows.push({ ...fields, leafHash: leaf, chainHash: chain });
    }
    await db.insert(auditEntries).values(rows);
  }
  await db.execute(
    sql`UPDATE audit_state SET size = ${n}, frontier = ${JSON.stringify(frontier)}::jsonb, chain_head = ${chain} WHERE id = 1`,
  );
}

/**
 * Milliseconds to SHA-256 the leaf bytes of entries 1..n, each once, the bytes made outside the timing:
 * through node:crypto, a call per leaf, and through the native batch (null when it is not built).
 */
function rawSha256Ms(n: number): { crypto: number; native: number | null } {
  let cryptoMs = 0;
  let nativeMs = 0;
  const chunk = 16_384;
  const prefix = Buffer.from([0]);
  for (let start = 1; start <= n; start += chunk) {
    const bytes: Buffer[] = [];
    for (let seq = start; seq < Math.min(n + 1, start + chunk); seq++) {
      bytes.push(Buffer.concat([prefix, Buffer.from(auditLeafCanonicalJson(entryFields(seq)), 'utf8')]));
    }
    let t0 = performance.now();
    for (const b of bytes) hash('sha256', b, 'latin1');
    cryptoMs += performance.now() - t0;
    if (nativeAuditHash) {
      const joined = Buffer.concat(bytes);
      const ends = new Uint32Array(bytes.length);
      let end = 0;
      for (const [i, b] of bytes.entries()) ends[i] = end += b.length;
      const out = Buffer.allocUnsafe(32 * bytes.length);
      t0 = performance.now();
      nativeAuditHash.sha256Each(joined, ends, out);
      nativeMs += performance.now() - t0;
    }
  }
  return { crypto: cryptoMs, native: nativeAuditHash ? nativeMs : null };
}

/** Audit append throughput, and audit verify time for a large log beside the raw SHA-256 floor. */
export async function auditBench(): Promise<void> {
  const appends = envInt('BENCH_AUDIT_APPENDS', 2000);
  const verifyEntries = envInt('BENCH_AUDIT_ENTRIES', 1_000_000);
  for (const { name, database, dispose } of await benchDatabases()) {
    try {
      const { db } = database;
      await db.execute(sql`CREATE TABLE bench_plain (id bigint PRIMARY KEY, body text NOT NULL)`);
      const plain = await timeIt(async () => {
        for (let i = 1; i <= appends; i++) {
          await db.transaction((tx) =>
            tx.execute(sql`INSERT INTO bench_plain VALUES (${i}, ${'x'.repeat(64)})`),
          );
        }
      });
      const audited = await timeIt(() => appendBenchEntries(db, appends));
      // The same appends with the seal of the key secret (audit-seal.ts): each checks the state's HMAC
      // and writes the next one. The log is sealed first, as a node's first start does.
      enableAuditSeal(db, deriveAuditSealKey('bench-key-secret-0123456789'));
      await sealAuditLog(db, new Date(), false);
      const sealed = await timeIt(() => appendBenchEntries(db, appends));
      const plainRate = appends / (plain.ms / 1000);
      const auditRate = appends / (audited.ms / 1000);
      const sealedRate = appends / (sealed.ms / 1000);
      const rows: Row[] = [
        {
          figure: `audit append, one transaction each (${appends})`,
          value: `${fmt(auditRate, 0)} entries/s`,
          baseline: `${fmt(plainRate, 0)} plain inserts/s`,
          ratio: `${fmt(auditRate / plainRate, 2)}×`,
        },
        {
          figure: `… sealed with the key secret's HMAC (${appends})`,
          value: `${fmt(sealedRate, 0)} entries/s`,
          baseline: `${fmt(auditRate, 0)} unsealed audit appends/s`,
          ratio: `${fmt(sealedRate / auditRate, 2)}×`,
        },
      ];

      await db.execute(sql`TRUNCATE audit_entries, audit_tree_heads`);
      const load = await timeIt(() => bulkLoad(db, verifyEntries));
      // The floor: one SHA-256 over each entry's leaf bytes (0x00 and its canonical JSON, RFC 9162),
      // built beforehand so only the hashing is timed.
      const floor = rawSha256Ms(verifyEntries);
      const floorMs = floor.native ?? floor.crypto;
      const verified = async () => {
        const verify = await timeIt(() => verifyAuditLog(database, []));
        if (!verify.value.ok || verify.value.entries !== verifyEntries)
          throw new Error(`verify failed: ${JSON.stringify(verify.value.firstProblem)}`);
        return verify;
      };
      // The first read of rows just written also sets their hint bits (PostgreSQL writes each page once
      // more). A node's log is read by then, or vacuumed (autovacuum), so the figure is the run after
      // VACUUM; the first one is shown too.
      const first = await verified();
      await db.execute(sql`VACUUM ANALYZE audit_entries`);
      const verify = await verified();
      // The witnesses' check rides on the same pass: three cosigned checkpoints, checked like signed heads.
      const sizes = [Math.floor(verifyEntries / 3), Math.floor((2 * verifyEntries) / 3), verifyEntries];
      const roots = rootAtSizes(await loadLeafHashes(db, verifyEntries), sizes);
      const witnessed = sizes.map((size) => ({
        size,
        rootHash: roots.get(size)!.toString('hex'),
        source: `witness ${size}`,
      }));
      const againstWitnesses = await timeIt(() => verifyAuditLog(database, [], undefined, { witnessed }));
      if (!againstWitnesses.value.ok || againstWitnesses.value.treeHeadsChecked !== 3)
        throw new Error(`witnessed verify failed: ${JSON.stringify(againstWitnesses.value.firstProblem)}`);
      rows.push(
        {
          figure: `bulk load ${fmt(verifyEntries, 0)} entries`,
          value: `${fmt(load.ms / 1000, 2)} s`,
          baseline: '-',
          ratio: '-',
        },
        {
          figure: `audit verify ${fmt(verifyEntries, 0)} entries`,
          value: `${fmt(verify.ms / 1000, 2)} s`,
          baseline:
            floor.native === null
              ? `${fmt(floor.crypto / 1000, 2)} s raw SHA-256 of the same bytes, node:crypto (native checker not built)`
              : `${fmt(floor.native / 1000, 2)} s raw SHA-256 of the same bytes, native batch; ${fmt(floor.crypto / 1000, 2)} s through node:crypto, a call each`,
          ratio: `${fmt(verify.ms / floorMs, 2)}×`,
        },
        {
          figure: '… against 3 witnessed checkpoints, same pass',
          value: `${fmt(againstWitnesses.ms / 1000, 2)} s`,
          baseline: 'audit verify above, no witnesses',
          ratio: `${fmt(againstWitnesses.ms / verify.ms, 2)}×`,
        },
        {
          figure: '… the first verify, straight after the load',
          value: `${fmt(first.ms / 1000, 2)} s`,
          baseline: 'the same rows, before VACUUM',
          ratio: `${fmt(first.ms / verify.ms, 2)}× the figure above`,
        },
      );
      printRows(`audit log on ${name}`, rows);
    } finally {
      await dispose();
    }
  }
}
