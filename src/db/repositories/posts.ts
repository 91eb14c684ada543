import type { Knex } from 'knex';
import type { AssignmentKind, EstablishmentType, PostCategory } from '../tables.js';
import { joinUnitVersionOn } from './unitVersions.js';

export interface PostInput {
  townshipId: number;
  unitId: number | null;
  name: string;
  category: PostCategory;
  leadershipKind: string | null;
  establishmentTypes: EstablishmentType[];
  gradeLow: string | null;
  gradeHigh: string | null;
  openedOn: string;
  docNo: string | null;
  crossType?: boolean;
  succeedsPostId?: number | null;
}

export async function insertPost(trx: Knex.Transaction, p: PostInput): Promise<number> {
  const [row] = await trx('posts')
    .insert({
      township_id: p.townshipId,
      unit_id: p.unitId,
      name: p.name,
      category: p.category,
      leadership_kind: p.leadershipKind,
      establishment_types: p.establishmentTypes,
      grade_low: p.gradeLow,
      grade_high: p.gradeHigh,
      cross_type: p.crossType ?? false,
      opened_on: p.openedOn,
      doc_no: p.docNo,
      succeeds_post_id: p.succeedsPostId ?? null,
      sort_order: trx.raw('(SELECT coalesce(max(sort_order), 0) + 10 FROM posts WHERE township_id = ?)', [
        p.townshipId,
      ]),
    })
    .returning('id');
  return (row as { id: number }).id;
}

export async function updatePost(
  trx: Knex.Transaction,
  id: number,
  p: Pick<
    PostInput,
    'name' | 'category' | 'leadershipKind' | 'establishmentTypes' | 'gradeLow' | 'gradeHigh'
  >,
): Promise<void> {
  await trx('posts').where({ id }).update({
    name: p.name,
    category: p.category,
    leadership_kind: p.leadershipKind,
    establishment_types: p.establishmentTypes,
    grade_low: p.gradeLow,
    grade_high: p.gradeHigh,
  });
}

export async function closePost(
  trx: Knex.Transaction,
  id: number,
  closedOn: string,
  docNo: string | null,
): Promise<void> {
  await trx('posts').where({ id }).update({ closed_on: closedOn, closed_doc_no: docNo });
}

/** Locks the post row: placements into one post queue behind each other. */
export async function lockPost(trx: Knex.Transaction, id: number) {
  const row = await trx('posts').where({ id }).forUpdate().first();
  if (!row) throw new Error(`post ${id} vanished`);
  return row;
}

/** Assignments of a post in force on or after a date (a post can close or take someone only if none). */
export async function holdersFrom(db: Knex, postId: number, from: string) {
  return db('assignments')
    .where({ post_id: postId })
    .whereNull('superseded_at')
    .andWhere((q) => q.whereNull('valid_to').orWhere('valid_to', '>', from))
    .select('id', 'person_id', 'kind', 'valid_from', 'valid_to', 'planned_until');
}

export interface OpenPost {
  id: number;
  unitId: number | null;
  name: string;
  category: PostCategory;
  leadershipKind: string | null;
  establishmentTypes: EstablishmentType[];
  crossType: boolean;
  sortOrder: number;
  holder: {
    personId: number;
    name: string;
    kind: AssignmentKind;
    since: string;
    establishmentType: EstablishmentType | null;
  } | null;
}

