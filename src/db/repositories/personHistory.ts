import type { Knex } from 'knex';
import type { AssignmentKind, EstablishmentType, Ladder } from '../tables.js';
import { joinUnitVersionOn } from './unitVersions.js';

/**
 * Effective-dated history of a person, corrected rows included (the timeline shows them struck through).
 * Rows are never overwritten: closing sets an open valid_to once; a correction supersedes the old row
 * (superseded_at) and inserts a new one citing it (corrects_id), in the caller's transaction.
 */

export const HISTORY_KINDS = ['assignments', 'grades', 'slots', 'statuses'] as const;
export type HistoryKind = (typeof HISTORY_KINDS)[number];

const TABLES = {
  assignments: 'assignments',
  grades: 'grades',
  slots: 'quota_slots',
  statuses: 'person_statuses',
} as const;

export interface HistoryBase {
  validFrom: string;
  validTo: string | null;
  reason: string;
  docNo: string | null;
}

export type EntryValues =
  | { kind: 'assignments'; postId: number; assignmentKind: AssignmentKind; plannedUntil: string | null }
  | {
      kind: 'grades';
      ladder: Ladder;
      gradeCode: string;
      legacyTitle: string | null;
      probationUntil: string | null;
    }
  | { kind: 'slots'; accountId: number }
  | { kind: 'statuses'; status: string };

export interface StoredEntry extends HistoryBase {
  id: number;
  personId: number;
  correctsId: number | null;
  supersededAt: Date | null;
  values: EntryValues;
}

function valuesColumns(v: EntryValues): Record<string, unknown> {
  switch (v.kind) {
    case 'assignments':
      return { post_id: v.postId, kind: v.assignmentKind, planned_until: v.plannedUntil };
    case 'grades':
      return {
        ladder: v.ladder,
        grade_code: v.gradeCode,
        legacy_title: v.legacyTitle,
        probation_until: v.probationUntil,
      };
    case 'slots':
      return { account_id: v.accountId };
    case 'statuses':
      return { status: v.status };
  }
}

function valuesOf(kind: HistoryKind, r: Record<string, unknown>): EntryValues {
  switch (kind) {
    case 'assignments':
      return {
        kind,
        postId: r.post_id as number,
        assignmentKind: r.kind as AssignmentKind,
        plannedUntil: r.planned_until as string | null,
      };
    case 'grades':
      return {
        kind,
        ladder: r.ladder as Ladder,
        gradeCode: r.grade_code as string,
        legacyTitle: r.legacy_title as string | null,
        probationUntil: r.probation_until as string | null,
      };
    case 'slots':
      return { kind, accountId: r.account_id as number };
    case 'statuses':
      return { kind, status: r.status as string };
  }
}

const toStored = (kind: HistoryKind, r: Record<string, unknown>): StoredEntry => ({
  id: r.id as number,
  personId: r.person_id as number,
  validFrom: r.valid_from as string,
  validTo: r.valid_to as string | null,
  reason: r.reason as string,
  docNo: r.doc_no as string | null,
  correctsId: r.corrects_id as number | null,
  supersededAt: (r.superseded_at as Date | null) ?? null,
  values: valuesOf(kind, r),
});

export async function findEntry(
  db: Knex,
  kind: HistoryKind,
  personId: number,
  id: number,
): Promise<StoredEntry | undefined> {
  const row = await db(TABLES[kind]).where({ id, person_id: personId }).first();
  return row ? toStored(kind, row as unknown as Record<string, unknown>) : undefined;
}

export async function insertEntry(
  trx: Knex.Transaction,
  personId: number,
  base: HistoryBase & { correctsId: number | null },
  values: EntryValues,
): Promise<number> {
  const [row] = await trx(TABLES[values.kind])
    .insert({
      person_id: personId,
      valid_from: base.validFrom,
      valid_to: base.validTo,
      reason: base.reason,
      doc_no: base.docNo,
      corrects_id: base.correctsId,
      ...valuesColumns(values),
    })
    .returning('id');
  return (row as { id: number }).id;
}

