import type { Knex } from 'knex';
import type { AssignmentKind, EstablishmentType, Ladder, PersonRow } from '../tables.js';
import { personTownshipsQuery } from './scope.js';
import { joinUnitVersionOn } from './unitVersions.js';

export interface Person {
  id: number;
  idNumber: string;
  name: string;
  gender: 'male' | 'female';
  birthDate: string;
  ethnicity: string;
  nativePlace: string;
  birthPlace: string;
  politicalStatus: string;
  partyJoinedOn: string | null;
  workStartedOn: string | null;
  health: string;
  professionalTitle: string;
  expertise: string;
  hasPhoto: boolean;
}

const toPerson = (r: PersonRow): Person => ({
  id: r.id,
  idNumber: r.id_number,
  name: r.name,
  gender: r.gender,
  birthDate: r.birth_date,
  ethnicity: r.ethnicity,
  nativePlace: r.native_place,
  birthPlace: r.birth_place,
  politicalStatus: r.political_status,
  partyJoinedOn: r.party_joined_on,
  workStartedOn: r.work_started_on,
  health: r.health,
  professionalTitle: r.professional_title,
  expertise: r.expertise,
  hasPhoto: r.photo_mime !== null,
});

const personColumns = [
  'id',
  'id_number',
  'name',
  'gender',
  'birth_date',
  'ethnicity',
  'native_place',
  'birth_place',
  'political_status',
  'party_joined_on',
  'work_started_on',
  'health',
  'professional_title',
  'expertise',
  'photo_mime',
] as const;

export async function findPerson(db: Knex, id: number): Promise<Person | undefined> {
  const row = await db('people')
    .where({ id })
    .first(...personColumns);
  return row ? toPerson(row as PersonRow) : undefined;
}

export interface AssignmentEntry {
  id: number;
  kind: AssignmentKind;
  postId: number;
  postName: string;
  unitId: number | null;
  unitName: string | null;
  townshipId: number;
  townshipName: string;
  validFrom: string;
  validTo: string | null;
  reason: string;
  docNo: string | null;
}

export async function assignmentsOf(db: Knex, personId: number): Promise<AssignmentEntry[]> {
  // The unit's name as it was when the assignment began (a resume names the body of the time).
  const rows = await joinUnitVersionOn(
    db('assignments as a')
      .join('posts as p', 'p.id', 'a.post_id')
      .join('regions as t', 't.id', 'p.township_id'),
    'p.unit_id',
    { column: 'a.valid_from' },
    'u',
  )
    .where('a.person_id', personId)
    .whereNull('a.superseded_at')
    .orderBy([
      { column: 'a.valid_from', order: 'desc' },
      { column: 'a.id', order: 'desc' },
    ])
    .select(
      'a.id',
      'a.kind',
      'a.post_id',
      'p.name as post_name',
      'p.unit_id',
      'u.name as unit_name',
      'p.township_id',
      't.name as township_name',
      'a.valid_from',
      'a.valid_to',
      'a.reason',
      'a.doc_no',
    );
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    postId: r.post_id,
    postName: r.post_name,
    unitId: r.unit_id,
    unitName: r.unit_name,
    townshipId: r.township_id,
    townshipName: r.township_name,
    validFrom: r.valid_from,
    validTo: r.valid_to,
    reason: r.reason,
    docNo: r.doc_no,
  }));
}

export interface GradeEntry {
  id: number;
  ladder: Ladder;
  gradeCode: string;
  nameZh: string;
  nameEn: string;
  legacyTitle: string | null;
  probationUntil: string | null;
  validFrom: string;
  validTo: string | null;
  reason: string;
  docNo: string | null;
}

export async function gradesOf(db: Knex, personId: number): Promise<GradeEntry[]> {
  const rows = await db('grades as g')
    .join('grade_levels as gl', 'gl.code', 'g.grade_code')
    .where('g.person_id', personId)
    .whereNull('g.superseded_at')
    .orderBy([
      { column: 'g.valid_from', order: 'desc' },
      { column: 'g.id', order: 'desc' },
    ])
    .select('g.*', 'gl.name_zh', 'gl.name_en');
  return rows.map((r) => ({
    id: r.id,
    ladder: r.ladder,
    gradeCode: r.grade_code,
    nameZh: r.name_zh,
    nameEn: r.name_en,
    legacyTitle: r.legacy_title,
    probationUntil: r.probation_until,
    validFrom: r.valid_from,
    validTo: r.valid_to,
    reason: r.reason,
    docNo: r.doc_no,
  }));
}

