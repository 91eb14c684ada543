import type { Knex } from 'knex';
import type { MovementKind, MovementState } from '../../domain/movements.js';
import type { AssignmentKind, EstablishmentType } from '../tables.js';
import { personTownshipsQuery } from './scope.js';
import { joinUnitVersionOn } from './unitVersions.js';

/**
 * Reads behind the county reports (报表). Every function takes the townships to cover as one array parameter
 * (`= any(?)`) and answers in one statement whatever their number, so a report costs a fixed number of queries.
 * Quota usage and leadership slots come from quota.ts `usage()` and leadership.ts `slotsOfTownships()`, the
 * queries the establishment pages use; what is here is only what no page needed before.
 */

const inForce = (alias: string, asOf: string) => (q: Knex.QueryBuilder) =>
  q
    .whereNull(`${alias}.superseded_at`)
    .andWhere(`${alias}.valid_from`, '<=', asOf)
    .andWhere((w) => w.whereNull(`${alias}.valid_to`).orWhere(`${alias}.valid_to`, '>', asOf));

/** The approval of a movement request: the 文号 of its last approval step, when one was given. */
const approvalDocNoSql = `(SELECT ma.doc_no FROM movement_actions ma
  WHERE ma.request_id = m.id AND ma.action = 'approve' AND ma.doc_no IS NOT NULL AND ma.doc_no <> ''
  ORDER BY ma.id DESC LIMIT 1)`;

export interface CountyDepartmentRef {
  id: number;
  countyId: number;
  name: string;
}

/** The county departments (holders of dispatched units' quota) of counties. */
export async function departmentsOfCounties(
  db: Knex,
  countyIds: readonly number[],
): Promise<CountyDepartmentRef[]> {
  const rows = await db('county_departments')
    .whereRaw('county_id = any(?::int[])', [[...countyIds]])
    .orderBy(['county_id', 'id'])
    .select('id', 'county_id', 'name');
  return rows.map((r) => ({ id: r.id, countyId: r.county_id, name: r.name }));
}

export interface CrossTypePlacement {
  assignmentId: number;
  personId: number;
  personName: string;
  assignmentKind: AssignmentKind;
  since: string;
  assignmentDocNo: string | null;
  townshipId: number;
  postId: number;
  postName: string;
  unitName: string | null;
  postTypes: EstablishmentType[];
  personType: EstablishmentType;
  /** The post is a recorded cross-type post (set by an approved 同岗不同编 movement or a post decision). */
  crossTypePost: boolean;
  postDocNo: string | null;
  /** The approved or filed movement that put the person in this post, a cross-type one first. */
  movement: {
    id: number;
    kind: MovementKind;
    state: MovementState;
    docNo: string | null;
    approvalDocNo: string | null;
    effectiveOn: string;
  } | null;
}

/**
 * 同岗不同编: everyone holding a post of the townships on the date whose quota slot's establishment type is not
 * one the post takes (the establishment page's `crossType`), with the approval where one is recorded.
 */
