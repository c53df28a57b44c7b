import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type pg from 'pg';
import { lockDataDir } from './data-dir-lock.ts';
import { pgliteMemoryImage } from './pglite-memory-image.ts';
import { copyTemplate, pgliteTemplate, templateKey } from './pglite-template.ts';
import * as schema from './schema/index.ts';

export type Schema = typeof schema;
/** A database handle or an open transaction: storage functions take either. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export type Database = {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Where the data lives, for logs: a folder, 'memory', or the URL without its password. */
  location: string;
  migrate(): Promise<void>;
  close(): Promise<void>;
  /**
   * PostgreSQL only: runs one `COPY ... TO STDOUT` on a connection of its own and returns its CopyData
   * messages as the server sent them ('d', int32 length, payload; one row each from PostgreSQL), so
   * that the reader walks them without a copy per row. Takes SQL text with no parameters (COPY accepts
   * none): callers build it from checked integers only. `into` is written into when it is large
   * enough, so that a verification reuses its batch buffers.
   */
  copyOut?(sqlText: string, into?: ArrayBuffer): Promise<Buffer>;
  /**
   * PostgreSQL only: this process as one replica of the node. Its connections name it (the setting
   * hanoi247.replica) so that the triggers of drizzle/0015 record its changes for the other replicas;
   * src/replicas listens on a connection of its own.
   */
  replica?: { id: string; connectionString: string };
};

export const MIGRATIONS_FOLDER = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'drizzle');

// Any constant: replicas starting together on one PostgreSQL must not run migrations twice.
const MIGRATION_LOCK_KEY = 247_0001;

export type OpenDatabaseOptions = { databaseUrl: string | null; dataDir?: string | null; poolSize?: number };

/** Opens PostgreSQL when a URL is given, otherwise embedded PGlite in dataDir (or in memory). */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.poolSize ?? 10);
  return openPglite(options.dataDir ?? null);
}

/** Where the migrated PGlite template is kept (see pglite-template.ts). */
function templateCache(): string {
  return (
    process.env.HANOI247_TEMPLATE_DIR || join(MIGRATIONS_FOLDER, '..', 'node_modules', '.cache', 'hanoi247')
  );
}