export interface QuotaSlotEntry {
  id: number;
  establishmentType: EstablishmentType;
  holderTownshipId: number | null;
  holderName: string;
  validFrom: string;
  validTo: string | null;
  reason: string;
  docNo: string | null;
}

export async function quotaSlotsOf(db: Knex, personId: number): Promise<QuotaSlotEntry[]> {
  const rows = await db('quota_slots as s')
    .join('quota_accounts as qa', 'qa.id', 's.account_id')
    .join('quota_holders as qh', 'qh.id', 'qa.holder_id')
    .leftJoin('regions as t', 't.id', 'qh.township_id')
    .leftJoin('county_departments as d', 'd.id', 'qh.department_id')
    .where('s.person_id', personId)
    .whereNull('s.superseded_at')
    .orderBy('s.valid_from', 'desc')
    .select(
      's.id',
      'qa.establishment_type',
      'qh.township_id',
      db.raw('coalesce(t.name, d.name) as holder_name'),
      's.valid_from',
      's.valid_to',
      's.reason',
      's.doc_no',
    );
  return rows.map((r: Record<string, unknown>) => ({
    id: r.id as number,
    establishmentType: r.establishment_type as EstablishmentType,
    holderTownshipId: r.township_id as number | null,
    holderName: r.holder_name as string,
    validFrom: r.valid_from as string,
    validTo: r.valid_to as string | null,
    reason: r.reason as string,
    docNo: r.doc_no as string | null,
  }));
}

export interface StatusEntry {
  status: string;
  validFrom: string;
  validTo: string | null;
  reason: string;
  docNo: string | null;
}

export async function statusesOf(db: Knex, personId: number): Promise<StatusEntry[]> {
  const rows = await db('person_statuses')
    .where({ person_id: personId })
    .whereNull('superseded_at')
    .orderBy('valid_from', 'desc');
  return rows.map((r) => ({
    status: r.status,
    validFrom: r.valid_from,
    validTo: r.valid_to,
    reason: r.reason,
    docNo: r.doc_no,
  }));
}

export interface AssessmentEntry {
  year: number;
  result: string;
  docNo: string | null;
}

export async function assessmentsOf(db: Knex, personId: number): Promise<AssessmentEntry[]> {
  const rows = await db('assessments')
    .where({ person_id: personId })
    .whereNull('superseded_at')
    .orderBy('year', 'desc');
  return rows.map((r) => ({ year: r.year, result: r.result, docNo: r.doc_no }));
}

export interface SanctionEntry {
  kindCode: string;
  category: string;
  nameZh: string;
  nameEn: string;
  impactMonths: number | null;
  decidedOn: string;
  closedOn: string | null;
  reason: string;
  docNo: string | null;
}

export async function sanctionsOf(db: Knex, personId: number): Promise<SanctionEntry[]> {
  const rows = await db('sanctions as s')
    .join('sanction_kinds as k', 'k.code', 's.kind_code')
    .where('s.person_id', personId)
    .whereNull('s.superseded_at')
    .orderBy('s.decided_on', 'desc')
    .select('s.*', 'k.category', 'k.name_zh', 'k.name_en', 'k.impact_months');
  return rows.map((r) => ({
    kindCode: r.kind_code,
    category: r.category,
    nameZh: r.name_zh,
    nameEn: r.name_en,
    impactMonths: r.impact_months,
    decidedOn: r.decided_on,
    closedOn: r.closed_on,
    reason: r.reason,
    docNo: r.doc_no,
  }));
}

export interface EducationEntry {
  mode: 'full_time' | 'in_service';
  level: string;
  degree: string | null;
  school: string;
  major: string;
  startedOn: string | null;
  graduatedOn: string | null;
}

export async function educationsOf(db: Knex, personId: number): Promise<EducationEntry[]> {
  const rows = await db('educations')
    .where({ person_id: personId })
    .orderBy([{ column: 'graduated_on' }, { column: 'id' }]);
  return rows.map((r) => ({
    mode: r.mode,
    level: r.level,
    degree: r.degree,
    school: r.school,
    major: r.major,
    startedOn: r.started_on,
    graduatedOn: r.graduated_on,
  }));
}

export interface FamilyEntry {
  relation: string;
  name: string;
  birthDate: string | null;
  politicalStatus: string | null;
  workUnitAndPost: string;
  emigrated: boolean;
}