export async function crossTypePlacements(
  db: Knex,
  townshipIds: readonly number[],
  asOf: string,
): Promise<CrossTypePlacement[]> {
  if (townshipIds.length === 0) return [];
  const q = db('assignments as a')
    .modify(inForce('a', asOf))
    .join('posts as p', 'p.id', 'a.post_id')
    .join('people as pe', 'pe.id', 'a.person_id')
    .join('quota_slots as s', (j) => j.on('s.person_id', 'a.person_id'))
    .modify(inForce('s', asOf))
    .join('quota_accounts as qa', 'qa.id', 's.account_id')
    .whereRaw('p.township_id = any(?::int[])', [[...townshipIds]])
    .whereRaw('NOT (qa.establishment_type = any(p.establishment_types))');
  joinUnitVersionOn(q, 'p.unit_id', { date: asOf });
  q.joinRaw(
    `LEFT JOIN LATERAL (
      SELECT m.id, m.kind, m.state, m.doc_no, m.effective_on, ${approvalDocNoSql} AS approval_doc_no
      FROM movement_requests m
      WHERE m.person_id = a.person_id AND m.to_post_id = a.post_id AND m.state IN ('approved', 'filed')
        AND m.effective_on <= ?
      ORDER BY (m.kind = 'cross_type') DESC, m.effective_on DESC, m.id DESC LIMIT 1
    ) mv ON true`,
    [asOf],
  );
  const rows = await q
    .select(
      'a.id as assignment_id',
      'a.person_id',
      'pe.name as person_name',
      'a.kind as assignment_kind',
      'a.valid_from',
      'a.doc_no as assignment_doc_no',
      'p.township_id',
      'p.id as post_id',
      'p.name as post_name',
      'uv.name as unit_name',
      'p.establishment_types',
      'p.cross_type',
      'p.doc_no as post_doc_no',
      'qa.establishment_type as person_type',
      'mv.id as movement_id',
      'mv.kind as movement_kind',
      'mv.state as movement_state',
      'mv.doc_no as movement_doc_no',
      'mv.approval_doc_no',
      'mv.effective_on as movement_effective_on',
      'pe.surname_strokes',
      'pe.name_pinyin',
    )
    .orderBy([
      { column: 'p.township_id' },
      { column: 'pe.surname_strokes' },
      { column: 'pe.name_pinyin' },
      { column: 'a.id' },
    ]);
  return rows.map((r: Record<string, unknown>) => ({
    assignmentId: r.assignment_id as number,
    personId: r.person_id as number,
    personName: r.person_name as string,
    assignmentKind: r.assignment_kind as AssignmentKind,
    since: r.valid_from as string,
    assignmentDocNo: r.assignment_doc_no as string | null,
    townshipId: r.township_id as number,
    postId: r.post_id as number,
    postName: r.post_name as string,
    unitName: (r.unit_name as string | null) ?? null,
    postTypes: r.establishment_types as EstablishmentType[],
    personType: r.person_type as EstablishmentType,
    crossTypePost: r.cross_type as boolean,
    postDocNo: r.post_doc_no as string | null,
    movement: r.movement_id
      ? {
          id: r.movement_id as number,
          kind: r.movement_kind as MovementKind,
          state: r.movement_state as MovementState,
          docNo: (r.movement_doc_no as string | null) || null,
          approvalDocNo: (r.approval_doc_no as string | null) || null,
          effectiveOn: r.movement_effective_on as string,
        }
      : null,
  }));
}

export interface SecondmentInForce {
  assignmentId: number;
  personId: number;
  personName: string;
  since: string;
  plannedUntil: string;
  /** The actual end when recorded (after the date asked about: the secondment was still running then). */
  endedOn: string | null;
  /** Where the person works: the post in the destination township. */
  destinationTownshipId: number;
  postName: string;
  unitName: string | null;
  /** Where the person's quota slot is held (在编): a township, or a county department for dispatched staff. */
  homeTownshipId: number | null;
  homeHolderName: string | null;
  establishmentType: EstablishmentType | null;
  movement: { id: number; docNo: string | null; approvalDocNo: string | null } | null;
}

/**
 * 在编不在岗: secondments (借调: assignments of kind secondment) in force on the date whose destination or home
 * (the township holding the person's quota slot, else that of their primary post) is one of the townships, with
 * the approved movement request behind each where there is one.
 */
