import type { Knex } from 'knex';
import type { EducationRow, FamilyMemberRow, PersonRow } from '../tables.js';
import { joinUnitVersionOn } from './unitVersions.js';

/**
 * Writes of the person record (appointment-form fields, photo, education, family) and the reads the edit
 * forms need. Functions of a knex handle or transaction; snake_case stops here.
 */

export interface PersonFields {
  idNumber: string;
  name: string;
  namePinyin: string;
  nameInitials: string;
  surnameStrokes: number;
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
}

export interface PersonDetails extends PersonFields {
  id: number;
  hasPhoto: boolean;
  registeredTownshipId: number | null;
  /** The optimistic-lock version of the edit form: updated_at in milliseconds. */
  version: string;
}

/** The people row of the form's fields (search keys derived by the caller); the import writes the same. */
export const personRow = (f: PersonFields) => ({
  id_number: f.idNumber,
  name: f.name,
  name_pinyin: f.namePinyin,
  name_initials: f.nameInitials,
  surname_strokes: f.surnameStrokes,
  gender: f.gender,
  birth_date: f.birthDate,
  ethnicity: f.ethnicity,
  native_place: f.nativePlace,
  birth_place: f.birthPlace,
  political_status: f.politicalStatus,
  party_joined_on: f.partyJoinedOn,
  work_started_on: f.workStartedOn,
  health: f.health,
  professional_title: f.professionalTitle,
  expertise: f.expertise,
});

/** The people columns PersonDetails is made of (toPersonDetails). */
export const personDetailColumns = [
  'id',
  'id_number',
  'name',
  'name_pinyin',
  'name_initials',
  'surname_strokes',
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
  'registered_township_id',
  'updated_at',
] as const;

export const toPersonDetails = (r: PersonRow): PersonDetails => ({
  id: r.id,
  idNumber: r.id_number,
  name: r.name,
  namePinyin: r.name_pinyin,
  nameInitials: r.name_initials,
  surnameStrokes: r.surname_strokes,
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
  registeredTownshipId: r.registered_township_id,
  version: String(new Date(r.updated_at).getTime()),
});

export async function personDetails(db: Knex, id: number): Promise<PersonDetails | undefined> {
  const row = await db('people')
    .where({ id })
    .first(...personDetailColumns);
  return row ? toPersonDetails(row as PersonRow) : undefined;
}

/**
 * Locks the person row for the rest of the transaction: every write to one person's record takes it first,
 * so double submits and concurrent edits of one record run one after the other.
 */
export async function lockPerson(trx: Knex.Transaction, id: number): Promise<PersonDetails | undefined> {
  const row = await trx('people')
    .where({ id })
    .forUpdate()
    .first(...personDetailColumns);
  return row ? toPersonDetails(row as PersonRow) : undefined;
}

export async function findByIdNumber(
  db: Knex,
  idNumber: string,
): Promise<{ id: number; name: string } | undefined> {
  return db('people').where({ id_number: idNumber }).first('id', 'name');
}

export async function insertPerson(
  trx: Knex.Transaction,
  fields: PersonFields,
  registeredTownshipId: number | null,
): Promise<number> {
  const [row] = await trx('people')
    .insert({ ...personRow(fields), registered_township_id: registeredTownshipId })
    .returning('id');
  return (row as { id: number }).id;
}

export async function updatePerson(trx: Knex.Transaction, id: number, fields: PersonFields): Promise<void> {
  await trx('people')
    .where({ id })
    .update({ ...personRow(fields), updated_at: trx.fn.now() });
}

/** Marks the record changed (its edit form's version) when a part of it other than the fields changes. */
export async function touchPerson(trx: Knex.Transaction, id: number): Promise<void> {
  await trx('people').where({ id }).update({ updated_at: trx.fn.now() });
}

export interface Photo {
  bytes: Buffer;
  mime: string;
  version: string;
}

export async function photoOf(db: Knex, id: number): Promise<Photo | undefined> {
  const row = await db('people')
    .where({ id })
    .whereNotNull('photo')
    .first('photo', 'photo_mime', 'updated_at');
  if (!row?.photo || !row.photo_mime) return undefined;
  return {
    bytes: Buffer.from(row.photo),
    mime: row.photo_mime,
    version: String(new Date(row.updated_at).getTime()),
  };
}