/** Every open post of a township on a date, with the holder in force and the holder's establishment type. */
export async function openPostsOfTownship(db: Knex, townshipId: number, asOf: string): Promise<OpenPost[]> {
  const inForce = (q: Knex.QueryBuilder, alias: string) =>
    q
      .whereNull(`${alias}.superseded_at`)
      .andWhere(`${alias}.valid_from`, '<=', asOf)
      .andWhere((w) => w.whereNull(`${alias}.valid_to`).orWhere(`${alias}.valid_to`, '>', asOf));
  const rows = await db('posts as p')
    .where('p.township_id', townshipId)
    .andWhere('p.opened_on', '<=', asOf)
    .andWhere((q) => q.whereNull('p.closed_on').orWhere('p.closed_on', '>', asOf))
    .leftJoin(
      inForce(db('assignments as a'), 'a')
        .select('a.post_id', 'a.person_id', 'a.kind', 'a.valid_from')
        .as('h'),
      'h.post_id',
      'p.id',
    )
    .leftJoin('people as pe', 'pe.id', 'h.person_id')
    .leftJoin(
      inForce(db('quota_slots as s'), 's')
        .join('quota_accounts as qa', 'qa.id', 's.account_id')
        .select('s.person_id', 'qa.establishment_type')
        .as('st'),
      'st.person_id',
      'h.person_id',
    )
    .leftJoin('leadership_kinds as lk', 'lk.code', 'p.leadership_kind')
    .orderBy([{ column: 'lk.sort_order' }, { column: 'p.sort_order' }, { column: 'p.id' }])
    .select(
      'p.*',
      'h.person_id',
      'h.kind as holder_kind',
      'h.valid_from as holder_from',
      'pe.name as person_name',
      'st.establishment_type as holder_type',
    );
  return rows.map((r: Record<string, unknown>) => ({
    id: r.id as number,
    unitId: r.unit_id as number | null,
    name: r.name as string,
    category: r.category as PostCategory,
    leadershipKind: r.leadership_kind as string | null,
    establishmentTypes: r.establishment_types as EstablishmentType[],
    crossType: r.cross_type as boolean,
    sortOrder: r.sort_order as number,
    holder: r.person_id
      ? {
          personId: r.person_id as number,
          name: r.person_name as string,
          kind: r.holder_kind as AssignmentKind,
          since: r.holder_from as string,
          establishmentType: (r.holder_type as EstablishmentType | null) ?? null,
        }
      : null,
  }));
}

/** The post with its unit's kind and rank on a date (leadership-team posts have no unit). */
export async function postWithUnit(db: Knex, postId: number, asOf: string) {
  const row = await joinUnitVersionOn(
    db('posts as p').leftJoin('units as u', 'u.id', 'p.unit_id'),
    'p.unit_id',
    { date: asOf },
  )
    .leftJoin('leadership_kinds as lk', 'lk.code', 'p.leadership_kind')
    .where('p.id', postId)
    .first(
      'p.*',
      'u.kind as unit_kind',
      'u.department_id',
      'uv.rank as unit_rank',
      'uv.name as unit_name',
      'lk.rank as leader_rank',
      'lk.counted',
      'lk.scope as leader_scope',
    );
  return row as
    | (Record<string, unknown> & {
        id: number;
        township_id: number;
        unit_id: number | null;
        name: string;
        establishment_types: EstablishmentType[];
        cross_type: boolean;
        leadership_kind: string | null;
        opened_on: string;
        closed_on: string | null;
        unit_kind: 'office' | 'station' | 'dispatched' | null;
        department_id: number | null;
        unit_rank: 'section_chief' | 'deputy_section' | 'stock' | 'none' | null;
        unit_name: string | null;
        leader_rank: 'section_chief' | 'deputy_section' | 'stock' | null;
        counted: boolean | null;
        leader_scope: 'township' | 'unit' | null;
      })
    | undefined;
}

/** The person's quota slot in force on a date, with its holder and type. */
export async function slotOn(db: Knex, personId: number, on: string) {
  return db('quota_slots as s')
    .join('quota_accounts as qa', 'qa.id', 's.account_id')
    .where('s.person_id', personId)
    .whereNull('s.superseded_at')
    .andWhere('s.valid_from', '<=', on)
    .andWhere((q) => q.whereNull('s.valid_to').orWhere('s.valid_to', '>', on))
    .first('s.id', 's.account_id', 'qa.holder_id', 'qa.establishment_type', 's.valid_from') as Promise<
    | {
        id: number;
        account_id: number;
        holder_id: number;
        establishment_type: EstablishmentType;
        valid_from: string;
      }
    | undefined
  >;
}

/** The person's primary assignment in force on a date. */
export async function primaryOn(db: Knex, personId: number, on: string) {
  return db('assignments')
    .where({ person_id: personId, kind: 'primary' })
    .whereNull('superseded_at')
    .andWhere('valid_from', '<=', on)
    .andWhere((q) => q.whereNull('valid_to').orWhere('valid_to', '>', on))
    .first('id', 'post_id', 'valid_from', 'valid_to') as Promise<
    { id: number; post_id: number; valid_from: string; valid_to: string | null } | undefined
  >;
}