function pgliteVersion(): string {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  try {
    return String(JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')).version);
  } catch {
    return entry;
  }
}

function migratePgliteClient(client: PGlite): Promise<void> {
  return migratePglite(drizzlePglite(client, { schema }), { migrationsFolder: MIGRATIONS_FOLDER });
}

/**
 * PostgreSQL's own default of 128 MB shared buffers is one block of WebAssembly memory that postgres
 * clears at every start: 0.4 s of CPU of a restart on the main thread. 32 MB (4,096 pages) still holds
 * a node's hot tables; what falls out is read back from the files, which the system caches anyway.
 */
const PGLITE_START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=32MB'];

/** Every PGlite of a node, a template or a test: a folder's, or in memory (from an image when given). */
function newPglite(options: Pick<PGliteOptions, 'dataDir' | 'loadDataDir'> = {}): PGlite {
  return new PGlite({ ...options, startParams: PGLITE_START_PARAMS });
}

/** A new PGlite migrated, what `keep` takes of it (a template's folder, an image), then closed. */
async function migratedSchema<T>(client: PGlite, keep: (client: PGlite) => Promise<T>): Promise<T> {
  try {
    await migratePgliteClient(client);
    return await keep(client);
  } finally {
    await client.close();
  }
}

let currentTemplateKey: string | undefined;

/** The name of the migrated schema of this checkout and PGlite (the migrations do not change while it runs). */
function schemaKey(): string {
  currentTemplateKey ??= templateKey(MIGRATIONS_FOLDER, pgliteVersion());
  return currentTemplateKey;
}

/**
 * The migrated template's folder, made now when missing (`npm install` makes it ahead, so that the
 * first node of an install does not wait for initdb and the migrations); null when it cannot be made.
 */
export function preparePgliteTemplate(): Promise<string | null> {
  return pgliteTemplate(templateCache(), schemaKey(), (folder) =>
    migratedSchema(newPglite({ dataDir: folder }), async () => {}),
  );
}

/** A new node's database folder starts as a copy of the migrated template, when one can be had. */
async function seedFromTemplate(location: string): Promise<void> {
  const template = await preparePgliteTemplate();
  if (!template) return;
  try {
    await copyTemplate(template, location);
  } catch {
    // The template went away meanwhile (replaced by one of newer migrations): start empty instead.
    rmSync(location, { recursive: true, force: true });
  }
}

/** An in-memory database, loaded from the image of the migrated schema when one can be had. */
async function memoryPglite(): Promise<PGlite> {
  const image = await pgliteMemoryImage(templateCache(), schemaKey(), () =>
    migratedSchema(
      newPglite(),
      async (client) => new Uint8Array(await (await client.dumpDataDir('none')).arrayBuffer()),
    ),
  );
  return newPglite(image ? { loadDataDir: new Blob([image]) } : {});
}

async function openPglite(dataDir: string | null): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const unlock = dataDir ? lockDataDir(dataDir) : () => {};
  let client: PGlite;
  try {
    // Checked here, not in seedFromTemplate: on a restart PGlite starts in this very tick, before
    // whatever the caller loads next (see `hanoi247 serve`).
    if (dataDir && !existsSync(join(dataDir, 'pglite'))) await seedFromTemplate(join(dataDir, 'pglite'));
    client = dataDir ? newPglite({ dataDir: join(dataDir, 'pglite') }) : await memoryPglite();
    await client.waitReady;
  } catch (error) {
    unlock();
    throw error;
  }
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    location: dataDir ?? 'memory',
    migrate: () => migratePgliteClient(client),
    close: async () => {
      try {
        await client.close();
      } finally {
        unlock();
      }
    },
  };
}

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  // The driver is loaded by a node on PostgreSQL only: an embedded node starts without it.
  const [{ default: pgDriver }, { drizzle: drizzlePg }, { migrate: migratePg }] = await Promise.all([
    import('pg'),
    import('drizzle-orm/node-postgres'),
    import('drizzle-orm/node-postgres/migrator'),
  ]);
  const replicaId = `${hostname()}-${process.pid}-${randomBytes(4).toString('hex')}`;
  const pool = new pgDriver.Pool({
    connectionString: url,
    max: poolSize,
    options: `-c hanoi247.replica=${replicaId}`,
  });
  // A dropped idle connection must not crash the node; the pool replaces it.
  pool.on('error', () => {});
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  return {
    db,
    kind: 'postgres',
    location: redactUrl(url),
    migrate: async () => {
      const client = await pool.connect();
      try {
        await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
        await migratePg(drizzlePg(client, { schema }), { migrationsFolder: MIGRATIONS_FOLDER });
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {});
        client.release();
      }
    },
    close: () => pool.end(),
    replica: { id: replicaId, connectionString: url },
    copyOut: async (sqlText, into) => {
      const client = await pool.connect();
      let failure: Error | undefined;
      try {
        const copy = new CopyOut(sqlText, into);
        client.query(copy as unknown as pg.QueryConfig);
        return await copy.done;
      } catch (error) {
        // A COPY that failed halfway may leave the connection mid-protocol: the pool drops it.
        failure = error instanceof Error ? error : new Error(String(error));
        throw error;
      } finally {
        client.release(failure);
      }
    },
  };
}

const COPY_DATA = 0x64; // 'd'
const COPY_DONE = 0x63; // 'c'
const ERROR_RESPONSE = 0x45; // 'E'

/**
 * One `COPY ... TO STDOUT` as a pg submittable (exported for its tests), which keeps the CopyData
 * messages whole in one buffer. It reads the connection's socket itself while the COPY runs, as
 * pg-copy-streams does, but copies runs of messages as they arrive instead of making a Buffer per row
 * (a row is one message) and joining them: over 1,000,000 rows that cut this thread's CPU from
 * 0.83-1.01 s to 0.45-0.59 s, most of it garbage collection. At CopyDone, or at an ErrorResponse, it
 * hands the socket and the bytes after back to pg, which then reports CommandComplete and
 * ReadyForQuery (or the error) to it as to any query.
 */
export class CopyOut {
  /** The largest COPY so far: a verification reads batches of one size, so the first one sizes the rest. */
  private static sizeHint = 1 << 20;
  readonly done: Promise<Buffer>;
  private resolve!: (bytes: Buffer) => void;
  private reject!: (error: Error) => void;
  private out: Buffer;
  private length = 0;
  /** The message header being read (code and length), which a chunk boundary may split. */
  private readonly header = Buffer.alloc(5);
  private headerBytes = 0;
  /** Bytes of the current message's body still to come. */
  private bodyLeft = 0;
  private failure: Error | null = null;
  /** The current message's code. */
  private code = 0;
  private readonly text: string;

