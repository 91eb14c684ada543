import type { Knex } from 'knex';
import type { AssignmentKind, EstablishmentType, PostCategory, UnitKind, UnitRank } from '../tables.js';
import { joinUnitVersionOn } from './unitVersions.js';

export interface Unit {
  id: number;
  townshipId: number;
  kind: UnitKind;
  name: string;
  aliasNames: string[];
  rank: UnitRank;
  featured: boolean;
  departmentId: number | null;
  departmentName: string | null;
  establishedOn: string;
  establishedDocNo: string | null;
  abolishedOn: string | null;
  abolishedDocNo: string | null;
}

const toUnit = (r: Record<string, unknown>): Unit => ({
  id: r.id as number,
  townshipId: r.township_id as number,
  kind: r.kind as UnitKind,
  name: r.name as string,
  aliasNames: (r.alias_names as string[] | null) ?? [],
  rank: r.rank as UnitRank,
  featured: r.featured as boolean,
  departmentId: r.department_id as number | null,
  departmentName: (r.department_name as string | null) ?? null,
  establishedOn: r.established_on as string,
  establishedDocNo: r.established_doc_no as string | null,
  abolishedOn: r.abolished_on as string | null,
  abolishedDocNo: r.abolished_doc_no as string | null,
});

/** Units with their attributes (name, 挂牌, 规格, featured) as in force on a date. */
const unitQuery = (db: Knex, asOf: string) =>
  joinUnitVersionOn(db('units as u').leftJoin('county_departments as d', 'd.id', 'u.department_id'), 'u.id', {
    date: asOf,
  }).select('u.*', 'uv.name', 'uv.alias_names', 'uv.rank', 'uv.featured', 'd.name as department_name');

export async function findUnit(db: Knex, id: number, asOf: string): Promise<Unit | undefined> {
  const row = await unitQuery(db, asOf).where('u.id', id).first();
  return row ? toUnit(row) : undefined;
}

export interface UnitWithCounts extends Unit {
  posts: number;
  filled: number;
}

/** Units in force on a date, with open posts and how many of them have a holder. */
export async function unitsOfTownship(db: Knex, townshipId: number, asOf: string): Promise<UnitWithCounts[]> {
  const rows = await unitQuery(db, asOf)
    .where('u.township_id', townshipId)
    .andWhere('u.established_on', '<=', asOf)
    .andWhere((q) => q.whereNull('u.abolished_on').orWhere('u.abolished_on', '>', asOf))
    .orderBy([{ column: 'u.sort_order' }, { column: 'u.id' }]);
  const counts = await openPostsQuery(db, asOf)
    .where('p.township_id', townshipId)
    .whereNotNull('p.unit_id')
    .leftJoin(holdersQuery(db, asOf).as('h'), 'h.post_id', 'p.id')
    .groupBy('p.unit_id')
    .select('p.unit_id')
    .count('p.id as posts')
    .count('h.person_id as filled');
  const byUnit = new Map(counts.map((c: Record<string, unknown>) => [c.unit_id as number, c]));
  return rows.map((r) => {
    const c = byUnit.get(r.id);
    return { ...toUnit(r), posts: Number(c?.posts ?? 0), filled: Number(c?.filled ?? 0) };
  });
}

export interface PostHolder {
  personId: number;
  personName: string;
  kind: AssignmentKind;
  validFrom: string;
  validTo: string | null;
  establishmentType: EstablishmentType | null;
}

export interface Post {
  id: number;
  townshipId: number;
  unitId: number | null;
  name: string;
  category: PostCategory;
  leadershipKind: string | null;
  establishmentTypes: EstablishmentType[];
  gradeLow: string | null;
  gradeHigh: string | null;
  crossType: boolean;
  openedOn: string;
  closedOn: string | null;
  docNo: string | null;
}

export interface PostWithHolder extends Post {
  holder: PostHolder | null;
}

function openPostsQuery(db: Knex, asOf: string) {
  return db('posts as p')
    .where('p.opened_on', '<=', asOf)
    .andWhere((q) => q.whereNull('p.closed_on').orWhere('p.closed_on', '>', asOf));
}

