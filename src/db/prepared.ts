import { createHash } from 'node:crypto';
import type { Knex } from 'knex';

/**
 * A statement sent as a named prepared statement on PostgreSQL, so that each pooled connection parses and
 * plans it once and later executions skip the planning (after five custom plans PostgreSQL switches to its
 * generic plan when that is not estimated dearer; for a big statement of index look-ups the planning is most of
 * its cost). The pg driver prepares a query config carrying a `name` the first time a connection sees that name
 * and reuses it afterwards; knex passes a query's options through to that config.
 *
 * The name sent is `name` followed by a hash of the statement's text, so a name always stands for one text:
 * a statement whose text varies (another scope shape adding a condition) is prepared once per variant instead
 * of failing the driver's check. Past MAX_VARIANTS texts under one name (a statement whose text depends on its
 * values, which should have been a bound array instead), further texts run unprepared rather than piling up
 * prepared statements on every connection.
 *
 * On PGlite (knex-pglite sends every statement unnamed) the statement runs as an ordinary query.
 * Inside a transaction pass the transaction: the statement is prepared on its connection like any other.
 * Returns the rows.
 */
export async function preparedRows<T>(
  db: Knex,
  name: string,
  query: Knex.QueryBuilder | Knex.Raw,
): Promise<T[]> {
  if (!/^[a-z][a-z0-9_]{0,39}$/.test(name)) throw new Error(`bad statement name ${name}`);
  const { sql, bindings } = query.toSQL();
  const named = db.client.config.client === 'pg' ? statementName(name, sql) : null;
  const raw = db.raw(sql, bindings as readonly Knex.RawBinding[]);
  const result = await (named === null ? raw : raw.options({ name: named }));
  return result.rows as T[];
}

/** Distinct texts seen per name, bounded: see preparedRows. */
const MAX_VARIANTS = 16;
const variants = new Map<string, Set<string>>();

/** The name sent for each text seen (bounded like the variants), so a statement's text is hashed once. */
const names = new Map<string, string | null>();

function statementName(name: string, sql: string): string | null {
  const key = `${name}\u0000${sql}`;
  const known = names.get(key);
  if (known !== undefined) return known;
  const sent = nameFor(name, sql);
  if (names.size < 1_000) names.set(key, sent);
  return sent;
}

function nameFor(name: string, sql: string): string | null {
  const hash = createHash('sha1').update(sql).digest('hex').slice(0, 16);
  let seen = variants.get(name);
  if (!seen) {
    seen = new Set();
    variants.set(name, seen);
  }
  if (!seen.has(hash)) {
    if (seen.size >= MAX_VARIANTS) return null;
    seen.add(hash);
  }
  return `${name}_${hash}`;
}