export async function secondmentsInForce(
  db: Knex,
  townshipIds: readonly number[],
  asOf: string,
): Promise<SecondmentInForce[]> {
  if (townshipIds.length === 0) return [];
  const ids = [...townshipIds];
  const q = db('assignments as a')
    .modify(inForce('a', asOf))
    .where('a.kind', 'secondment')
    .join('posts as p', 'p.id', 'a.post_id')
    .join('people as pe', 'pe.id', 'a.person_id');
  joinUnitVersionOn(q, 'p.unit_id', { date: asOf });
  q.joinRaw(
    `LEFT JOIN LATERAL (
      SELECT qh.township_id, coalesce(ht.name, hd.name) AS holder_name, qa.establishment_type
      FROM quota_slots s JOIN quota_accounts qa ON qa.id = s.account_id
      JOIN quota_holders qh ON qh.id = qa.holder_id
      LEFT JOIN regions ht ON ht.id = qh.township_id
      LEFT JOIN county_departments hd ON hd.id = qh.department_id
      WHERE s.person_id = a.person_id AND s.superseded_at IS NULL AND s.valid_from <= ?
        AND (s.valid_to IS NULL OR s.valid_to > ?)
      LIMIT 1
    ) slot ON true`,
    [asOf, asOf],
  )
    .joinRaw(
      `LEFT JOIN LATERAL (
      SELECT hp.township_id FROM assignments h JOIN posts hp ON hp.id = h.post_id
      WHERE h.person_id = a.person_id AND h.kind = 'primary' AND h.superseded_at IS NULL
        AND h.valid_from <= ? AND (h.valid_to IS NULL OR h.valid_to > ?)
      LIMIT 1
    ) home ON true`,
      [asOf, asOf],
    )
    .joinRaw(
      `LEFT JOIN LATERAL (
      SELECT m.id, m.doc_no, ${approvalDocNoSql} AS approval_doc_no FROM movement_requests m
      WHERE m.person_id = a.person_id AND m.kind = 'secondment' AND m.to_post_id = a.post_id
        AND m.state IN ('approved', 'filed') AND m.effective_on = a.valid_from
      ORDER BY m.id DESC LIMIT 1
    ) mv ON true`,
    )
    .where((w) =>
      w
        .whereRaw('p.township_id = any(?::int[])', [ids])
        .orWhereRaw('coalesce(slot.township_id, home.township_id) = any(?::int[])', [ids]),
    );
  const rows = await q
    .select(
      'a.id as assignment_id',
      'a.person_id',
      'pe.name as person_name',
      'a.valid_from',
      'a.planned_until',
      'a.valid_to',
      'p.township_id as destination_id',
      'p.name as post_name',
      'uv.name as unit_name',
      db.raw('coalesce(slot.township_id, home.township_id) as home_township_id'),
      'slot.holder_name',
      'slot.establishment_type',
      'mv.id as movement_id',
      'mv.doc_no as movement_doc_no',
      'mv.approval_doc_no',
    )
    .orderBy([{ column: 'a.planned_until' }, { column: 'a.id' }]);
  return rows.map((r: Record<string, unknown>) => ({
    assignmentId: r.assignment_id as number,
    personId: r.person_id as number,
    personName: r.person_name as string,
    since: r.valid_from as string,
    plannedUntil: r.planned_until as string,
    endedOn: r.valid_to as string | null,
    destinationTownshipId: r.destination_id as number,
    postName: r.post_name as string,
    unitName: (r.unit_name as string | null) ?? null,
    homeTownshipId: (r.home_township_id as number | null) ?? null,
    homeHolderName: (r.holder_name as string | null) ?? null,
    establishmentType: (r.establishment_type as EstablishmentType | null) ?? null,
    movement: r.movement_id
      ? {
          id: r.movement_id as number,
          docNo: (r.movement_doc_no as string | null) || null,
          approvalDocNo: (r.approval_doc_no as string | null) || null,
        }
      : null,
  }));
}

export interface WorkforceMember {
  personId: number;
  townshipId: number;
  establishmentType: EstablishmentType | null;
  gender: 'male' | 'female';
  birthDate: string;
  ethnicity: string;
  politicalStatus: string;
  partyJoinedOn: string | null;
  /** Education levels completed by the date (graduated then, or no graduation date recorded). */
  educationLevels: string[];
}

/**
 * People in service (status active) on the date, each once, in the township they belong to: the township
 * holding their quota slot, else that of their primary post (dispatched units' staff hold a county department's
 * quota), else the township keeping a record not yet placed. Their slot's type is the establishment type.
 */
