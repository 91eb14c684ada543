import type { Knex } from 'knex';

/**
 * Runs DDL statements one by one. PGlite (like any extended-protocol client) refuses several commands
 * in one prepared statement, so migrations list their statements instead of sending one script.
 */
export async function runStatements(knex: Knex, statements: readonly string[]): Promise<void> {
  for (const sql of statements) await knex.raw(sql);
}
