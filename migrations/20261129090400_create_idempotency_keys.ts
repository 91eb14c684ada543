import type { Knex } from 'knex';
import { runStatements } from '../src/db/statements.js';

export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, [
    `CREATE TABLE idempotency_keys (
      key uuid PRIMARY KEY,
      user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      action text NOT NULL,
      result jsonb NOT NULL DEFAULT '{}',
      created_at timestamptz NOT NULL DEFAULT now()
    )`,
    'CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at)',
    `COMMENT ON TABLE idempotency_keys IS 'One row per consequential form submission (the form''s hidden key), written in the same transaction as the change: a double submit finds the key and gets the first result instead of a second write.'`,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await runStatements(knex, ['DROP TABLE idempotency_keys']);
}