/** The same entry already in force (not corrected): a double submit finds it and writes nothing. */
export async function findIdenticalEntry(
  db: Knex,
  personId: number,
  base: HistoryBase,
  values: EntryValues,
): Promise<number | undefined> {
  const q = db(TABLES[values.kind])
    .where({ person_id: personId, valid_from: base.validFrom, reason: base.reason, ...valuesColumns(values) })
    .whereNull('superseded_at');
  for (const [column, value] of [
    ['valid_to', base.validTo],
    ['doc_no', base.docNo],
  ] as const) {
    if (value === null) q.whereNull(column);
    else q.where(column, value);
  }
  for (const [column, value] of Object.entries(valuesColumns(values))) {
    if (value === null) q.whereNull(column);
  }
  const row = await q.first('id');
  return row?.id;
}

/** Ends an open entry (valid_to set once). False when it was already ended or corrected. */
export async function closeEntry(
  trx: Knex.Transaction,
  kind: HistoryKind,
  id: number,
  validTo: string,
): Promise<boolean> {
  const n = await trx(TABLES[kind])
    .where({ id })
    .whereNull('valid_to')
    .whereNull('superseded_at')
    .update({ valid_to: validTo });
  return Number(n) === 1;
}

/** Takes a corrected entry out of force (and out of the exclusion constraints). */
export async function supersedeEntry(trx: Knex.Transaction, kind: HistoryKind, id: number): Promise<boolean> {
  const n = await trx(TABLES[kind])
    .where({ id })
    .whereNull('superseded_at')
    .update({ superseded_at: trx.fn.now() });
  return Number(n) === 1;
}

/**
 * Open entries that a new one starting on `from` follows: the person's open primary assignment, open grade
 * on the same ladder, open quota slot or open status that started before it.
 */
export async function openPredecessors(
  trx: Knex.Transaction,
  personId: number,
  values: EntryValues,
  from: string,
): Promise<number[]> {
  const q = trx(TABLES[values.kind])
    .where({ person_id: personId })
    .whereNull('valid_to')
    .whereNull('superseded_at')
    .andWhere('valid_from', '<', from);
  if (values.kind === 'assignments') q.where({ kind: values.assignmentKind });
  if (values.kind === 'grades') q.where({ ladder: values.ladder });
  const rows = await q.select('id');
  return rows.map((r) => r.id as number);
}

// Timeline reads ----------------------------------------------------------------------------------------

interface TimelineBase extends HistoryBase {
  id: number;
  correctsId: number | null;
  supersededAt: Date | null;
}

export interface AssignmentLine extends TimelineBase {
  kind: AssignmentKind;
  plannedUntil: string | null;
  postId: number;
  postName: string;
  unitName: string | null;
  townshipId: number;
  townshipName: string;
}

const base = (r: Record<string, unknown>): TimelineBase => ({
  id: r.id as number,
  validFrom: r.valid_from as string,
  validTo: r.valid_to as string | null,
  reason: r.reason as string,
  docNo: r.doc_no as string | null,
  correctsId: r.corrects_id as number | null,
  supersededAt: (r.superseded_at as Date | null) ?? null,
});

const timelineOrder = (alias: string) => [
  { column: `${alias}.valid_from`, order: 'desc' as const },
  { column: `${alias}.id`, order: 'desc' as const },
];

export async function assignmentTimeline(db: Knex, personId: number): Promise<AssignmentLine[]> {
  const rows = await assignmentTimelineQuery(db).where('a.person_id', personId).orderBy(timelineOrder('a'));
  return rows.map(toAssignmentLine);
}

/** A person's assignments (filter on `a.person_id`) with the unit's name as it was when each began. */
export function assignmentTimelineQuery(db: Knex): Knex.QueryBuilder {
  return joinUnitVersionOn(
    db('assignments as a')
      .join('posts as p', 'p.id', 'a.post_id')
      .join('regions as t', 't.id', 'p.township_id'),
    'p.unit_id',
    { column: 'a.valid_from' },
    'u',
  ).select('a.*', 'p.name as post_name', 'u.name as unit_name', 'p.township_id', 't.name as township_name');
}

export const toAssignmentLine = (r: Record<string, unknown>): AssignmentLine => ({
  ...base(r),
  kind: r.kind as AssignmentKind,
  plannedUntil: r.planned_until as string | null,
  postId: r.post_id as number,
  postName: r.post_name as string,
  unitName: r.unit_name as string | null,
  townshipId: r.township_id as number,
  townshipName: r.township_name as string,
});

