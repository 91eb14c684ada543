import type { Knex } from 'knex';
import type { RoleGrant, Scope } from '../../auth/principal.js';
import { everyCountyWeightSql, weightSql } from './overviewChanges.js';

const FULL_COUNTY_ROLES = "('county_reviewer', 'establishment_officer')";

/**
 * The scope's regions and its counties' change-log key as select-list expressions over a grants relation
 * (`grants`: SQL of rows with `role` and `region_id`), so that they can be read in the same statement as the
 * user (users.loadPrincipal) — one round trip fewer on every request — or on their own (resolveScope).
 * `scope_rows`: [kind, id] pairs — 't' the townships of whole counties, 'c' the counties of single townships,
 * 'y' the cities above both. `scope_key`: overviewChanges.countiesKey of the scope's counties ('all' for an
 * administrator), the same number that function reads. `scope_log_rows`: how many change-log rows those
 * counties have (0 for an administrator), so that a long log is folded (overviewChanges.compactWhenLongLog).
 */
export function scopeColumns(grants: string): string {
  const counties = `SELECT g.region_id FROM ${grants} g WHERE g.role IN ${FULL_COUNTY_ROLES}
      UNION SELECT t.parent_id FROM ${grants} g JOIN regions t ON t.id = g.region_id WHERE g.role = 'township_officer'`;
  const admin = `EXISTS (SELECT 1 FROM ${grants} g WHERE g.role = 'admin')`;
  return `coalesce((SELECT json_agg(json_build_array(x.k, x.id)) FROM (
      SELECT 't' AS k, t.id FROM ${grants} g JOIN regions t ON t.parent_id = g.region_id
       WHERE g.role IN ${FULL_COUNTY_ROLES} AND t.kind = 'township'
      UNION ALL
      SELECT 'c', t.parent_id FROM ${grants} g JOIN regions t ON t.id = g.region_id
       WHERE g.role = 'township_officer' AND t.parent_id IS NOT NULL
      UNION ALL
      SELECT 'y', c.parent_id FROM regions c WHERE c.parent_id IS NOT NULL AND c.id IN (${counties})
    ) x), '[]'::json) AS scope_rows,
    (CASE WHEN ${admin}
      THEN ${weightSql()}
      ELSE ${weightSql(`county_id IN (${counties})`)} + ${everyCountyWeightSql}
    END)::text AS scope_key,
    (CASE WHEN ${admin} THEN 0
      ELSE (SELECT count(*) FROM overview_changes WHERE county_id IN (${counties}))
    END)::int AS scope_log_rows`;
}

export type ScopeRow = ['t' | 'c' | 'y', number];

/** The scope from the grants and the rows and key scopeColumns read. */
export function scopeFromRows(
  grants: readonly RoleGrant[],
  rows: readonly ScopeRow[] | string,
  key: string | null | undefined,
): Scope {
  const countiesKey = key === null || key === undefined ? undefined : String(key);
  if (grants.some((g) => g.role === 'admin')) {
    return {
      all: true,
      cityIds: new Set(),
      countyIds: new Set(),
      townshipIds: new Set(),
      personIds: new Set(),
      fullCountyIds: new Set(),
      ...(countiesKey !== undefined ? { countiesKey } : {}),
    };
  }
  const fullCountyIds = new Set<number>();
  const townshipIds = new Set<number>();
  const personIds = new Set<number>();
  for (const g of grants) {
    if ((g.role === 'county_reviewer' || g.role === 'establishment_officer') && g.regionId)
      fullCountyIds.add(g.regionId);
    if (g.role === 'township_officer' && g.regionId) townshipIds.add(g.regionId);
    if (g.role === 'staff' && g.personId) personIds.add(g.personId);
  }
  const countyIds = new Set(fullCountyIds);
  const cityIds = new Set<number>();
  for (const [k, raw] of (typeof rows === 'string' ? JSON.parse(rows) : rows) as ScopeRow[]) {
    const id = Number(raw);
    if (k === 't') townshipIds.add(id);
    else if (k === 'c') countyIds.add(id);
    else cityIds.add(id);
  }
  return {
    all: false,
    cityIds,
    countyIds,
    townshipIds,
    personIds,
    fullCountyIds,
    ...(countiesKey !== undefined ? { countiesKey } : {}),
  };
}

/**
 * Resolves a principal's grants into the sets of regions and people every scoped query filters by (one
 * statement). Requests get theirs with the user, and with the counties' change-log key (users.loadPrincipal).
 */
export async function resolveScope(db: Knex, grants: readonly RoleGrant[]): Promise<Scope> {
  const { rows } = await db.raw(
    `SELECT ${scopeColumns('(SELECT * FROM json_to_recordset(:grants::json) AS j(role text, region_id integer))')}`,
    { grants: JSON.stringify(grants.map((g) => ({ role: g.role, region_id: g.regionId }))) },
  );
  const row = (rows as Array<{ scope_rows: ScopeRow[] | string }>)[0];
  // Without the key: a scope resolved here may be kept and reused (jobs, tests), and a key kept with it would
  // go stale. Only a request's scope, read with its user, carries the key of that moment.
  return scopeFromRows(grants, row?.scope_rows ?? [], undefined);
}

/** Restricts a query on a township_id column to the scope (no-op for admins). */
export function whereTownshipInScope<T extends Knex.QueryBuilder>(query: T, scope: Scope, column: string): T {
  if (scope.all) return query;
  return query.whereIn(column, [...scope.townshipIds]) as T;
}

/** Which people or townships a personTownshipsQuery is about, pushed down into each of its branches. */
export interface PersonTownshipFilter {
  townshipIds?: readonly number[];
  personIds?: readonly number[];
}

