import type { Knex } from 'knex';
import { changeLogTriggers, dropChangeLogTriggers, type LoggedTable } from '../src/db/changeLog.js';
import { runStatements } from '../src/db/statements.js';

/**
 * The change log of county figures (overview_changes, migration 20261129800000) also validates the cached
 * reference data of the career page (careerService, loadCareerReference): besides the tables already logged
 * (regions, posts, assignments, people, leadership accounts, decisions, totals and kinds) it reads the grades,
 * the sanction kinds, the promotion rules and the county sanction periods. A promotion rule or sanction period
 * logs its county, or NULL (every county) for a national default; grades and sanction kinds are national and
 * log NULL. Statement-level triggers append the statement's distinct counties, as for the other tables.
 * The unit versions it also reads (a vacant post's unit name and 规格) are logged with the units by migration
 * 20261129900000, for the township establishment page.
 */
const TRACKED: LoggedTable[] = [
  ...['grade_levels', 'sanction_kinds'].map((table) => ({
    table,
    counties: (rows: string) => `SELECT NULL::integer FROM ${rows} r`,
  })),
  ...['promotion_rules', 'county_sanction_periods'].map((table) => ({
    table,
    counties: (rows: string) => `SELECT DISTINCT r.county_id FROM ${rows} r`,
  })),
];

export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, TRACKED.flatMap(changeLogTriggers));
}

export async function down(knex: Knex): Promise<void> {
  await runStatements(
    knex,
    TRACKED.flatMap((t) => dropChangeLogTriggers(t.table)),
  );
}
