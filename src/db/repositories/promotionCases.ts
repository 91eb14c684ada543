import type { Knex } from 'knex';
import type { CaseState, TargetLevel } from '../../domain/promotionCase.js';
import { personTownshipsQuery } from './scope.js';
import { joinUnitVersionOn } from './unitVersions.js';

/** Selection cases (选拔任用): rows to camelCase, the case with its seat, steps, people and party opinion. */

export interface PromotionCase {
  id: number;
  countyId: number;
  townshipId: number;
  townshipName: string;
  postId: number;
  postName: string;
  unitId: number | null;
  unitName: string | null;
  leadershipKind: string | null;
  targetLevel: TargetLevel;
  dispatched: boolean;
  state: CaseState;
  version: number;
  reason: string;
  proposedRemoval: string;
  appointeePersonId: number | null;
  appointeeName: string | null;
  publicityStartsOn: string | null;
  publicityEndsOn: string | null;
  appointedOn: string | null;
  appointmentDocNo: string | null;
  probationUntil: string | null;
  assignmentId: number | null;
  gradeId: number | null;
  closedOn: string | null;
  proposerUserId: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface CaseStep {
  id: number;
  action: string;
  fromState: string | null;
  toState: string;
  actorName: string;
  side: 'township' | 'county';
  actedAt: Date;
  actedOn: string;
  comment: string;
  docNo: string | null;
  attachments: string[];
  details: Record<string, unknown>;
}

export interface CasePerson {
  personId: number;
  name: string;
  votes: number | null;
  candidate: boolean;
}

// biome-ignore lint/suspicious/noExplicitAny: a joined row
const toCase = (r: any): PromotionCase => ({
  id: r.id,
  countyId: r.county_id,
  townshipId: r.township_id,
  townshipName: r.township_name,
  postId: r.post_id,
  postName: r.post_name,
  unitId: r.unit_id,
  unitName: r.unit_name ?? null,
  leadershipKind: r.leadership_kind,
  targetLevel: r.target_level,
  dispatched: r.dispatched,
  state: r.state,
  version: r.version,
  reason: r.reason,
  proposedRemoval: r.proposed_removal,
  appointeePersonId: r.appointee_person_id,
  appointeeName: r.appointee_name ?? null,
  publicityStartsOn: r.publicity_starts_on,
  publicityEndsOn: r.publicity_ends_on,
  appointedOn: r.appointed_on,
  appointmentDocNo: r.appointment_doc_no,
  probationUntil: r.probation_until,
  assignmentId: r.assignment_id,
  gradeId: r.grade_id,
  closedOn: r.closed_on,
  proposerUserId: r.proposer_user_id,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

function caseQuery(db: Knex) {
  return joinUnitVersionOn(
    db('promotion_cases as c')
      .join('posts as p', 'p.id', 'c.post_id')
      .join('regions as t', 't.id', 'c.township_id')
      .leftJoin('people as ap', 'ap.id', 'c.appointee_person_id'),
    'p.unit_id',
    // The unit's current name (its latest version).
    { date: '9999-12-31' },
  ).select(
    'c.*',
    'p.name as post_name',
    'p.unit_id',
    'p.leadership_kind',
    't.name as township_name',
    'uv.name as unit_name',
    'ap.name as appointee_name',
  );
}

export async function findCase(db: Knex, id: number): Promise<PromotionCase | null> {
  const row = await caseQuery(db).where('c.id', id).first();
  return row ? toCase(row) : null;
}

export interface CaseFilter {
  /** null = every township (administrator). */
  townshipIds: readonly number[] | null;
  states?: readonly CaseState[];
  personId?: number;
}

export async function listCases(db: Knex, f: CaseFilter): Promise<PromotionCase[]> {
  const q = caseQuery(db).orderBy([
    { column: 'c.updated_at', order: 'desc' },
    { column: 'c.id', order: 'desc' },
  ]);
  if (f.townshipIds) q.whereRaw('c.township_id = any(?::int[])', [[...f.townshipIds]]);
  if (f.states?.length) q.whereIn('c.state', [...f.states]);
  if (f.personId) q.where('c.appointee_person_id', f.personId);
  return (await q).map(toCase);
}

export async function lockCase(trx: Knex.Transaction, id: number): Promise<void> {
  await trx('promotion_cases').where({ id }).forUpdate().first('id');
}

export async function insertCase(
  trx: Knex.Transaction,
  c: {
    countyId: number;
    townshipId: number;
    postId: number;
    targetLevel: TargetLevel;
    dispatched: boolean;
    reason: string;
    proposedRemoval: string;
    proposerUserId: number;
  },
): Promise<number> {
  const [row] = await trx('promotion_cases')
    .insert({
      county_id: c.countyId,
      township_id: c.townshipId,
      post_id: c.postId,
      target_level: c.targetLevel,
      dispatched: c.dispatched,
      reason: c.reason,
      proposed_removal: c.proposedRemoval,
      proposer_user_id: c.proposerUserId,
    })
    .returning('id');
  return (row as { id: number }).id;
}

/** Moves the case on: the new state and fields, the version one up. */
export async function updateCase(
  trx: Knex.Transaction,
  id: number,
  patch: Record<string, unknown>,
): Promise<void> {
  await trx('promotion_cases')
    .where({ id })
    .update({ ...patch, version: trx.raw('version + 1'), updated_at: trx.fn.now() });
}

export async function insertStep(
  trx: Knex.Transaction,
  s: {
    caseId: number;
    action: string;
    fromState: string | null;
    toState: string;
    actorUserId: number;
    side: 'township' | 'county';
    actedOn: string;
    comment: string;
    docNo: string | null;
    attachments: string[];
    details: Record<string, unknown>;
  },
): Promise<void> {
  await trx('promotion_case_steps').insert({
    case_id: s.caseId,
    action: s.action,
    from_state: s.fromState,
    to_state: s.toState,
    actor_user_id: s.actorUserId,
    side: s.side,
    acted_on: s.actedOn,
    comment: s.comment,
    doc_no: s.docNo,
    attachments: s.attachments,
    details: JSON.stringify(s.details),
  });
}

export async function steps(db: Knex, caseId: number): Promise<CaseStep[]> {
  const rows = await db('promotion_case_steps as s')
    .join('users as u', 'u.id', 's.actor_user_id')
    .where('s.case_id', caseId)
    .orderBy('s.id')
    .select('s.*', 'u.display_name as actor_name');
  return rows.map((r) => ({
    id: r.id,
    action: r.action,
    fromState: r.from_state,
    toState: r.to_state,
    actorName: r.actor_name,
    side: r.side,
    actedAt: r.acted_at,
    actedOn: r.acted_on,
    comment: r.comment,
    docNo: r.doc_no,
    attachments: r.attachments ?? [],
    details: (typeof r.details === 'string' ? JSON.parse(r.details) : r.details) ?? {},
  }));
}

export async function latestStep(db: Knex, caseId: number): Promise<CaseStep | null> {
  const all = await steps(db, caseId);
  return all[all.length - 1] ?? null;
}

export async function people(db: Knex, caseId: number): Promise<CasePerson[]> {
  const rows = await db('promotion_case_people as cp')
    .join('people as p', 'p.id', 'cp.person_id')
    .where('cp.case_id', caseId)
    .orderBy([
      { column: 'cp.votes', order: 'desc', nulls: 'last' },
      { column: 'p.surname_strokes' },
      { column: 'p.id' },
    ])
    .select('cp.person_id', 'p.name', 'cp.votes', 'cp.candidate');
  return rows.map((r) => ({ personId: r.person_id, name: r.name, votes: r.votes, candidate: r.candidate }));
}

export async function setNominees(
  trx: Knex.Transaction,
  caseId: number,
  nominees: ReadonlyArray<{ personId: number; votes: number }>,
): Promise<void> {
  await trx('promotion_case_people').where({ case_id: caseId }).delete();
  if (nominees.length)
    await trx('promotion_case_people').insert(
      nominees.map((n) => ({ case_id: caseId, person_id: n.personId, votes: n.votes, candidate: false })),
    );
}

export async function setCandidates(trx: Knex.Transaction, caseId: number, personIds: readonly number[]) {
  await trx('promotion_case_people').where({ case_id: caseId }).update({ candidate: false });
  await trx('promotion_case_people')
    .where({ case_id: caseId })
    .whereIn('person_id', [...personIds])
    .update({ candidate: true });
}

export async function opinion(db: Knex, caseId: number) {
  const row = await db('promotion_case_opinions').where({ case_id: caseId }).first();
  return row
    ? { givenOn: row.given_on as string, docNo: row.doc_no as string, text: row.text as string }
    : null;
}

export async function insertOpinion(
  trx: Knex.Transaction,
  o: { caseId: number; givenOn: string; docNo: string; text: string; userId: number },
): Promise<void> {
  await trx('promotion_case_opinions').insert({
    case_id: o.caseId,
    given_on: o.givenOn,
    doc_no: o.docNo,
    text: o.text,
    recorded_by: o.userId,
  });
}

/** People of the township on a date (for nominations), by surname strokes. */
export async function townshipPeople(db: Knex, townshipId: number, on: string) {
  return db
    .from(personTownshipsQuery(db, on).as('pt'))
    .join('people as p', 'p.id', 'pt.person_id')
    .where('pt.township_id', townshipId)
    .distinct('p.id', 'p.name', 'p.surname_strokes')
    .orderBy([{ column: 'p.surname_strokes' }, { column: 'p.id' }]) as Promise<
    Array<{ id: number; name: string; surname_strokes: number }>
  >;
}

/** Leadership seats of a township a case may fill on a date: township leadership posts and unit heads. */
export async function seatsOfTownship(db: Knex, townshipId: number, on: string) {
  const rows = await joinUnitVersionOn(
    db('posts as p').leftJoin('units as u', 'u.id', 'p.unit_id'),
    'p.unit_id',
    { date: on },
  )
    .leftJoin('leadership_kinds as lk', 'lk.code', 'p.leadership_kind')
    .where('p.township_id', townshipId)
    .whereNotNull('p.leadership_kind')
    .andWhere((q) => q.whereNull('p.unit_id').orWhere('p.leadership_kind', 'unit_head'))
    .andWhere('p.opened_on', '<=', on)
    .andWhere((q) => q.whereNull('p.closed_on').orWhere('p.closed_on', '>', on))
    .orderBy([{ column: 'lk.sort_order' }, { column: 'p.sort_order' }, { column: 'p.id' }])
    .select(
      'p.id',
      'p.name',
      'p.unit_id',
      'uv.name as unit_name',
      'u.kind as unit_kind',
      'uv.rank as unit_rank',
      'lk.rank as leader_rank',
    );
  return rows as Array<{
    id: number;
    name: string;
    unit_id: number | null;
    unit_name: string | null;
    unit_kind: string | null;
    unit_rank: string | null;
    leader_rank: string | null;
  }>;
}

/** Relatives on record who are themselves in the roster (for 回避). */
export async function relativesOf(db: Knex, personId: number) {
  const rows = await db('family_members')
    .where({ person_id: personId })
    .whereNotNull('related_person_id')
    .select('relation', 'related_person_id');
  return rows.map((r) => ({
    relation: r.relation as string,
    relatedPersonId: r.related_person_id as number,
  }));
}

/** People holding a post in the unit on a date. */
export async function unitMembersOn(db: Knex, unitId: number, on: string): Promise<Set<number>> {
  const rows = await db('assignments as a')
    .join('posts as p', 'p.id', 'a.post_id')
    .where('p.unit_id', unitId)
    .whereNull('a.superseded_at')
    .andWhere('a.valid_from', '<=', on)
    .andWhere((q) => q.whereNull('a.valid_to').orWhere('a.valid_to', '>', on))
    .select('a.person_id');
  return new Set(rows.map((r) => r.person_id as number));
}

/** The leadership grade in force on a date (乡科级正职/副职). */
export async function leadershipGradeOn(db: Knex, personId: number, on: string) {
  return db('grades')
    .where({ person_id: personId, ladder: 'leadership_level' })
    .whereNull('superseded_at')
    .andWhere('valid_from', '<=', on)
    .andWhere((q) => q.whereNull('valid_to').orWhere('valid_to', '>', on))
    .first('id', 'grade_code', 'valid_from') as Promise<
    { id: number; grade_code: string; valid_from: string } | undefined
  >;
}

export async function insertGrade(
  trx: Knex.Transaction,
  g: {
    personId: number;
    gradeCode: string;
    validFrom: string;
    probationUntil: string | null;
    reason: string;
    docNo: string;
  },
): Promise<number> {
  const [row] = await trx('grades')
    .insert({
      person_id: g.personId,
      ladder: 'leadership_level',
      grade_code: g.gradeCode,
      valid_from: g.validFrom,
      probation_until: g.probationUntil,
      reason: g.reason,
      doc_no: g.docNo,
    })
    .returning('id');
  return (row as { id: number }).id;
}

export async function endGrade(trx: Knex.Transaction, id: number, on: string): Promise<void> {
  await trx('grades').where({ id }).update({ valid_to: on });
}
