import type { Knex } from 'knex';
import { runStatements } from '../src/db/statements.js';

/**
 * The change log of county figures (overview_changes, migration 20261129800000) also validates the cached
 * inbox count in the page header: the inbox reads, besides the overview's tables (quota, assignments,
 * leadership), the movement requests, the selection cases and the rank promotions, each of which carries its
 * county. Statement-level triggers append the statement's distinct counties, as for the other tables.
 */
const TABLES = ['movement_requests', 'promotion_cases', 'rank_promotions'] as const;
const OPS = ['INSERT', 'UPDATE', 'DELETE'] as const;
const ROWS = {
  INSERT: 'new_rows',
  DELETE: 'old_rows',
  UPDATE: '(SELECT county_id FROM old_rows UNION SELECT county_id FROM new_rows)',
} as const;
const referencing = (op: (typeof OPS)[number]) =>
  op === 'INSERT'
    ? 'REFERENCING NEW TABLE AS new_rows'
    : op === 'DELETE'
      ? 'REFERENCING OLD TABLE AS old_rows'
      : 'REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows';

const log = (op: (typeof OPS)[number]) =>
  `INSERT INTO overview_changes (county_id) SELECT DISTINCT r.county_id FROM ${ROWS[op]} r;`;

export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, [
    ...TABLES.flatMap((table) => [
      `CREATE FUNCTION overview_log_${table}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    ${log('INSERT')}
  ELSIF TG_OP = 'DELETE' THEN
    ${log('DELETE')}
  ELSE
    ${log('UPDATE')}
  END IF;
  RETURN NULL;
END $$`,
      ...OPS.map(
        (op) =>
          `CREATE TRIGGER overview_log_${op.toLowerCase()} AFTER ${op} ON ${table} ${referencing(op)}
            FOR EACH STATEMENT EXECUTE FUNCTION overview_log_${table}()`,
      ),
    ]),
    `COMMENT ON TABLE overview_changes IS 'Append-only log of writes to county figures (the county overview''s and the inbox''s), one row per statement and affected county (NULL: every county), kept by triggers. The sum of weight per county is the validity key of the cached overview and inbox count; compaction folds rows into one row carrying their total weight.'`,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await runStatements(knex, [
    ...TABLES.flatMap((table) => [
      ...OPS.map((op) => `DROP TRIGGER overview_log_${op.toLowerCase()} ON ${table}`),
      `DROP FUNCTION overview_log_${table}()`,
    ]),
  ]);
}