/** The person's leadership level (乡科级正职/副职) in force on a date, as a unit rank. */
export async function leadershipRankOn(
  db: Knex,
  personId: number,
  on: string,
): Promise<'section_chief' | 'deputy_section' | null> {
  const row = await db('grades')
    .where({ person_id: personId, ladder: 'leadership_level' })
    .whereNull('superseded_at')
    .andWhere('valid_from', '<=', on)
    .andWhere((q) => q.whereNull('valid_to').orWhere('valid_to', '>', on))
    .first('grade_code');
  if (!row) return null;
  return row.grade_code === 'township_chief' ? 'section_chief' : 'deputy_section';
}

export async function endAssignment(trx: Knex.Transaction, id: number, on: string): Promise<void> {
  await trx('assignments').where({ id }).update({ valid_to: on });
}

export async function insertAssignment(
  trx: Knex.Transaction,
  a: {
    personId: number;
    postId: number;
    kind: AssignmentKind;
    validFrom: string;
    plannedUntil?: string | null;
    reason: string;
    docNo: string | null;
  },
): Promise<number> {
  const [row] = await trx('assignments')
    .insert({
      person_id: a.personId,
      post_id: a.postId,
      kind: a.kind,
      valid_from: a.validFrom,
      planned_until: a.plannedUntil ?? null,
      reason: a.reason,
      doc_no: a.docNo,
    })
    .returning('id');
  return (row as { id: number }).id;
}

export async function insertSlot(
  trx: Knex.Transaction,
  s: { personId: number; accountId: number; validFrom: string; reason: string; docNo: string | null },
): Promise<number> {
  const [row] = await trx('quota_slots')
    .insert({
      person_id: s.personId,
      account_id: s.accountId,
      valid_from: s.validFrom,
      reason: s.reason,
      doc_no: s.docNo,
    })
    .returning('id');
  return (row as { id: number }).id;
}

/** Leaders in force on a date in the township's leadership posts: per kind (L1) and counted people (L2). */
export async function leadersOn(db: Knex, townshipId: number, on: string) {
  const rows = await db('assignments as a')
    .join('posts as p', 'p.id', 'a.post_id')
    .join('leadership_kinds as k', 'k.code', 'p.leadership_kind')
    .where('p.township_id', townshipId)
    .whereNull('p.unit_id')
    .whereNull('a.superseded_at')
    .andWhere('a.valid_from', '<=', on)
    .andWhere((q) => q.whereNull('a.valid_to').orWhere('a.valid_to', '>', on))
    .select('p.leadership_kind', 'a.person_id', 'a.kind', 'k.counted');
  return rows as Array<{
    leadership_kind: string;
    person_id: number;
    kind: AssignmentKind;
    counted: boolean;
  }>;
}

/** Unit leaders (heads and deputies) in force in a unit on a date, and the unit's open posts (its staff size). */
export async function unitLeadersOn(db: Knex, unitId: number, on: string) {
  const leaders = await db('assignments as a')
    .join('posts as p', 'p.id', 'a.post_id')
    .where('p.unit_id', unitId)
    .whereIn('p.leadership_kind', ['unit_head', 'unit_deputy'])
    .whereNull('a.superseded_at')
    .andWhere('a.valid_from', '<=', on)
    .andWhere((q) => q.whereNull('a.valid_to').orWhere('a.valid_to', '>', on))
    .select('p.leadership_kind');
  const posts = await db('posts')
    .where({ unit_id: unitId })
    .andWhere('opened_on', '<=', on)
    .andWhere((q) => q.whereNull('closed_on').orWhere('closed_on', '>', on))
    .count<{ n: number | string }[]>('* as n')
    .first();
  return {
    heads: leaders.filter((l) => l.leadership_kind === 'unit_head').length,
    deputies: leaders.filter((l) => l.leadership_kind === 'unit_deputy').length,
    staff: Number(posts?.n ?? 0),
  };
}

export function findPostRow(db: Knex, id: number) {
  return db('posts').where({ id }).first();
}

/** Posts of a unit still open on a date (or opening later). */
export function openPostsOfUnit(db: Knex, unitId: number, on: string) {
  return db('posts')
    .where({ unit_id: unitId })
    .andWhere((q) => q.whereNull('closed_on').orWhere('closed_on', '>', on))
    .select('id');
}

/** Grade levels by code, for grade-band checks. */
export function gradesByCode(db: Knex, codes: string[]) {
  return db('grade_levels').whereIn('code', codes).select('code', 'ladder', 'step');
}

export function findPersonName(db: Knex, id: number) {
  return db('people').where({ id }).first('id', 'name');
}