  /** `into`: a buffer to write into (a batch's, back from its worker), used when it is large enough. */
  constructor(text: string, into?: ArrayBuffer) {
    this.text = text;
    this.out =
      into && into.byteLength >= CopyOut.sizeHint ? Buffer.from(into) : Buffer.allocUnsafe(CopyOut.sizeHint);
    this.done = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  /** pg's submittable contract: an error returned, not thrown, comes back through handleError. */
  submit(connection: { stream: NodeJS.EventEmitter; query(text: string): void }): Error | undefined {
    const stream = connection.stream;
    const listeners = stream.listeners('data');
    if (listeners.length !== 1) return new Error('copyOut: the connection is not in the expected state');
    const pgData = listeners[0] as (chunk: Buffer) => void;
    const ours = (chunk: Buffer) => {
      const rest = this.take(chunk);
      if (rest === null) return;
      stream.removeListener('data', ours);
      stream.on('data', pgData);
      if (rest.length > 0) pgData(rest);
    };
    stream.removeListener('data', pgData);
    stream.on('data', ours);
    connection.query(this.text);
    return undefined;
  }

  /**
   * Reads one chunk, keeping its CopyData messages whole; returns null while the COPY goes on, else the
   * bytes that are pg's to read. Consecutive CopyData messages are copied as one run.
   */
  private take(chunk: Buffer): Buffer | null {
    const end = chunk.length;
    let p = 0;
    let run = -1;
    while (p < end) {
      if (this.bodyLeft > 0) {
        const n = Math.min(this.bodyLeft, end - p);
        if (this.code === COPY_DATA && run < 0) run = p;
        p += n;
        this.bodyLeft -= n;
        continue;
      }
      // A message starts at p, or its header began in the chunk before.
      const start = p;
      let code: number;
      let length: number;
      if (this.headerBytes === 0 && p + 5 <= end) {
        code = chunk[p]!;
        length = chunk.readUInt32BE(p + 1);
      } else {
        this.append(chunk, run, p);
        run = -1;
        while (this.headerBytes < 5 && p < end) this.header[this.headerBytes++] = chunk[p++]!;
        if (this.headerBytes < 5) return null;
        this.headerBytes = 0;
        code = this.header[0]!;
        length = this.header.readUInt32BE(1);
        if (code === COPY_DATA) this.append(this.header, 0, 5);
        else if (code === ERROR_RESPONSE) {
          // pg reads the error itself: give it the whole message, header included.
          const before = this.header.subarray(0, 5 - (p - start));
          return Buffer.concat([before, chunk.subarray(start)]);
        }
        p -= 5; // as if the header were here: the body follows
      }
      if (code !== COPY_DATA) {
        this.append(chunk, run, Math.max(start, 0));
        run = -1;
        if (code === ERROR_RESPONSE) return chunk.subarray(start);
        if (code === COPY_DONE) return chunk.subarray(Math.min(p + 1 + length, end));
        // Anything else before CopyDone (CopyOutResponse, a notice, a parameter status) is skipped.
      } else if (run < 0 && p >= start) run = p;
      this.code = code;
      this.bodyLeft = length - 4;
      p += 5;
    }
    this.append(chunk, run, end);
    return null;
  }

  /** Appends bytes `from`..`to` of `bytes` to the result (nothing when from < 0). */
  private append(bytes: Buffer, from: number, to: number): void {
    if (from < 0 || to <= from) return;
    const n = to - from;
    if (this.length + n > this.out.length) {
      const grown = Buffer.allocUnsafe(Math.max(2 * this.out.length, this.length + n));
      this.out.copy(grown, 0, 0, this.length);
      this.out = grown;
    }
    bytes.copy(this.out, this.length, from, to);
    this.length += n;
  }

  handleCommandComplete(): void {}

  handleError(error: Error): void {
    this.failure = error;
    this.reject(error);
  }

  handleReadyForQuery(): void {
    if (this.failure) return;
    CopyOut.sizeHint = Math.max(CopyOut.sizeHint, this.length + 65_536);
    // From the start of a buffer of its own (never Buffer's pool), so it can move to a worker as it is.
    this.resolve(this.out.subarray(0, this.length));
  }
}

/** The URL without its password, safe for logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://(unparsable url)';
  }
}

/** Rows of a raw SQL result, whichever driver ran it. */
export function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}