export async function setPhoto(
  trx: Knex.Transaction,
  id: number,
  photo: { bytes: Buffer; mime: string } | null,
): Promise<void> {
  await trx('people')
    .where({ id })
    .update({ photo: photo?.bytes ?? null, photo_mime: photo?.mime ?? null, updated_at: trx.fn.now() });
}

// Education -------------------------------------------------------------------------------------------

export interface EducationFields {
  mode: 'full_time' | 'in_service';
  level: string;
  degree: string | null;
  school: string;
  major: string;
  startedOn: string | null;
  graduatedOn: string | null;
}

export interface Education extends EducationFields {
  id: number;
}

const educationRow = (e: EducationFields) => ({
  mode: e.mode,
  level: e.level,
  degree: e.degree,
  school: e.school,
  major: e.major,
  started_on: e.startedOn,
  graduated_on: e.graduatedOn,
});

const toEducation = (r: EducationRow): Education => ({
  id: r.id,
  mode: r.mode,
  level: r.level,
  degree: r.degree,
  school: r.school,
  major: r.major,
  startedOn: r.started_on,
  graduatedOn: r.graduated_on,
});

export async function educationsWithIds(db: Knex, personId: number): Promise<Education[]> {
  const rows = await db('educations')
    .where({ person_id: personId })
    .orderBy([{ column: 'mode' }, { column: 'graduated_on' }, { column: 'id' }]);
  return rows.map(toEducation);
}

export async function findEducation(db: Knex, personId: number, id: number): Promise<Education | undefined> {
  const row = await db('educations').where({ person_id: personId, id }).first();
  return row ? toEducation(row) : undefined;
}

export async function findSameEducation(
  db: Knex,
  personId: number,
  e: EducationFields,
): Promise<number | undefined> {
  const row = await db('educations')
    .where({ person_id: personId, ...educationRow(e) })
    .first('id');
  return row?.id;
}

export async function insertEducation(
  trx: Knex.Transaction,
  personId: number,
  e: EducationFields,
): Promise<number> {
  const [row] = await trx('educations')
    .insert({ person_id: personId, ...educationRow(e) })
    .returning('id');
  return (row as { id: number }).id;
}

export async function updateEducation(trx: Knex.Transaction, id: number, e: EducationFields): Promise<void> {
  await trx('educations').where({ id }).update(educationRow(e));
}

export async function deleteEducation(trx: Knex.Transaction, id: number): Promise<void> {
  await trx('educations').where({ id }).delete();
}

// Family ----------------------------------------------------------------------------------------------

export interface FamilyFields {
  relation: string;
  name: string;
  birthDate: string | null;
  politicalStatus: string | null;
  workUnitAndPost: string;
  emigrated: boolean;
}

export interface FamilyMember extends FamilyFields {
  id: number;
  sortOrder: number;
}

const familyRow = (f: FamilyFields) => ({
  relation: f.relation,
  name: f.name,
  birth_date: f.birthDate,
  political_status: f.politicalStatus,
  work_unit_and_post: f.workUnitAndPost,
  emigrated: f.emigrated,
});

const toFamily = (r: FamilyMemberRow): FamilyMember => ({
  id: r.id,
  relation: r.relation,
  name: r.name,
  birthDate: r.birth_date,
  politicalStatus: r.political_status,
  workUnitAndPost: r.work_unit_and_post,
  emigrated: r.emigrated,
  sortOrder: r.sort_order,
});

export async function familyWithIds(db: Knex, personId: number): Promise<FamilyMember[]> {
  const rows = await db('family_members')
    .where({ person_id: personId })
    .orderBy([{ column: 'sort_order' }, { column: 'id' }]);
  return rows.map(toFamily);
}

export async function findFamilyMember(
  db: Knex,
  personId: number,
  id: number,
): Promise<FamilyMember | undefined> {
  const row = await db('family_members').where({ person_id: personId, id }).first();
  return row ? toFamily(row) : undefined;
}

export async function findSameFamilyMember(
  db: Knex,
  personId: number,
  f: FamilyFields,
): Promise<number | undefined> {
  const row = await db('family_members')
    .where({ person_id: personId, ...familyRow(f) })
    .first('id');
  return row?.id;
}

