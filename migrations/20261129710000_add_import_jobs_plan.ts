import type { Knex } from 'knex';
import { runStatements } from '../src/db/statements.js';

/**
 * The preview's checked plan, kept with the job (gzip-compressed JSON), so the commit re-checks only what
 * depends on the database instead of reading and checking the whole workbook again.
 */
export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, [
    `ALTER TABLE import_jobs ADD COLUMN plan bytea CONSTRAINT import_jobs_plan_check CHECK (octet_length(plan) <= 52428800)`,
    `COMMENT ON COLUMN import_jobs.plan IS 'The preview''s plan of writes for a ready job (gzip JSON with the date checked and a digest of the database rows it depended on); the commit writes it when the digest still matches under the locks, else checks the file again. Cleared once committed.'`,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await runStatements(knex, ['ALTER TABLE import_jobs DROP COLUMN plan']);
}
