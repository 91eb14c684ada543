import type { Knex } from 'knex';

/**
 * Joins the unit's version (name, 挂牌, 规格, featured) in force on a date as `alias`, or its last version
 * before that date when the unit was abolished by then. `unitIdColumn` is the column holding the unit id.
 */
export function joinUnitVersionOn<T extends Knex.QueryBuilder>(
  query: T,
  unitIdColumn: string,
  on: { date: string } | { column: string },
  alias = 'uv',
): T {
  const [dateSql, bindings] = 'date' in on ? ['?::date', [on.date]] : [`${quote(on.column)}`, []];
  return query.joinRaw(
    `LEFT JOIN LATERAL (
      SELECT v.name, v.alias_names, v.rank, v.featured, v.valid_from, v.decision_id
      FROM unit_versions v
      WHERE v.unit_id = ${quote(unitIdColumn)} AND v.superseded_at IS NULL
        AND v.valid_from <= greatest(${dateSql}, (SELECT min(f.valid_from) FROM unit_versions f WHERE f.unit_id = ${quote(unitIdColumn)} AND f.superseded_at IS NULL))
      ORDER BY v.valid_from DESC
      LIMIT 1
    ) ${alias} ON true`,
    bindings,
  ) as T;
}

/** `a.b` → `"a"."b"` for identifiers we write ourselves (never user input). */
function quote(column: string): string {
  if (!/^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/.test(column)) throw new Error(`bad column ${column}`);
  return column
    .split('.')
    .map((p) => `"${p}"`)
    .join('.');
}