export async function workforceOn(
  db: Knex,
  townshipIds: readonly number[],
  asOf: string,
): Promise<WorkforceMember[]> {
  if (townshipIds.length === 0) return [];
  const rows = await db('people as pe')
    .join(
      db('person_statuses as st')
        .modify(inForce('st', asOf))
        .where('st.status', 'active')
        .select('st.person_id')
        .as('act'),
      'act.person_id',
      'pe.id',
    )
    .joinRaw(
      `LEFT JOIN LATERAL (
        SELECT qh.township_id, qa.establishment_type FROM quota_slots s
        JOIN quota_accounts qa ON qa.id = s.account_id JOIN quota_holders qh ON qh.id = qa.holder_id
        WHERE s.person_id = pe.id AND s.superseded_at IS NULL AND s.valid_from <= ?
          AND (s.valid_to IS NULL OR s.valid_to > ?)
        LIMIT 1
      ) slot ON true`,
      [asOf, asOf],
    )
    .joinRaw(
      `LEFT JOIN LATERAL (
        SELECT p.township_id FROM assignments a JOIN posts p ON p.id = a.post_id
        WHERE a.person_id = pe.id AND a.kind = 'primary' AND a.superseded_at IS NULL AND a.valid_from <= ?
          AND (a.valid_to IS NULL OR a.valid_to > ?)
        LIMIT 1
      ) post ON true`,
      [asOf, asOf],
    )
    .whereRaw('coalesce(slot.township_id, post.township_id, pe.registered_township_id) = any(?::int[])', [
      [...townshipIds],
    ])
    .select(
      'pe.id',
      db.raw('coalesce(slot.township_id, post.township_id, pe.registered_township_id) as township_id'),
      'slot.establishment_type',
      'pe.gender',
      'pe.birth_date',
      'pe.ethnicity',
      'pe.political_status',
      'pe.party_joined_on',
      db.raw(
        `coalesce((SELECT array_agg(e.level ORDER BY e.level) FROM educations e WHERE e.person_id = pe.id
          AND (e.graduated_on IS NULL OR e.graduated_on <= ?)), '{}') as education_levels`,
        [asOf],
      ),
    )
    .orderBy('pe.id');
  return rows.map((r: Record<string, unknown>) => ({
    personId: r.id as number,
    townshipId: r.township_id as number,
    establishmentType: (r.establishment_type as EstablishmentType | null) ?? null,
    gender: r.gender as 'male' | 'female',
    birthDate: r.birth_date as string,
    ethnicity: r.ethnicity as string,
    politicalStatus: r.political_status as string,
    partyJoinedOn: r.party_joined_on as string | null,
    educationLevels: (r.education_levels as string[] | null) ?? [],
  }));
}

/**
 * Members of the townships on the date as the township eligibility list counts them (personTownshipsQuery:
 * a secondee belongs to both townships), with their status then; people no longer in service are left out.
 */
export async function eligibilityMembers(
  db: Knex,
  townshipIds: readonly number[],
  asOf: string,
): Promise<Array<{ personId: number; townshipId: number }>> {
  if (townshipIds.length === 0) return [];
  const rows = await db
    .from(personTownshipsQuery(db, asOf, { townshipIds }).as('pt'))
    .whereRaw('pt.township_id = any(?::int[])', [[...townshipIds]])
    .leftJoin(
      db('person_statuses as st').modify(inForce('st', asOf)).select('st.person_id', 'st.status').as('st'),
      'st.person_id',
      'pt.person_id',
    )
    .where((w) => w.whereNull('st.status').orWhere('st.status', 'active'))
    .distinct('pt.person_id', 'pt.township_id')
    .orderBy(['pt.township_id', 'pt.person_id']);
  return rows.map((r: { person_id: number; township_id: number }) => ({
    personId: r.person_id,
    townshipId: r.township_id,
  }));
}
