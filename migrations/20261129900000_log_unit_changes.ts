import type { Knex } from 'knex';
import { changeLogTriggers, dropChangeLogTriggers, type LoggedTable } from '../src/db/changeLog.js';
import { runStatements } from '../src/db/statements.js';

/**
 * The change log of county figures (overview_changes, migration 20261129800000) also validates the cached
 * township establishment page (establishmentReads.establishment): besides the tables already logged (regions,
 * county departments, quota, posts, assignments, people, quota slots, leadership kinds) it reads the township's
 * units and their versions (name, 挂牌, 规格, featured, in force on the date). Both carry their township;
 * statement-level triggers append the township's county, as for posts (NULL: every county, when the township
 * is not found). Unit decisions are not logged: the page does not read them.
 */
const TABLES = ['units', 'unit_versions'] as const;
const logged = (table: string): LoggedTable => ({
  table,
  counties: (rows) =>
    `SELECT t.parent_id FROM (SELECT DISTINCT r.township_id FROM ${rows} r) x(id)
      LEFT JOIN regions t ON t.id = x.id AND t.kind = 'township'`,
});

export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, [
    ...TABLES.flatMap((table) => changeLogTriggers(logged(table))),
    `COMMENT ON TABLE overview_changes IS 'Append-only log of writes to county figures (the county overview''s, the inbox''s and the township establishment page''s), one row per statement and affected county (NULL: every county), kept by triggers. The sum of weight per county is the validity key of the cached overview, inbox count and establishment page; compaction folds rows into one row carrying their total weight.'`,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await runStatements(knex, [
    ...TABLES.flatMap(dropChangeLogTriggers),
    `COMMENT ON TABLE overview_changes IS 'Append-only log of writes to county figures (the county overview''s and the inbox''s), one row per statement and affected county (NULL: every county), kept by triggers. The sum of weight per county is the validity key of the cached overview and inbox count; compaction folds rows into one row carrying their total weight.'`,
  ]);
}
