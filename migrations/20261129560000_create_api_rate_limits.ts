import type { Knex } from 'knex';
import { runStatements } from '../src/db/statements.js';

/** The API rate limit's counters live in the database so that every app instance counts the same hits. */
export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, [
    `CREATE TABLE api_rate_limits (
      key text PRIMARY KEY CONSTRAINT api_rate_limits_key_check CHECK (length(key) BETWEEN 1 AND 200),
      hits integer NOT NULL CONSTRAINT api_rate_limits_hits_check CHECK (hits >= 0),
      reset_at timestamptz NOT NULL
    )`,
    `COMMENT ON TABLE api_rate_limits IS 'Fixed-window API request counters per user or address (express-rate-limit store); a window restarts when reset_at has passed.'`,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await runStatements(knex, ['DROP TABLE api_rate_limits']);
}
