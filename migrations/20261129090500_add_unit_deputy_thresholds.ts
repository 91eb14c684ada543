import type { Knex } from 'knex';
import { runStatements } from '../src/db/statements.js';

export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, [
    `ALTER TABLE county_settings ADD COLUMN unit_deputy_thresholds integer[] NOT NULL DEFAULT '{4,8}'`,
    `COMMENT ON COLUMN county_settings.unit_deputy_thresholds IS 'Unit leadership where a unit''s decision is silent: one head, plus one deputy per threshold of staff reached (default ≤3 → 1 head; 4–7 → +1 deputy; ≥8 → +2 deputies).'`,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await runStatements(knex, ['ALTER TABLE county_settings DROP COLUMN unit_deputy_thresholds']);
}
