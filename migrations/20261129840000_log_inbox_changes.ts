import type { Knex } from 'knex';
import { changeLogTriggers, dropChangeLogTriggers, type LoggedTable } from '../src/db/changeLog.js';
import { runStatements } from '../src/db/statements.js';

/**
 * The change log of county figures (overview_changes, migration 20261129800000) also validates the cached
 * inbox count in the page header: the inbox reads, besides the overview's tables (quota, assignments,
 * leadership), the movement requests, the selection cases and the rank promotions, each of which carries its
 * county. Statement-level triggers append the statement's distinct counties, as for the other tables.
 */
const TABLES = ['movement_requests', 'promotion_cases', 'rank_promotions'] as const;
const logged = (table: string): LoggedTable => ({
  table,
  counties: (rows) => `SELECT DISTINCT r.county_id FROM ${rows} r`,
});

export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, [
    ...TABLES.flatMap((table) => changeLogTriggers(logged(table))),
    `COMMENT ON TABLE overview_changes IS 'Append-only log of writes to county figures (the county overview''s and the inbox''s), one row per statement and affected county (NULL: every county), kept by triggers. The sum of weight per county is the validity key of the cached overview and inbox count; compaction folds rows into one row carrying their total weight.'`,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await runStatements(knex, TABLES.flatMap(dropChangeLogTriggers));
}