export async function insertFamilyMember(
  trx: Knex.Transaction,
  personId: number,
  f: FamilyFields,
): Promise<number> {
  const last = await trx('family_members')
    .where({ person_id: personId })
    .max<{ m: number | null }[]>('sort_order as m');
  const sortOrder = Number(last[0]?.m ?? 0) + 1;
  const [row] = await trx('family_members')
    .insert({ person_id: personId, ...familyRow(f), sort_order: sortOrder })
    .returning('id');
  return (row as { id: number }).id;
}

export async function updateFamilyMember(trx: Knex.Transaction, id: number, f: FamilyFields): Promise<void> {
  await trx('family_members').where({ id }).update(familyRow(f));
}

export async function deleteFamilyMember(trx: Knex.Transaction, id: number): Promise<void> {
  await trx('family_members').where({ id }).delete();
}

// Reference lists the forms offer ----------------------------------------------------------------------

export interface GradeLevel {
  code: string;
  ladder: string;
  step: number;
  nameZh: string;
  nameEn: string;
}

export async function gradeLevels(db: Knex): Promise<GradeLevel[]> {
  const rows = await db('grade_levels').orderBy([{ column: 'ladder' }, { column: 'step' }]);
  return rows.map((r) => ({
    code: r.code,
    ladder: r.ladder,
    step: r.step,
    nameZh: r.name_zh,
    nameEn: r.name_en,
  }));
}

export interface SanctionKind {
  code: string;
  category: string;
  impactMonths: number | null;
  nameZh: string;
  nameEn: string;
}

export async function sanctionKinds(db: Knex): Promise<SanctionKind[]> {
  const rows = await db('sanction_kinds').orderBy('sort_order');
  return rows.map((r) => ({
    code: r.code,
    category: r.category,
    impactMonths: r.impact_months,
    nameZh: r.name_zh,
    nameEn: r.name_en,
  }));
}

export interface PostChoice {
  id: number;
  name: string;
  townshipId: number;
  townshipName: string;
  unitId: number | null;
  unitName: string | null;
  unitKind: string | null;
  departmentId: number | null;
  establishmentTypes: string[];
  crossType: boolean;
  openedOn: string;
  closedOn: string | null;
  /** Someone holds the post on the date (any kind of assignment). */
  held: boolean;
}

/** Posts open on the date in the townships, with whether someone holds them then. */
export async function postChoices(
  db: Knex,
  townshipIds: readonly number[] | 'all',
  date: string,
): Promise<PostChoice[]> {
  const q = joinUnitVersionOn(
    db('posts as p')
      .join('regions as t', 't.id', 'p.township_id')
      .leftJoin('units as u', 'u.id', 'p.unit_id'),
    'p.unit_id',
    { date },
  )
    .where('p.opened_on', '<=', date)
    .andWhere((w) => w.whereNull('p.closed_on').orWhere('p.closed_on', '>', date))
    .select(
      'p.id',
      'p.name',
      'p.township_id',
      't.name as township_name',
      'p.unit_id',
      'uv.name as unit_name',
      'u.kind as unit_kind',
      'u.department_id',
      'p.establishment_types',
      'p.cross_type',
      'p.opened_on',
      'p.closed_on',
      db.raw(
        `exists (select 1 from assignments a where a.post_id = p.id and a.superseded_at is null
          and a.valid_from <= ? and (a.valid_to is null or a.valid_to > ?)) as held`,
        [date, date],
      ),
    )
    .orderBy([
      { column: 't.sort_order' },
      { column: 'p.township_id' },
      { column: 'u.sort_order' },
      { column: 'p.sort_order' },
      { column: 'p.id' },
    ]);
  if (townshipIds !== 'all') q.whereIn('p.township_id', [...townshipIds]);
  const rows = await q;
  return rows.map((r: Record<string, unknown>) => ({
    id: r.id as number,
    name: r.name as string,
    townshipId: r.township_id as number,
    townshipName: r.township_name as string,
    unitId: r.unit_id as number | null,
    unitName: r.unit_name as string | null,
    unitKind: r.unit_kind as string | null,
    departmentId: r.department_id as number | null,
    establishmentTypes: r.establishment_types as string[],
    crossType: r.cross_type as boolean,
    openedOn: r.opened_on as string,
    closedOn: r.closed_on as string | null,
    held: Boolean(r.held),
  }));
}