/** The assignment in force for each post on a date (at most one: assignments_one_holder_per_post_excl). */
function holdersQuery(db: Knex, asOf: string) {
  return db('assignments as a')
    .whereNull('a.superseded_at')
    .andWhere('a.valid_from', '<=', asOf)
    .andWhere((q) => q.whereNull('a.valid_to').orWhere('a.valid_to', '>', asOf))
    .select('a.post_id', 'a.person_id', 'a.kind', 'a.valid_from', 'a.valid_to');
}

/** The holder's establishment type on the date (from their quota slot in force). */
function slotTypesQuery(db: Knex, asOf: string) {
  return db('quota_slots as s')
    .join('quota_accounts as qa', 'qa.id', 's.account_id')
    .whereNull('s.superseded_at')
    .andWhere('s.valid_from', '<=', asOf)
    .andWhere((q) => q.whereNull('s.valid_to').orWhere('s.valid_to', '>', asOf))
    .select('s.person_id', 'qa.establishment_type');
}

const toPost = (r: Record<string, unknown>): Post => ({
  id: r.id as number,
  townshipId: r.township_id as number,
  unitId: r.unit_id as number | null,
  name: r.name as string,
  category: r.category as PostCategory,
  leadershipKind: r.leadership_kind as string | null,
  establishmentTypes: r.establishment_types as EstablishmentType[],
  gradeLow: r.grade_low as string | null,
  gradeHigh: r.grade_high as string | null,
  crossType: r.cross_type as boolean,
  openedOn: r.opened_on as string,
  closedOn: r.closed_on as string | null,
  docNo: r.doc_no as string | null,
});

/** Open posts of a unit (or of the township leadership team when unitId is null) with their holder. */
export async function postsWithHolders(
  db: Knex,
  where: { townshipId: number; unitId: number | null },
  asOf: string,
): Promise<PostWithHolder[]> {
  const q = openPostsQuery(db, asOf)
    .where('p.township_id', where.townshipId)
    .leftJoin(holdersQuery(db, asOf).as('h'), 'h.post_id', 'p.id')
    .leftJoin('people as pe', 'pe.id', 'h.person_id')
    .leftJoin(slotTypesQuery(db, asOf).as('st'), 'st.person_id', 'h.person_id')
    .leftJoin('leadership_kinds as lk', 'lk.code', 'p.leadership_kind')
    .select(
      'p.*',
      'h.person_id',
      'h.kind as holder_kind',
      'h.valid_from as holder_from',
      'h.valid_to as holder_to',
      'pe.name as person_name',
      'st.establishment_type as holder_type',
    )
    .orderBy([{ column: 'lk.sort_order' }, { column: 'p.sort_order' }, { column: 'p.id' }]);
  if (where.unitId === null) q.whereNull('p.unit_id');
  else q.where('p.unit_id', where.unitId);
  const rows = await q;
  return rows.map((r: Record<string, unknown>) => ({
    ...toPost(r),
    holder: r.person_id
      ? {
          personId: r.person_id as number,
          personName: r.person_name as string,
          kind: r.holder_kind as AssignmentKind,
          validFrom: r.holder_from as string,
          validTo: r.holder_to as string | null,
          establishmentType: (r.holder_type as EstablishmentType | null) ?? null,
        }
      : null,
  }));
}

export async function findPost(db: Knex, id: number): Promise<Post | undefined> {
  const row = await db('posts as p').where('p.id', id).first();
  return row ? toPost(row) : undefined;
}

/** Everyone who has held the post, newest first (corrected rows left out). */
export async function postHistory(db: Knex, postId: number): Promise<PostHolder[]> {
  const rows = await db('assignments as a')
    .join('people as pe', 'pe.id', 'a.person_id')
    .where('a.post_id', postId)
    .whereNull('a.superseded_at')
    .orderBy('a.valid_from', 'desc')
    .select('a.person_id', 'pe.name', 'a.kind', 'a.valid_from', 'a.valid_to');
  return rows.map((r) => ({
    personId: r.person_id,
    personName: r.name,
    kind: r.kind,
    validFrom: r.valid_from,
    validTo: r.valid_to,
    establishmentType: null,
  }));
}

export async function gradeLevels(db: Knex) {
  return db('grade_levels')
    .orderBy(['ladder', 'step'])
    .select('code', 'ladder', 'step', 'name_zh', 'name_en');
}
