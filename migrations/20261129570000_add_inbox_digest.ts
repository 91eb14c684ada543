import type { Knex } from 'knex';
import { runStatements } from '../src/db/statements.js';

/** The optional daily inbox digest: each user's address and choice, and one claimed run per day. */
export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, [
    `ALTER TABLE users ADD COLUMN email text
      CONSTRAINT users_email_check CHECK (email IS NULL OR (length(email) <= 254 AND email ~ '^[^@\\s]+@[^@\\s]+$'))`,
    `ALTER TABLE users ADD COLUMN digest_enabled boolean NOT NULL DEFAULT false`,
    `ALTER TABLE users ADD CONSTRAINT users_digest_needs_email_check CHECK (NOT digest_enabled OR email IS NOT NULL)`,
    `CREATE TABLE digest_runs (
      day date PRIMARY KEY,
      started_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz,
      sent integer NOT NULL DEFAULT 0 CONSTRAINT digest_runs_sent_check CHECK (sent >= 0),
      failed integer NOT NULL DEFAULT 0 CONSTRAINT digest_runs_failed_check CHECK (failed >= 0)
    )`,
    `COMMENT ON TABLE digest_runs IS 'One row per day the inbox digest was sent: the instance that inserts it sends, the others skip (several app instances, one digest).'`,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await runStatements(knex, [
    'DROP TABLE digest_runs',
    'ALTER TABLE users DROP CONSTRAINT users_digest_needs_email_check',
    'ALTER TABLE users DROP COLUMN digest_enabled',
    'ALTER TABLE users DROP COLUMN email',
  ]);
}