export async function findPost(db: Knex, postId: number): Promise<PostChoice | undefined> {
  const q = joinUnitVersionOn(
    db('posts as p')
      .join('regions as t', 't.id', 'p.township_id')
      .leftJoin('units as u', 'u.id', 'p.unit_id'),
    'p.unit_id',
    { date: '9999-12-31' },
  )
    .where('p.id', postId)
    .first(
      'p.id',
      'p.name',
      'p.township_id',
      't.name as township_name',
      'p.unit_id',
      'uv.name as unit_name',
      'u.kind as unit_kind',
      'u.department_id',
      'p.establishment_types',
      'p.cross_type',
      'p.opened_on',
      'p.closed_on',
    );
  const r = (await q) as Record<string, unknown> | undefined;
  if (!r) return undefined;
  return {
    id: r.id as number,
    name: r.name as string,
    townshipId: r.township_id as number,
    townshipName: r.township_name as string,
    unitId: r.unit_id as number | null,
    unitName: r.unit_name as string | null,
    unitKind: r.unit_kind as string | null,
    departmentId: r.department_id as number | null,
    establishmentTypes: r.establishment_types as string[],
    crossType: r.cross_type as boolean,
    openedOn: r.opened_on as string,
    closedOn: r.closed_on as string | null,
    held: false,
  };
}

export async function townshipNames(
  db: Knex,
  ids: readonly number[] | 'all',
): Promise<Array<{ id: number; name: string }>> {
  const q = db('regions')
    .where('kind', 'township')
    .orderBy([{ column: 'sort_order' }, { column: 'id' }])
    .select('id', 'name');
  if (ids !== 'all') q.whereIn('id', [...ids]);
  return q;
}

export interface AccountChoice {
  id: number;
  establishmentType: string;
  holderName: string;
  townshipId: number | null;
  departmentId: number | null;
  /** The county of a department holder (dispatched units' quota). */
  departmentCountyId: number | null;
}

const accountQuery = (db: Knex) =>
  db('quota_accounts as qa')
    .join('quota_holders as qh', 'qh.id', 'qa.holder_id')
    .leftJoin('regions as t', 't.id', 'qh.township_id')
    .leftJoin('county_departments as d', 'd.id', 'qh.department_id')
    .select(
      'qa.id',
      'qa.establishment_type',
      db.raw('coalesce(t.name, d.name) as holder_name'),
      'qh.township_id',
      'qh.department_id',
      'd.county_id as department_county_id',
    );

const toAccount = (r: Record<string, unknown>): AccountChoice => ({
  id: r.id as number,
  establishmentType: r.establishment_type as string,
  holderName: r.holder_name as string,
  townshipId: r.township_id as number | null,
  departmentId: r.department_id as number | null,
  departmentCountyId: r.department_county_id as number | null,
});

/** Quota accounts of the townships and of the county departments owning dispatched units there. */
export async function accountChoices(
  db: Knex,
  townshipIds: readonly number[] | 'all',
): Promise<AccountChoice[]> {
  const q = accountQuery(db).orderBy([{ column: 'qh.id' }, { column: 'qa.establishment_type' }]);
  if (townshipIds !== 'all') {
    const counties = db('regions')
      .whereIn('id', [...townshipIds])
      .select('parent_id');
    q.where((w) => w.whereIn('qh.township_id', [...townshipIds]).orWhereIn('d.county_id', counties));
  }
  const rows = await q;
  return rows.map((r: Record<string, unknown>) => toAccount(r));
}

export async function findAccount(db: Knex, id: number): Promise<AccountChoice | undefined> {
  const row = await accountQuery(db).where('qa.id', id).first();
  return row ? toAccount(row as Record<string, unknown>) : undefined;
}

/** The county a township belongs to. */
export async function countyOfTownship(db: Knex, townshipId: number): Promise<number | undefined> {
  const row = await db('regions').where({ id: townshipId, kind: 'township' }).first('parent_id');
  return row?.parent_id ?? undefined;
}
