import type { Knex } from 'knex';
import { runStatements } from '../src/db/statements.js';

/** County settings are edited on a page now: the database keeps each value inside what the rules allow. */
export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, [
    `ALTER TABLE county_settings ADD CONSTRAINT county_settings_filing_only_kinds_check
      CHECK (filing_only_kinds <@ ARRAY['internal', 'secondment', 'exit', 'cross_type']::text[])`,
    `ALTER TABLE county_settings ADD CONSTRAINT county_settings_unit_deputy_thresholds_check
      CHECK (cardinality(unit_deputy_thresholds) <= 3
        AND 0 < ALL (unit_deputy_thresholds) AND 100 > ALL (unit_deputy_thresholds))`,
    `COMMENT ON CONSTRAINT county_settings_filing_only_kinds_check ON county_settings IS 'Entry, type change and cross-township moves always need approval (Q5): they can never be filing-only.'`,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await runStatements(knex, [
    'ALTER TABLE county_settings DROP CONSTRAINT county_settings_unit_deputy_thresholds_check',
    'ALTER TABLE county_settings DROP CONSTRAINT county_settings_filing_only_kinds_check',
  ]);
}
