import type { Knex } from 'knex';
import { runStatements } from '../src/db/statements.js';

/**
 * The API rate limit's counters are written on every API request and worth nothing after a crash (a window that
 * restarts early is harmless), so they skip the write-ahead log: no WAL record and no WAL flush at each commit,
 * and the counter row's lock is no longer held across a flush while a user's concurrent requests queue for it.
 * PostgreSQL empties an unlogged table after a crash; it is not copied to streaming replicas.
 */
export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, ['ALTER TABLE api_rate_limits SET UNLOGGED']);
}

export async function down(knex: Knex): Promise<void> {
  await runStatements(knex, ['ALTER TABLE api_rate_limits SET LOGGED']);
}
