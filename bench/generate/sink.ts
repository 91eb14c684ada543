/**
 * Rows as PostgreSQL COPY text, loaded with COPY FROM STDIN (pg-copy-streams). Families append rows to a
 * `Sink` table by table; `load` sends each table in dependency order, two tables at a time where they do
 * not depend on each other, with every index, constraint and trigger in place.
 */

import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

export type Cell = string | number | boolean | null | readonly string[];

/** COPY text escaping: backslash, tab, newline and carriage return; NULL as \N. */
function escapeText(v: string): string {
  return /[\\\t\n\r]/.test(v)
    ? v.replaceAll('\\', '\\\\').replaceAll('\t', '\\t').replaceAll('\n', '\\n').replaceAll('\r', '\\r')
    : v;
}

/** A text[] literal: every element quoted, so commas, braces and spaces are safe. */
function arrayLiteral(items: readonly string[]): string {
  return `{${items.map((s) => `"${s.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`;
}

function encode(cell: Cell): string {
  if (cell === null) return '\\N';
  if (typeof cell === 'string') return escapeText(cell);
  if (typeof cell === 'number') return String(cell);
  if (typeof cell === 'boolean') return cell ? 't' : 'f';
  return escapeText(arrayLiteral(cell));
}

export class Table {
  readonly lines: string[] = [];
  private nextId = 1;

  constructor(
    readonly name: string,
    readonly columns: readonly string[],
    /** Tables whose rows this one refers to: loaded first. */
    readonly after: readonly string[] = [],
  ) {}

  /** The id the next row will get (tables with an identity `id` column list it first). */
  id(): number {
    return this.nextId++;
  }

  get size(): number {
    return this.lines.length;
  }

  add(cells: readonly Cell[]): void {
    if (cells.length !== this.columns.length) {
      throw new Error(`${this.name}: ${cells.length} cells for ${this.columns.length} columns`);
    }
    this.lines.push(cells.map(encode).join('\t'));
  }

  hasIdentity(): boolean {
    return this.columns[0] === 'id';
  }
}

export class Sink {
  private readonly tables = new Map<string, Table>();

  table(name: string, columns: readonly string[], after: readonly string[] = []): Table {
    const existing = this.tables.get(name);
    if (existing) return existing;
    const t = new Table(name, columns, after);
    this.tables.set(name, t);
    return t;
  }

  get(name: string): Table {
    const t = this.tables.get(name);
    if (!t) throw new Error(`no table ${name}`);
    return t;
  }

  all(): Table[] {
    return [...this.tables.values()];
  }

  rowCount(): number {
    let n = 0;
    for (const t of this.tables.values()) n += t.size;
    return n;
  }
}

const CHUNK_LINES = 20_000;

/** Streams one table's rows through COPY FROM STDIN. */
export async function copyTable(client: pg.PoolClient, table: Table): Promise<void> {
  if (table.size === 0) return;
  const columns = table.columns.map((c) => `"${c}"`).join(', ');
  const stream = client.query(copyFrom(`COPY ${table.name} (${columns}) FROM STDIN`));
  const lines = table.lines;
  async function* chunks() {
    for (let i = 0; i < lines.length; i += CHUNK_LINES) {
      yield `${lines.slice(i, i + CHUNK_LINES).join('\n')}\n`;
    }
  }
  await pipeline(Readable.from(chunks()), stream);
  if (table.hasIdentity()) {
    await client.query(
      `SELECT setval(pg_get_serial_sequence('${table.name}', 'id'), (SELECT coalesce(max(id), 0) + 1 FROM ${table.name}), false)`,
    );
  }
}

/**
 * Loads every table: a table starts once the tables it refers to are loaded, and at most `parallel` COPYs run
 * at once (one connection each). `progress` hears about each table as it finishes.
 */
export async function load(
  pool: pg.Pool,
  sink: Sink,
  parallel: number,
  progress: (table: Table, ms: number) => void,
): Promise<void> {
  const pending = new Map(sink.all().map((t) => [t.name, t]));
  const done = new Set<string>();
  const running = new Map<string, Promise<string>>();
  const known = new Set(pending.keys());
  const ready = (t: Table) => t.after.every((a) => done.has(a) || !known.has(a));
  while (pending.size > 0 || running.size > 0) {
    for (const t of [...pending.values()]) {
      if (running.size >= parallel) break;
      if (!ready(t)) continue;
      pending.delete(t.name);
      running.set(
        t.name,
        (async () => {
          const started = Date.now();
          const client = await pool.connect();
          try {
            await copyTable(client, t);
          } finally {
            client.release();
          }
          progress(t, Date.now() - started);
          return t.name;
        })(),
      );
    }
    if (running.size === 0) throw new Error(`tables wait on each other: ${[...pending.keys()].join(', ')}`);
    const finished = await Promise.race(running.values());
    running.delete(finished);
    done.add(finished);
    sink.get(finished).lines.length = 0;
  }
}