export interface GradeLine extends TimelineBase {
  ladder: Ladder;
  gradeCode: string;
  nameZh: string;
  nameEn: string;
  legacyTitle: string | null;
  probationUntil: string | null;
}

export async function gradeTimeline(db: Knex, personId: number): Promise<GradeLine[]> {
  const rows = await gradeTimelineQuery(db).where('g.person_id', personId).orderBy(timelineOrder('g'));
  return rows.map(toGradeLine);
}

/** A person's grades (filter on `g.person_id`) with the grade's names. */
export function gradeTimelineQuery(db: Knex): Knex.QueryBuilder {
  return db('grades as g')
    .join('grade_levels as gl', 'gl.code', 'g.grade_code')
    .select('g.*', 'gl.name_zh', 'gl.name_en');
}

export const toGradeLine = (r: Record<string, unknown>): GradeLine => ({
  ...base(r),
  ladder: r.ladder as Ladder,
  gradeCode: r.grade_code as string,
  nameZh: r.name_zh as string,
  nameEn: r.name_en as string,
  legacyTitle: r.legacy_title as string | null,
  probationUntil: r.probation_until as string | null,
});

export interface SlotLine extends TimelineBase {
  accountId: number;
  establishmentType: EstablishmentType;
  holderTownshipId: number | null;
  holderName: string;
}

export async function slotTimeline(db: Knex, personId: number): Promise<SlotLine[]> {
  const rows = await db('quota_slots as s')
    .join('quota_accounts as qa', 'qa.id', 's.account_id')
    .join('quota_holders as qh', 'qh.id', 'qa.holder_id')
    .leftJoin('regions as t', 't.id', 'qh.township_id')
    .leftJoin('county_departments as d', 'd.id', 'qh.department_id')
    .where('s.person_id', personId)
    .orderBy(timelineOrder('s'))
    .select(
      's.*',
      'qa.establishment_type',
      'qh.township_id',
      db.raw('coalesce(t.name, d.name) as holder_name'),
    );
  return rows.map((r: Record<string, unknown>) => ({
    ...base(r),
    accountId: r.account_id as number,
    establishmentType: r.establishment_type as EstablishmentType,
    holderTownshipId: r.township_id as number | null,
    holderName: r.holder_name as string,
  }));
}

export interface StatusLine extends TimelineBase {
  status: string;
}

export async function statusTimeline(db: Knex, personId: number): Promise<StatusLine[]> {
  const rows = await db('person_statuses as st')
    .where('st.person_id', personId)
    .orderBy(timelineOrder('st'))
    .select('st.*');
  return rows.map((r: Record<string, unknown>) => ({ ...base(r), status: r.status as string }));
}

// Assessments -------------------------------------------------------------------------------------------

export interface AssessmentLine {
  id: number;
  personId: number;
  year: number;
  result: string;
  docNo: string | null;
  correctsId: number | null;
  supersededAt: Date | null;
}

export const toAssessment = (row: unknown): AssessmentLine => {
  const r = row as Record<string, unknown>;
  return {
    id: r.id as number,
    personId: r.person_id as number,
    year: r.year as number,
    result: r.result as string,
    docNo: r.doc_no as string | null,
    correctsId: r.corrects_id as number | null,
    supersededAt: (r.superseded_at as Date | null) ?? null,
  };
};

export async function assessmentTimeline(db: Knex, personId: number): Promise<AssessmentLine[]> {
  const rows = await db('assessments')
    .where({ person_id: personId })
    .orderBy([
      { column: 'year', order: 'desc' },
      { column: 'id', order: 'desc' },
    ]);
  return rows.map(toAssessment);
}

/** Current (not corrected) results of people for some years. */
export async function currentAssessments(
  db: Knex,
  personIds: readonly number[],
  years: readonly number[],
): Promise<AssessmentLine[]> {
  if (personIds.length === 0) return [];
  const rows = await db('assessments')
    .whereIn('person_id', [...personIds])
    .whereIn('year', [...years])
    .whereNull('superseded_at');
  return rows.map(toAssessment);
}

