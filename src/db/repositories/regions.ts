import type { Knex } from 'knex';
import type { RegionKind, RegionRow } from '../tables.js';

export interface Region {
  id: number;
  kind: RegionKind;
  name: string;
  code: string | null;
  parentId: number | null;
  townshipKind: 'town' | 'subdistrict' | null;
}

export const toRegion = (r: RegionRow): Region => ({
  id: r.id,
  kind: r.kind,
  name: r.name,
  code: r.code,
  parentId: r.parent_id,
  townshipKind: r.township_kind,
});

export async function findRegion(db: Knex, id: number, kind?: RegionKind): Promise<Region | undefined> {
  const q = db('regions').where({ id });
  if (kind) q.andWhere({ kind });
  const row = await q.first();
  return row ? toRegion(row) : undefined;
}

export async function findRegions(db: Knex, ids: readonly number[]): Promise<Region[]> {
  if (ids.length === 0) return [];
  const rows = await db('regions').whereIn('id', [...ids]);
  return rows.map(toRegion);
}

export async function childRegions(db: Knex, parentId: number): Promise<Region[]> {
  const rows = await db('regions').where({ parent_id: parentId }).orderBy(['sort_order', 'id']);
  return rows.map(toRegion);
}

export async function listRegions(db: Knex, kind: RegionKind): Promise<Region[]> {
  const rows = await db('regions').where({ kind }).orderBy(['sort_order', 'id']);
  return rows.map(toRegion);
}

/** The region and its ancestors, outermost first (city, county, township). */
export async function regionPath(db: Knex, id: number): Promise<Region[]> {
  // One statement: the region and up to two ancestors (breadcrumbs on most pages).
  const { rows } = await db.raw(
    `WITH RECURSIVE up(id, depth) AS (
       SELECT ?::int, 0
       UNION ALL
       SELECT r.parent_id, up.depth + 1 FROM up JOIN regions r ON r.id = up.id
       WHERE r.parent_id IS NOT NULL AND up.depth < 2
     )
     SELECT r.* FROM up JOIN regions r ON r.id = up.id ORDER BY up.depth DESC`,
    [id],
  );
  return (rows as RegionRow[]).map(toRegion);
}

export interface CountyDepartment {
  id: number;
  countyId: number;
  name: string;
}

export async function departmentsOfCounty(db: Knex, countyId: number): Promise<CountyDepartment[]> {
  const rows = await db('county_departments').where({ county_id: countyId }).orderBy('id');
  return rows.map((r) => ({ id: r.id, countyId: r.county_id, name: r.name }));
}

/** The departments of several counties ('all': every county) in one statement. */
export async function departmentsOfCounties(
  db: Knex,
  countyIds: readonly number[] | 'all',
): Promise<CountyDepartment[]> {
  const q = db('county_departments').orderBy('id');
  if (countyIds !== 'all') {
    if (countyIds.length === 0) return [];
    q.whereIn('county_id', [...countyIds]);
  }
  const rows = await q;
  return rows.map((r) => ({ id: r.id, countyId: r.county_id, name: r.name }));
}

export async function findDepartment(db: Knex, id: number): Promise<CountyDepartment | undefined> {
  const r = await db('county_departments').where({ id }).first();
  return r ? { id: r.id, countyId: r.county_id, name: r.name } : undefined;
}

/**
 * Serialises writes about a township's units (limits on units and featured units span rows): a row lock on
 * the township that doesn't block foreign-key checks of rows referring to it (FOR NO KEY UPDATE).
 */
export async function lockTownship(trx: Knex.Transaction, townshipId: number): Promise<void> {
  await trx('regions').where({ id: townshipId }).forNoKeyUpdate().first('id');
}
