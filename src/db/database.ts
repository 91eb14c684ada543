import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import knexFactory, { type Knex } from 'knex';
import ClientPGLite from 'knex-pglite';
import pg from 'pg';

export type Backend = 'pg' | 'pglite';

export interface Database {
  knex: Knex;
  backend: Backend;
  /** A human description for logs and /healthz, without credentials. */
  description: string;
  close(): Promise<void>;
}

export type DatabaseTarget =
  | { kind: 'pg'; url: string; poolMax?: number }
  | { kind: 'pglite'; dir: string }
  | { kind: 'pglite'; memory: true; loadDataDir?: Blob };

/**
 * Type parsers shared by both backends, so that rows look the same on PGlite and on pg:
 * `date` stays a 'YYYY-MM-DD' string (no time-zone shift), `bigint` (count(*)) becomes a number.
 */
const parsers: Record<number, (value: string) => unknown> = {
  1082: (v) => v,
  20: (v) => Number(v),
  1700: (v) => Number(v),
};

export class DatabaseInUseError extends Error {}

export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  if (target.kind === 'pg') return openPg(target.url, target.poolMax ?? 10);
  return openPglite(target);
}

function openPg(url: string, poolMax: number): Database {
  const knex = knexFactory({
    client: 'pg',
    connection: {
      connectionString: url,
      types: {
        getTypeParser: (oid: number, format?: string) => parsers[oid] ?? pgDefaultParser(oid, format),
      },
    } as Knex.PgConnectionConfig,
    pool: { min: 0, max: poolMax },
    acquireConnectionTimeout: 10_000,
  });
  const u = new URL(url);
  return {
    knex,
    backend: 'pg',
    description: `PostgreSQL ${u.hostname}:${u.port || 5432}${u.pathname}`,
    close: () => knex.destroy(),
  };
}

function pgDefaultParser(oid: number, format?: string) {
  return pg.types.getTypeParser(oid, (format ?? 'text') as 'text');
}

async function openPglite(target: Extract<DatabaseTarget, { kind: 'pglite' }>): Promise<Database> {
  let release = () => {};
  let pglite: PGlite;
  let description: string;
  if ('dir' in target) {
    fs.mkdirSync(path.dirname(target.dir), { recursive: true });
    release = lockDataDir(target.dir);
    pglite = new PGlite({ dataDir: target.dir, extensions: { btree_gist }, parsers });
    description = `PGlite ${target.dir}`;
  } else {
    pglite = new PGlite({
      dataDir: 'memory://',
      extensions: { btree_gist },
      parsers,
      ...(target.loadDataDir ? { loadDataDir: target.loadDataDir } : {}),
    });
    description = 'PGlite (in memory)';
  }
  try {
    await pglite.waitReady;
  } catch (err) {
    release();
    throw err;
  }
  const knex = knexFactory({
    client: ClientPGLite as unknown as typeof knexFactory.Client,
    connection: { pglite } as unknown as Knex.StaticConnectionConfig,
    // One connection only: a query waiting for it inside a long transaction must not give up too early.
    acquireConnectionTimeout: 60_000,
  });
  return {
    knex,
    backend: 'pglite',
    description,
    close: async () => {
      await knex.destroy();
      if (!pglite.closed) await pglite.close();
      release();
    },
  };
}

/**
 * PGlite has no lock of its own: two processes on one data directory silently lose writes.
 * A lock file beside the directory holds the owner's pid; a stale one (dead pid) is taken over.
 */
function lockDataDir(dir: string): () => void {
  const lockPath = `${dir}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        try {
          if (fs.readFileSync(lockPath, 'utf8') === String(process.pid)) fs.unlinkSync(lockPath);
        } catch {
          // already gone
        }
      };
      process.once('exit', release);
      return release;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(fs.readFileSync(lockPath, 'utf8'));
      if (pid && pid !== process.pid && processAlive(pid)) {
        throw new DatabaseInUseError(
          `The embedded database ${dir} is in use by process ${pid}. ` +
            'Stop that process first, or set PGLITE_DIR to another directory.',
        );
      }
      fs.rmSync(lockPath, { force: true });
    }
  }
  throw new DatabaseInUseError(`Could not lock ${dir}`);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Normalises a count that PGlite returns as a number and pg as a string (kept for raw aggregate results). */
export function toNumber(value: unknown): number {
  return typeof value === 'number' ? value : Number(value ?? 0);
}