export async function insertAssessment(
  trx: Knex.Transaction,
  a: { personId: number; year: number; result: string; docNo: string | null; correctsId: number | null },
): Promise<number> {
  const [row] = await trx('assessments')
    .insert({
      person_id: a.personId,
      year: a.year,
      result: a.result,
      doc_no: a.docNo,
      corrects_id: a.correctsId,
    })
    .returning('id');
  return (row as { id: number }).id;
}

export async function supersedeAssessment(trx: Knex.Transaction, id: number): Promise<void> {
  await trx('assessments').where({ id }).whereNull('superseded_at').update({ superseded_at: trx.fn.now() });
}

// Sanctions ---------------------------------------------------------------------------------------------

export interface SanctionFields {
  kindCode: string;
  decidedOn: string;
  closedOn: string | null;
  reason: string;
  docNo: string | null;
}

export interface SanctionLine extends SanctionFields {
  id: number;
  category: string;
  nameZh: string;
  nameEn: string;
  impactMonths: number | null;
  correctsId: number | null;
  supersededAt: Date | null;
}

const sanctionColumns = (s: SanctionFields) => ({
  kind_code: s.kindCode,
  decided_on: s.decidedOn,
  closed_on: s.closedOn,
  reason: s.reason,
  doc_no: s.docNo,
});

export async function sanctionTimeline(db: Knex, personId: number): Promise<SanctionLine[]> {
  const rows = await db('sanctions as s')
    .join('sanction_kinds as k', 'k.code', 's.kind_code')
    .where('s.person_id', personId)
    .orderBy([
      { column: 's.decided_on', order: 'desc' },
      { column: 's.id', order: 'desc' },
    ])
    .select('s.*', 'k.category', 'k.name_zh', 'k.name_en', 'k.impact_months');
  return rows.map((r: Record<string, unknown>) => ({
    id: r.id as number,
    kindCode: r.kind_code as string,
    decidedOn: r.decided_on as string,
    closedOn: r.closed_on as string | null,
    reason: r.reason as string,
    docNo: r.doc_no as string | null,
    category: r.category as string,
    nameZh: r.name_zh as string,
    nameEn: r.name_en as string,
    impactMonths: r.impact_months as number | null,
    correctsId: r.corrects_id as number | null,
    supersededAt: (r.superseded_at as Date | null) ?? null,
  }));
}

export async function findSanction(
  db: Knex,
  personId: number,
  id: number,
): Promise<(SanctionFields & { id: number; supersededAt: Date | null }) | undefined> {
  const r = await db('sanctions').where({ id, person_id: personId }).first();
  if (!r) return undefined;
  return {
    id: r.id,
    kindCode: r.kind_code,
    decidedOn: r.decided_on,
    closedOn: r.closed_on,
    reason: r.reason,
    docNo: r.doc_no,
    supersededAt: r.superseded_at,
  };
}

export async function findSameSanction(
  db: Knex,
  personId: number,
  s: SanctionFields,
): Promise<number | undefined> {
  const q = db('sanctions')
    .where({ person_id: personId, kind_code: s.kindCode, decided_on: s.decidedOn, reason: s.reason })
    .whereNull('superseded_at');
  if (s.docNo === null) q.whereNull('doc_no');
  else q.where('doc_no', s.docNo);
  if (s.closedOn === null) q.whereNull('closed_on');
  else q.where('closed_on', s.closedOn);
  const row = await q.first('id');
  return row?.id;
}

export async function insertSanction(
  trx: Knex.Transaction,
  personId: number,
  s: SanctionFields,
  correctsId: number | null,
): Promise<number> {
  const [row] = await trx('sanctions')
    .insert({ person_id: personId, ...sanctionColumns(s), corrects_id: correctsId })
    .returning('id');
  return (row as { id: number }).id;
}

export async function supersedeSanction(trx: Knex.Transaction, id: number): Promise<boolean> {
  const n = await trx('sanctions')
    .where({ id })
    .whereNull('superseded_at')
    .update({ superseded_at: trx.fn.now() });
  return Number(n) === 1;
}

/** Ends an open investigation (closed_on set once). */
export async function closeSanction(trx: Knex.Transaction, id: number, closedOn: string): Promise<boolean> {
  const n = await trx('sanctions')
    .where({ id })
    .whereNull('closed_on')
    .whereNull('superseded_at')
    .update({ closed_on: closedOn });
  return Number(n) === 1;
}
