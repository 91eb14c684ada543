/**
 * The SQL of the county change log's triggers (overview_changes; see src/db/repositories/overviewChanges.ts):
 * for a table, a function and three statement-level AFTER triggers (INSERT, UPDATE, DELETE) with transition
 * tables, appending one row per distinct county of the statement's rows. Used by the migrations that log tables.
 */

/** A table to log and the SQL of its rows' counties, given its rows as a row source (`new_rows`, …). */
export interface LoggedTable {
  table: string;
  counties: (rows: string) => string;
}

/** The transition relation(s) a statement's trigger sees, as one row source. */
export const TRANSITION_ROWS = {
  INSERT: 'new_rows',
  DELETE: 'old_rows',
  UPDATE: '(SELECT * FROM old_rows UNION ALL SELECT * FROM new_rows)',
} as const;

const OPS = ['INSERT', 'UPDATE', 'DELETE'] as const;
const referencing = (op: (typeof OPS)[number]) =>
  op === 'INSERT'
    ? 'REFERENCING NEW TABLE AS new_rows'
    : op === 'DELETE'
      ? 'REFERENCING OLD TABLE AS old_rows'
      : 'REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows';

/** The function and triggers logging `t` (a row whose county is not found maps to NULL: every county). */
export function changeLogTriggers(t: LoggedTable): string[] {
  const log = (op: (typeof OPS)[number]) =>
    `INSERT INTO overview_changes (county_id) SELECT DISTINCT c FROM (${t.counties(TRANSITION_ROWS[op])}) x(c);`;
  return [
    `CREATE FUNCTION overview_log_${t.table}() RETURNS trigger LANGUAGE plpgsql AS $$
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
        `CREATE TRIGGER overview_log_${op.toLowerCase()} AFTER ${op} ON ${t.table} ${referencing(op)}
          FOR EACH STATEMENT EXECUTE FUNCTION overview_log_${t.table}()`,
    ),
  ];
}

/** What `changeLogTriggers` created, dropped. */
export function dropChangeLogTriggers(table: string): string[] {
  return [
    ...OPS.map((op) => `DROP TRIGGER overview_log_${op.toLowerCase()} ON ${table}`),
    `DROP FUNCTION overview_log_${table}()`,
  ];
}