export async function familyOf(db: Knex, personId: number): Promise<FamilyEntry[]> {
  const rows = await db('family_members')
    .where({ person_id: personId })
    .orderBy([{ column: 'sort_order' }, { column: 'id' }]);
  return rows.map((r) => ({
    relation: r.relation,
    name: r.name,
    birthDate: r.birth_date,
    politicalStatus: r.political_status,
    workUnitAndPost: r.work_unit_and_post,
    emigrated: r.emigrated,
  }));
}

export interface RosterEntry {
  id: number;
  name: string;
  gender: 'male' | 'female';
  birthDate: string;
  idNumber: string;
  surnameStrokes: number;
  namePinyin: string;
  postName: string | null;
  unitName: string | null;
  establishmentType: EstablishmentType | null;
  status: string | null;
}

/** Everyone belonging to the township on a date (see personTownshipsQuery), with their primary post. */
export async function rosterOfTownship(db: Knex, townshipId: number, asOf: string): Promise<RosterEntry[]> {
  const members = db
    .from(personTownshipsQuery(db, asOf, { townshipIds: [townshipId] }).as('pt'))
    .where('pt.township_id', townshipId)
    .distinct('pt.person_id');
  const rows = await db('people as pe')
    .whereIn('pe.id', members)
    .leftJoin(
      joinUnitVersionOn(
        db('assignments as a').join('posts as p', 'p.id', 'a.post_id'),
        'p.unit_id',
        { date: asOf },
        'u',
      )
        .where('a.kind', 'primary')
        .whereNull('a.superseded_at')
        .andWhere('a.valid_from', '<=', asOf)
        .andWhere((q) => q.whereNull('a.valid_to').orWhere('a.valid_to', '>', asOf))
        .select('a.person_id', 'p.name as post_name', 'u.name as unit_name')
        .as('cur'),
      'cur.person_id',
      'pe.id',
    )
    .leftJoin(
      db('quota_slots as s')
        .join('quota_accounts as qa', 'qa.id', 's.account_id')
        .whereNull('s.superseded_at')
        .andWhere('s.valid_from', '<=', asOf)
        .andWhere((q) => q.whereNull('s.valid_to').orWhere('s.valid_to', '>', asOf))
        .select('s.person_id', 'qa.establishment_type')
        .as('slot'),
      'slot.person_id',
      'pe.id',
    )
    .leftJoin(
      db('person_statuses')
        .whereNull('superseded_at')
        .andWhere('valid_from', '<=', asOf)
        .andWhere((q) => q.whereNull('valid_to').orWhere('valid_to', '>', asOf))
        .select('person_id', 'status')
        .as('st'),
      'st.person_id',
      'pe.id',
    )
    .select(
      'pe.id',
      'pe.name',
      'pe.gender',
      'pe.birth_date',
      'pe.id_number',
      'pe.surname_strokes',
      'pe.name_pinyin',
      'cur.post_name',
      'cur.unit_name',
      'slot.establishment_type',
      'st.status',
    )
    .orderBy([{ column: 'pe.surname_strokes' }, { column: 'pe.name_pinyin' }, { column: 'pe.id' }]);
  return rows.map((r: Record<string, unknown>) => ({
    id: r.id as number,
    name: r.name as string,
    gender: r.gender as 'male' | 'female',
    birthDate: r.birth_date as string,
    idNumber: r.id_number as string,
    surnameStrokes: r.surname_strokes as number,
    namePinyin: r.name_pinyin as string,
    postName: r.post_name as string | null,
    unitName: r.unit_name as string | null,
    establishmentType: r.establishment_type as EstablishmentType | null,
    status: r.status as string | null,
  }));
}

/** Active people per township on a date (the county overview's head count). */
export async function headcountByTownship(
  db: Knex,
  townshipIds: readonly number[],
  asOf: string,
): Promise<Map<number, number>> {
  if (townshipIds.length === 0) return new Map();
  const rows = await db
    .from(personTownshipsQuery(db, asOf, { townshipIds }).as('pt'))
    .whereExists(
      db('person_statuses as st')
        .whereRaw('st.person_id = pt.person_id')
        .whereNull('st.superseded_at')
        .andWhere('st.status', 'active')
        .andWhere('st.valid_from', '<=', asOf)
        .andWhere((q) => q.whereNull('st.valid_to').orWhere('st.valid_to', '>', asOf)),
    )
    .whereIn('pt.township_id', [...townshipIds])
    .groupBy('pt.township_id')
    .select('pt.township_id')
    .countDistinct('pt.person_id as n');
  return new Map(rows.map((r: Record<string, unknown>) => [r.township_id as number, Number(r.n)]));
}