/**
 * People belonging to townships on a date: anyone with an assignment in force there (primary, concurrent or
 * secondment in), or whose latest quota slot by that date is held by the township (so people who left
 * stay on their last township's roster). Returns (person_id, township_id) pairs.
 *
 * Pass the townships (or people) asked about: the restriction is applied inside every branch, so the query
 * reads a township's rows through the indexes instead of deriving the whole province and filtering after
 * (at province scale that is the difference between a few milliseconds and half a second). Callers still
 * filter the outer query; the filter here only narrows, it never changes who belongs where.
 */
export function personTownshipsQuery(
  db: Knex,
  asOf: string,
  filter: PersonTownshipFilter = {},
): Knex.QueryBuilder {
  const townshipIds = filter.townshipIds ? [...new Set(filter.townshipIds)] : null;
  const personIds = filter.personIds ? [...new Set(filter.personIds)] : null;
  const assigned = db('assignments as a')
    .join('posts as p', 'p.id', 'a.post_id')
    .whereNull('a.superseded_at')
    .andWhere('a.valid_from', '<=', asOf)
    .andWhere((q) => q.whereNull('a.valid_to').orWhere('a.valid_to', '>', asOf))
    .select('a.person_id', 'p.township_id');
  if (townshipIds) assigned.whereRaw('p.township_id = any(?::int[])', [townshipIds]);
  if (personIds) assigned.whereRaw('a.person_id = any(?::int[])', [personIds]);
  const latestSlot = db('quota_slots')
    .distinctOn('person_id')
    .whereNull('superseded_at')
    .andWhere('valid_from', '<=', asOf)
    .orderBy([{ column: 'person_id' }, { column: 'valid_from', order: 'desc' }])
    .select('person_id', 'account_id');
  if (personIds) latestSlot.whereRaw('person_id = any(?::int[])', [personIds]);
  if (townshipIds)
    // Only people who ever held a slot of these townships can have their latest slot there.
    latestSlot.whereIn(
      'person_id',
      db('quota_slots as s3')
        .join('quota_accounts as qa3', 'qa3.id', 's3.account_id')
        .join('quota_holders as qh3', 'qh3.id', 'qa3.holder_id')
        .whereRaw('qh3.township_id = any(?::int[])', [townshipIds])
        .whereNull('s3.superseded_at')
        .andWhere('s3.valid_from', '<=', asOf)
        .select('s3.person_id'),
    );
  const held = db
    .from(latestSlot.as('s'))
    .join('quota_accounts as qa', 'qa.id', 's.account_id')
    .join('quota_holders as qh', 'qh.id', 'qa.holder_id')
    .whereNotNull('qh.township_id')
    .select('s.person_id', 'qh.township_id');
  if (townshipIds) held.whereRaw('qh.township_id = any(?::int[])', [townshipIds]);
  // A record not yet placed by its history (no assignment in force, no quota slot started) stays with the
  // township that created it, so a future-dated entry never hides a new person from its officers.
  const registered = db('people as pe')
    .whereNotNull('pe.registered_township_id')
    .whereNotExists(
      db('quota_slots as s2')
        .whereRaw('s2.person_id = pe.id')
        .whereNull('s2.superseded_at')
        .andWhere('s2.valid_from', '<=', asOf),
    )
    .whereNotExists(
      db('assignments as a2')
        .whereRaw('a2.person_id = pe.id')
        .whereNull('a2.superseded_at')
        .andWhere('a2.valid_from', '<=', asOf)
        .andWhere((q) => q.whereNull('a2.valid_to').orWhere('a2.valid_to', '>', asOf)),
    )
    .select('pe.id as person_id', 'pe.registered_township_id as township_id');
  if (townshipIds) registered.whereRaw('pe.registered_township_id = any(?::int[])', [townshipIds]);
  if (personIds) registered.whereRaw('pe.id = any(?::int[])', [personIds]);
  return db.union([assigned, held, registered], true);
}

/** People whose latest quota slot is held by a county department of the given counties (dispatched units). */
export function personCountiesByDepartmentQuery(db: Knex, asOf: string): Knex.QueryBuilder {
  const latestSlot = db('quota_slots')
    .distinctOn('person_id')
    .whereNull('superseded_at')
    .andWhere('valid_from', '<=', asOf)
    .orderBy([{ column: 'person_id' }, { column: 'valid_from', order: 'desc' }])
    .select('person_id', 'account_id')
    .as('s');
  return db
    .from(latestSlot)
    .join('quota_accounts as qa', 'qa.id', 's.account_id')
    .join('quota_holders as qh', 'qh.id', 'qa.holder_id')
    .join('county_departments as d', 'd.id', 'qh.department_id')
    .select('s.person_id', 'd.county_id');
}

export async function isPersonInScope(
  db: Knex,
  scope: Scope,
  personId: number,
  asOf: string,
): Promise<boolean> {
  if (scope.all) return (await db('people').where('id', personId).first('id')) !== undefined;
  if (scope.personIds.has(personId)) return true;
  if (scope.townshipIds.size > 0) {
    const hit = await db
      .from(personTownshipsQuery(db, asOf, { personIds: [personId] }).as('pt'))
      .where('pt.person_id', personId)
      .whereIn('pt.township_id', [...scope.townshipIds])
      .first('pt.person_id');
    if (hit) return true;
  }
  if (scope.fullCountyIds.size > 0) {
    const hit = await db
      .from(personCountiesByDepartmentQuery(db, asOf).as('pc'))
      .where('pc.person_id', personId)
      .whereIn('pc.county_id', [...scope.fullCountyIds])
      .first('pc.person_id');
    if (hit) return true;
  }
  return false;
}
