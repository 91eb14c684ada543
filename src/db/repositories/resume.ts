import type { Knex } from 'knex';
import type { AssignmentKind, Ladder, PostCategory } from '../tables.js';
import { joinUnitVersionOn } from './unitVersions.js';

/**
 * What the resume (简历), the appointment form (干部任免审批表) and the .lrmx exchange read and write: the
 * free-text resume lines and the history named as it was. Functions of a knex handle or transaction.
 */

export interface ResumeLineFields {
  /** ISO date of the month's first day. */
  fromMonth: string;
  toMonth: string | null;
  text: string;
}

export interface StoredResumeLine extends ResumeLineFields {
  id: number;
}

const toLine = (r: { id: number; from_month: string; to_month: string | null; text: string }) => ({
  id: r.id,
  fromMonth: r.from_month,
  toMonth: r.to_month,
  text: r.text,
});

export async function resumeLinesOf(db: Knex, personId: number): Promise<StoredResumeLine[]> {
  const rows = await db('resume_lines')
    .where({ person_id: personId })
    .orderBy([{ column: 'from_month' }, { column: 'to_month' }, { column: 'id' }])
    .select('id', 'from_month', 'to_month', 'text');
  return rows.map(toLine);
}

export async function findResumeLine(
  db: Knex,
  personId: number,
  id: number,
): Promise<StoredResumeLine | undefined> {
  const row = await db('resume_lines')
    .where({ person_id: personId, id })
    .first('id', 'from_month', 'to_month', 'text');
  return row ? toLine(row) : undefined;
}

/** The same line recorded already (a double submit finds it and writes nothing). */
export async function findSameResumeLine(
  db: Knex,
  personId: number,
  f: ResumeLineFields,
): Promise<number | undefined> {
  const q = db('resume_lines').where({ person_id: personId, from_month: f.fromMonth, text: f.text });
  if (f.toMonth === null) q.whereNull('to_month');
  else q.where('to_month', f.toMonth);
  const row = await q.first('id');
  return row?.id;
}

export async function insertResumeLine(
  trx: Knex.Transaction,
  personId: number,
  f: ResumeLineFields,
): Promise<number> {
  const [row] = await trx('resume_lines')
    .insert({ person_id: personId, from_month: f.fromMonth, to_month: f.toMonth, text: f.text })
    .returning('id');
  return (row as { id: number }).id;
}

export async function updateResumeLine(
  trx: Knex.Transaction,
  id: number,
  f: ResumeLineFields,
): Promise<void> {
  await trx('resume_lines')
    .where({ id })
    .update({ from_month: f.fromMonth, to_month: f.toMonth, text: f.text });
}

export async function deleteResumeLine(trx: Knex.Transaction, id: number): Promise<void> {
  await trx('resume_lines').where({ id }).delete();
}

export async function deleteResumeLinesOf(trx: Knex.Transaction, personId: number): Promise<void> {
  await trx('resume_lines').where({ person_id: personId }).delete();
}

export interface NamedAssignment {
  kind: AssignmentKind;
  validFrom: string;
  validTo: string | null;
  postName: string;
  category: PostCategory;
  /** The unit's name when the assignment began. */
  unitName: string | null;
  townshipName: string;
  countyName: string | null;
}

/** Assignments in force (not corrected), the unit named as it was when each began, oldest first. */
export async function namedAssignments(db: Knex, personId: number): Promise<NamedAssignment[]> {
  const rows = await joinUnitVersionOn(
    db('assignments as a')
      .join('posts as p', 'p.id', 'a.post_id')
      .join('regions as t', 't.id', 'p.township_id')
      .leftJoin('regions as c', 'c.id', 't.parent_id'),
    'p.unit_id',
    { column: 'a.valid_from' },
    'u',
  )
    .where('a.person_id', personId)
    .whereNull('a.superseded_at')
    .orderBy([{ column: 'a.valid_from' }, { column: 'a.id' }])
    .select(
      'a.kind',
      'a.valid_from',
      'a.valid_to',
      'p.name as post_name',
      'p.category',
      'u.name as unit_name',
      't.name as township_name',
      'c.name as county_name',
    );
  return rows.map((r: Record<string, unknown>) => ({
    kind: r.kind as AssignmentKind,
    validFrom: r.valid_from as string,
    validTo: r.valid_to as string | null,
    postName: r.post_name as string,
    category: r.category as PostCategory,
    unitName: (r.unit_name as string | null) ?? null,
    townshipName: r.township_name as string,
    countyName: (r.county_name as string | null) ?? null,
  }));
}

export interface NamedGrade {
  ladder: Ladder;
  nameZh: string;
  legacyTitle: string | null;
  validFrom: string;
  validTo: string | null;
}

/** Grades in force (not corrected), oldest first. */
export async function namedGrades(db: Knex, personId: number): Promise<NamedGrade[]> {
  const rows = await db('grades as g')
    .join('grade_levels as gl', function () {
      this.on('gl.code', 'g.grade_code').andOn('gl.ladder', 'g.ladder');
    })
    .where('g.person_id', personId)
    .whereNull('g.superseded_at')
    .orderBy([{ column: 'g.valid_from' }, { column: 'g.id' }])
    .select('g.ladder', 'gl.name_zh', 'g.legacy_title', 'g.valid_from', 'g.valid_to');
  return rows.map((r: Record<string, unknown>) => ({
    ladder: r.ladder as Ladder,
    nameZh: r.name_zh as string,
    legacyTitle: r.legacy_title as string | null,
    validFrom: r.valid_from as string,
    validTo: r.valid_to as string | null,
  }));
}

/** The first day of the person's recorded history (the earliest assignment in force), if any. */
export async function historyStart(db: Knex, personId: number): Promise<string | null> {
  const row = await db('assignments')
    .where({ person_id: personId })
    .whereNull('superseded_at')
    .min<{ m: string | null }>('valid_from as m')
    .first();
  return row?.m ?? null;
}

/** The township a person is registered to or placed in by a current assignment, with its county. */
export async function townshipWithCounty(
  db: Knex,
  townshipId: number,
): Promise<{ id: number; name: string; countyName: string | null } | undefined> {
  const row = await db('regions as t')
    .leftJoin('regions as c', 'c.id', 't.parent_id')
    .where({ 't.id': townshipId, 't.kind': 'township' })
    .first('t.id', 't.name', 'c.name as county_name');
  return row ? { id: row.id, name: row.name, countyName: row.county_name ?? null } : undefined;
}

/** The person's photo bytes (the .lrmx ZhaoPian), or null. */
export async function photoBytes(db: Knex, personId: number): Promise<Buffer | null> {
  const row = await db('people').where({ id: personId }).first('photo');
  return row?.photo ? Buffer.from(row.photo) : null;
}
