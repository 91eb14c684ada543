import type { Knex } from 'knex';
import type { Approver, MovementKind, MovementState, SubKind } from '../../domain/movements.js';
import { preparedRows } from '../prepared.js';
import type { EstablishmentType } from '../tables.js';
import { personTownshipsQuery } from './scope.js';
import { joinUnitVersionOn } from './unitVersions.js';

export interface MovementRow {
  id: number;
  countyId: number;
  fromTownshipId: number | null;
  toTownshipId: number | null;
  kind: MovementKind;
  subKind: SubKind | null;
  personId: number;
  toPostId: number | null;
  toEstablishmentType: EstablishmentType | null;
  effectiveOn: string;
  plannedUntil: string | null;
  reason: string;
  docNo: string | null;
  batchId: number | null;
  correctsId: number | null;
  state: MovementState;
  chain: Approver[];
  stage: number;
  version: number;
  proposerUserId: number;
  reservationId: number | null;
  submittedAt: Date | null;
  decidedAt: Date | null;
  createdAt: Date;
}

const toRow = (r: Record<string, unknown>): MovementRow => ({
  id: r.id as number,
  countyId: r.county_id as number,
  fromTownshipId: r.from_township_id as number | null,
  toTownshipId: r.to_township_id as number | null,
  kind: r.kind as MovementKind,
  subKind: r.sub_kind as SubKind | null,
  personId: r.person_id as number,
  toPostId: r.to_post_id as number | null,
  toEstablishmentType: r.to_establishment_type as EstablishmentType | null,
  effectiveOn: r.effective_on as string,
  plannedUntil: r.planned_until as string | null,
  reason: r.reason as string,
  docNo: r.doc_no as string | null,
  batchId: r.batch_id as number | null,
  correctsId: r.corrects_id as number | null,
  state: r.state as MovementState,
  chain: (r.chain as Approver[]) ?? [],
  stage: r.stage as number,
  version: r.version as number,
  proposerUserId: r.proposer_user_id as number,
  reservationId: r.reservation_id as number | null,
  submittedAt: r.submitted_at as Date | null,
  decidedAt: r.decided_at as Date | null,
  createdAt: r.created_at as Date,
});

export interface NewMovement {
  countyId: number;
  fromTownshipId: number | null;
  toTownshipId: number | null;
  kind: MovementKind;
  subKind: SubKind | null;
  personId: number;
  toPostId: number | null;
  toEstablishmentType: EstablishmentType | null;
  effectiveOn: string;
  plannedUntil: string | null;
  reason: string;
  docNo: string | null;
  batchId: number | null;
  correctsId: number | null;
  proposerUserId: number;
}

export async function insertMovement(trx: Knex.Transaction, m: NewMovement): Promise<number> {
  const [row] = await trx('movement_requests')
    .insert({
      county_id: m.countyId,
      from_township_id: m.fromTownshipId,
      to_township_id: m.toTownshipId,
      kind: m.kind,
      sub_kind: m.subKind,
      person_id: m.personId,
      to_post_id: m.toPostId,
      to_establishment_type: m.toEstablishmentType,
      effective_on: m.effectiveOn,
      planned_until: m.plannedUntil,
      reason: m.reason,
      doc_no: m.docNo,
      batch_id: m.batchId,
      corrects_id: m.correctsId,
      proposer_user_id: m.proposerUserId,
    })
    .returning('id');
  return (row as { id: number }).id;
}

/** Changes the editable fields of a draft or returned request. */
export async function updateMovementFields(
  trx: Knex.Transaction,
  id: number,
  m: Pick<
    NewMovement,
    | 'toPostId'
    | 'toTownshipId'
    | 'toEstablishmentType'
    | 'effectiveOn'
    | 'plannedUntil'
    | 'reason'
    | 'docNo'
    | 'subKind'
  >,
): Promise<void> {
  await trx('movement_requests')
    .where({ id })
    .update({
      to_post_id: m.toPostId,
      to_township_id: m.toTownshipId,
      to_establishment_type: m.toEstablishmentType,
      effective_on: m.effectiveOn,
      planned_until: m.plannedUntil,
      reason: m.reason,
      doc_no: m.docNo,
      sub_kind: m.subKind,
      version: trx.raw('version + 1'),
    });
}

export async function findMovement(db: Knex, id: number): Promise<MovementRow | undefined> {
  const row = await db('movement_requests').where({ id }).first();
  return row ? toRow(row) : undefined;
}

/** Locks the request row for a decision: two approvers deciding at once queue, the second sees the new version. */
export async function lockMovement(trx: Knex.Transaction, id: number): Promise<MovementRow | undefined> {
  const row = await trx('movement_requests').where({ id }).forUpdate().first();
  return row ? toRow(row) : undefined;
}

export async function lockBatchMembers(trx: Knex.Transaction, batchId: number): Promise<MovementRow[]> {
  const rows = await trx('movement_requests')
    .where({ batch_id: batchId })
    .orderBy('id')
    .forUpdate()
    .select('*');
  return rows.map(toRow);
}

export async function setState(
  trx: Knex.Transaction,
  id: number,
  patch: {
    state: MovementState;
    stage: number;
    chain?: readonly Approver[];
    reservationId?: number | null;
    submitted?: boolean;
    decided?: boolean;
  },
): Promise<number> {
  const [row] = await trx('movement_requests')
    .where({ id })
    .update({
      state: patch.state,
      stage: patch.stage,
      ...(patch.chain ? { chain: [...patch.chain] } : {}),
      ...(patch.reservationId !== undefined ? { reservation_id: patch.reservationId } : {}),
      ...(patch.submitted ? { submitted_at: trx.fn.now() } : {}),
      ...(patch.decided ? { decided_at: trx.fn.now() } : {}),
      version: trx.raw('version + 1'),
    })
    .returning('version');
  return Number((row as { version: number }).version);
}

export async function insertAction(
  trx: Knex.Transaction,
  a: {
    requestId: number;
    action: string;
    actorUserId: number;
    actorRole: string | null;
    comment: string;
    docNo: string | null;
    fromState: string | null;
    toState: string | null;
  },
): Promise<void> {
  await trx('movement_actions').insert({
    request_id: a.requestId,
    action: a.action,
    actor_user_id: a.actorUserId,
    actor_role: a.actorRole,
    comment: a.comment,
    doc_no: a.docNo,
    from_state: a.fromState,
    to_state: a.toState,
  });
}

export async function actionsOf(db: Knex, requestId: number) {
  const rows = await db('movement_actions as a')
    .join('users as u', 'u.id', 'a.actor_user_id')
    .where('a.request_id', requestId)
    .orderBy('a.id')
    .select('a.*', 'u.display_name');
  return rows.map((r: Record<string, unknown>) => ({
    action: r.action as string,
    actor: r.display_name as string,
    actorRole: r.actor_role as string | null,
    actedAt: r.acted_at as Date,
    comment: r.comment as string,
    docNo: r.doc_no as string | null,
    fromState: r.from_state as string | null,
    toState: r.to_state as string | null,
  }));
}

export async function insertOpinion(
  trx: Knex.Transaction,
  o: { requestId: number; givenOn: string; docNo: string; text: string; recordedBy: number },
): Promise<void> {
  await trx('movement_opinions').insert({
    request_id: o.requestId,
    given_on: o.givenOn,
    doc_no: o.docNo,
    text: o.text,
    recorded_by: o.recordedBy,
  });
}

/**
 * Whether a movement needs the township party committee's written opinion (it moves staff of a dispatched
 * unit — their primary post on `from` — or into one, `toPostId`) and whether one is on record. One statement:
 * it runs in every county approval.
 */
export async function partyOpinionNeed(
  db: Knex,
  m: { requestId: number; personId: number; from: string; toPostId: number | null },
): Promise<{ needed: boolean; recorded: boolean }> {
  // Prepared (every decision asks): planning it cost ten times its execution.
  const rows = await preparedRows<{ needed: boolean; recorded: boolean }>(
    db,
    'party_opinion_need',
    db.raw(
      `SELECT EXISTS (SELECT 1 FROM assignments a JOIN posts p ON p.id = a.post_id JOIN units u ON u.id = p.unit_id
              WHERE a.person_id = :personId AND a.kind = 'primary' AND a.superseded_at IS NULL
                AND a.valid_from <= :from AND (a.valid_to IS NULL OR a.valid_to > :from) AND u.kind = 'dispatched')
         OR EXISTS (SELECT 1 FROM posts p JOIN units u ON u.id = p.unit_id
              WHERE p.id = :toPostId::integer AND u.kind = 'dispatched') AS needed,
       EXISTS (SELECT 1 FROM movement_opinions o WHERE o.request_id = :requestId) AS recorded`,
      { personId: m.personId, from: m.from, toPostId: m.toPostId, requestId: m.requestId },
    ),
  );
  const row = rows[0];
  return { needed: row?.needed === true, recorded: row?.recorded === true };
}

export async function opinionOf(db: Knex, requestId: number) {
  const r = await db('movement_opinions').where({ request_id: requestId }).first();
  return r ? { givenOn: r.given_on as string, docNo: r.doc_no as string, text: r.text as string } : null;
}

export async function insertBatch(
  trx: Knex.Transaction,
  b: { countyId: number; title: string; docNo: string; proposerUserId: number },
): Promise<number> {
  const [row] = await trx('movement_batches')
    .insert({ county_id: b.countyId, title: b.title, doc_no: b.docNo, proposer_user_id: b.proposerUserId })
    .returning('id');
  return (row as { id: number }).id;
}

export async function findBatch(db: Knex, id: number) {
  const r = await db('movement_batches').where({ id }).first();
  return r
    ? {
        id: r.id as number,
        countyId: r.county_id as number,
        title: r.title as string,
        docNo: r.doc_no as string,
        proposerUserId: r.proposer_user_id as number,
      }
    : undefined;
}

export async function batchMembers(db: Knex, batchId: number): Promise<MovementRow[]> {
  const rows = await db('movement_requests').where({ batch_id: batchId }).orderBy('id').select('*');
  return rows.map(toRow);
}

export interface MovementListItem extends MovementRow {
  personName: string;
  fromTownshipName: string | null;
  toTownshipName: string | null;
  fromPost: string | null;
  toPost: string | null;
  /** The establishment type of the person's quota slot the day before the movement took effect. */
  fromEstablishmentType: EstablishmentType | null;
  /** The 文号 of the last approval (the county's document), if one was given. */
  approvalDocNo: string | null;
  proposerName: string;
}

export interface MovementFilter {
  countyIds?: readonly number[];
  townshipIds?: readonly number[];
  personIds?: readonly number[];
  ids?: readonly number[];
  batchId?: number;
  states?: readonly MovementState[];
  kinds?: readonly MovementKind[];
  effectiveFrom?: string;
  effectiveTo?: string;
  awaiting?: { countyIds: readonly number[]; roles: readonly Approver[] };
  /** Narrowing chosen by the user, on top of the scope: one county, one township (from or to). */
  county?: number;
  township?: number;
  limit?: number;
  offset?: number;
  order?: 'oldest' | 'newest';
}

/**
 * Requests with names for lists, the inbox and the ledger. The "from" post is the person's primary post the day
 * before the movement took (or takes) effect; units named as they were then.
 */
export async function listMovements(
  db: Knex,
  f: MovementFilter,
): Promise<{ items: MovementListItem[]; total: number }> {
  const base = db('movement_requests as m');
  if (f.countyIds) base.whereIn('m.county_id', [...f.countyIds]);
  if (f.townshipIds) {
    const ids = [...f.townshipIds];
    base.where((w) => w.whereIn('m.from_township_id', ids).orWhereIn('m.to_township_id', ids));
  }
  if (f.county !== undefined) base.where('m.county_id', f.county);
  if (f.township !== undefined) {
    const id = f.township;
    base.where((w) => w.where('m.from_township_id', id).orWhere('m.to_township_id', id));
  }
  if (f.personIds) base.whereIn('m.person_id', [...f.personIds]);
  if (f.ids) base.whereIn('m.id', [...f.ids]);
  if (f.batchId !== undefined) base.where('m.batch_id', f.batchId);
  if (f.states) base.whereIn('m.state', [...f.states]);
  if (f.kinds) base.whereIn('m.kind', [...f.kinds]);
  if (f.effectiveFrom) base.where('m.effective_on', '>=', f.effectiveFrom);
  if (f.effectiveTo) base.where('m.effective_on', '<=', f.effectiveTo);
  if (f.awaiting) {
    const { countyIds, roles } = f.awaiting;
    base.where('m.state', 'submitted').whereIn('m.county_id', [...countyIds]);
    base.where((w) => {
      for (const role of roles) w.orWhereRaw('m.chain[m.stage + 1] = ?', [role]);
    });
  }
  const totalRow = await base.clone().count<{ n: number | string }[]>('* as n').first();
  if (f.limit === 0) return { total: Number(totalRow?.n ?? 0), items: [] };
  const q = base
    .clone()
    .join('people as pe', 'pe.id', 'm.person_id')
    .join('users as u', 'u.id', 'm.proposer_user_id')
    .leftJoin('regions as ft', 'ft.id', 'm.from_township_id')
    .leftJoin('regions as tt', 'tt.id', 'm.to_township_id')
    .leftJoin('posts as tp', 'tp.id', 'm.to_post_id');
  joinUnitVersionOn(q, 'tp.unit_id', { column: 'm.effective_on' }, 'tu');
  q.joinRaw(
    `LEFT JOIN LATERAL (
      SELECT fp.name AS post_name, fp.unit_id FROM assignments fa JOIN posts fp ON fp.id = fa.post_id
      WHERE fa.person_id = m.person_id AND fa.kind = 'primary' AND fa.superseded_at IS NULL
        AND fa.valid_from < m.effective_on AND (fa.valid_to IS NULL OR fa.valid_to >= m.effective_on)
      ORDER BY fa.valid_from DESC LIMIT 1
    ) fa ON true`,
  );
  joinUnitVersionOn(q, 'fa.unit_id', { column: 'm.effective_on' }, 'fu');
  q.joinRaw(
    `LEFT JOIN LATERAL (
      SELECT qa.establishment_type FROM quota_slots fs JOIN quota_accounts qa ON qa.id = fs.account_id
      WHERE fs.person_id = m.person_id AND fs.superseded_at IS NULL
        AND fs.valid_from < m.effective_on AND (fs.valid_to IS NULL OR fs.valid_to >= m.effective_on)
      ORDER BY fs.valid_from DESC LIMIT 1
    ) fs ON true`,
  );
  q.joinRaw(
    `LEFT JOIN LATERAL (
      SELECT ma.doc_no FROM movement_actions ma
      WHERE ma.request_id = m.id AND ma.action = 'approve' AND ma.doc_no IS NOT NULL AND ma.doc_no <> ''
      ORDER BY ma.id DESC LIMIT 1
    ) ad ON true`,
  );
  q.select(
    'fs.establishment_type as from_establishment_type',
    'ad.doc_no as approval_doc_no',
    'm.*',
    'pe.name as person_name',
    'u.display_name as proposer_name',
    'ft.name as from_township_name',
    'tt.name as to_township_name',
    db.raw("concat_ws(' ', fu.name, fa.post_name) as from_post"),
    db.raw("concat_ws(' ', tu.name, tp.name) as to_post"),
  )
    .orderBy([
      {
        column: f.order === 'newest' ? 'm.id' : 'm.submitted_at',
        order: f.order === 'newest' ? 'desc' : 'asc',
      },
      { column: 'm.id' },
    ])
    .limit(f.limit ?? 200)
    .offset(f.offset ?? 0);
  const rows = await q;
  return {
    total: Number(totalRow?.n ?? 0),
    items: rows.map((r: Record<string, unknown>) => ({
      ...toRow(r),
      personName: r.person_name as string,
      proposerName: r.proposer_name as string,
      fromTownshipName: r.from_township_name as string | null,
      toTownshipName: r.to_township_name as string | null,
      fromPost: (r.from_post as string) || null,
      fromEstablishmentType: (r.from_establishment_type as EstablishmentType | null) ?? null,
      approvalDocNo: (r.approval_doc_no as string | null) ?? null,
      toPost: (r.to_post as string) || null,
    })),
  };
}

// Effects on the history ---------------------------------------------------------------------------------

/** Assignments of the person in force on the date (or starting after it). */
export async function assignmentsFrom(db: Knex, personId: number, on: string) {
  return db('assignments')
    .where({ person_id: personId })
    .whereNull('superseded_at')
    .andWhere((q) => q.whereNull('valid_to').orWhere('valid_to', '>', on))
    .orderBy('valid_from')
    .select('id', 'post_id', 'kind', 'valid_from', 'valid_to', 'planned_until');
}

export async function slotsFrom(db: Knex, personId: number, on: string) {
  return db('quota_slots as s')
    .join('quota_accounts as qa', 'qa.id', 's.account_id')
    .where('s.person_id', personId)
    .whereNull('s.superseded_at')
    .andWhere((q) => q.whereNull('s.valid_to').orWhere('s.valid_to', '>', on))
    .orderBy('s.valid_from')
    .select('s.id', 's.account_id', 's.valid_from', 's.valid_to', 'qa.holder_id', 'qa.establishment_type');
}

export async function statusesFrom(db: Knex, personId: number, on: string) {
  return db('person_statuses')
    .where({ person_id: personId })
    .whereNull('superseded_at')
    .andWhere((q) => q.whereNull('valid_to').orWhere('valid_to', '>', on))
    .orderBy('valid_from')
    .select('id', 'status', 'valid_from', 'valid_to');
}

/** Ends a dated row at a date (the next row starts then); a row starting on or after the date is superseded. */
export async function endOrSupersede(
  trx: Knex.Transaction,
  table: 'assignments' | 'quota_slots' | 'person_statuses',
  row: { id: number; valid_from: string },
  on: string,
): Promise<void> {
  if (row.valid_from < on) await trx(table).where({ id: row.id }).update({ valid_to: on });
  else await trx(table).where({ id: row.id }).update({ superseded_at: trx.fn.now() });
}

export async function insertStatus(
  trx: Knex.Transaction,
  s: { personId: number; status: string; validFrom: string; reason: string; docNo: string | null },
): Promise<void> {
  await trx('person_statuses').insert({
    person_id: s.personId,
    status: s.status as 'active',
    valid_from: s.validFrom,
    reason: s.reason,
    doc_no: s.docNo,
  });
}

export async function insertReservation(
  trx: Knex.Transaction,
  r: {
    accountId: number;
    reservedOn: string;
    expiresOn: string | null;
    releasedOn: string | null;
    reason: string;
    docNo: string | null;
  },
): Promise<number> {
  const [row] = await trx('quota_reservations')
    .insert({
      account_id: r.accountId,
      reserved_on: r.reservedOn,
      expires_on: r.expiresOn,
      released_on: r.releasedOn,
      reason: r.reason,
      doc_no: r.docNo,
    })
    .returning('id');
  return (row as { id: number }).id;
}

export async function findReservation(db: Knex, id: number) {
  return db('quota_reservations').where({ id }).first();
}

export async function releaseReservation(trx: Knex.Transaction, id: number, on: string): Promise<void> {
  await trx('quota_reservations').where({ id }).whereNull('released_on').update({ released_on: on });
}

export async function setPostCrossType(trx: Knex.Transaction, postId: number): Promise<void> {
  await trx('posts').where({ id: postId }).update({ cross_type: true });
}

export async function endSecondment(trx: Knex.Transaction, assignmentId: number, on: string): Promise<void> {
  await trx('assignments').where({ id: assignmentId }).update({ valid_to: on });
}

/**
 * Secondments (借调) of people of the townships, overdue ones (planned end passed, no return) flagged; with
 * `overdueOnly` just those (what the inbox counts). The townships restrict the candidates before anything is
 * joined (seconded into them, or seconded out by people whose primary post is there), so a county reads its
 * own few rows through the indexes instead of every secondment of the province.
 */
export async function secondments(
  db: Knex,
  townshipIds: readonly number[] | 'all',
  on: string,
  options: { overdueOnly?: boolean } = {},
) {
  const q = db('assignments as a')
    .join('posts as p', 'p.id', 'a.post_id')
    .join('people as pe', 'pe.id', 'a.person_id')
    .join('regions as dt', 'dt.id', 'p.township_id')
    .where('a.kind', 'secondment')
    .whereNull('a.superseded_at')
    .andWhere((w) => w.whereNull('a.valid_to').orWhere('a.valid_to', '>', on))
    .joinRaw(
      `LEFT JOIN LATERAL (
        SELECT hp.township_id, ht.name AS home_name FROM assignments h JOIN posts hp ON hp.id = h.post_id
        JOIN regions ht ON ht.id = hp.township_id
        WHERE h.person_id = a.person_id AND h.kind = 'primary' AND h.superseded_at IS NULL
          AND h.valid_from <= ? AND (h.valid_to IS NULL OR h.valid_to > ?) LIMIT 1
      ) home ON true`,
      [on, on],
    )
    .select(
      'a.id',
      'a.person_id',
      'pe.name',
      'a.valid_from',
      'a.planned_until',
      'a.valid_to',
      'p.name as post_name',
      'dt.name as destination',
      'p.township_id as destination_id',
      'home.township_id as home_id',
      'home.home_name',
    )
    .orderBy('a.planned_until');
  if (options.overdueOnly) q.whereNull('a.valid_to').andWhere('a.planned_until', '<=', on);
  if (townshipIds !== 'all') {
    const ids = [...new Set(townshipIds)];
    const into = db('assignments as s1')
      .join('posts as p1', 'p1.id', 's1.post_id')
      .whereRaw('p1.township_id = any(?::int[])', [ids])
      .where('s1.kind', 'secondment')
      .select('s1.id');
    const outOf = db('assignments as h1')
      .join('posts as hp1', 'hp1.id', 'h1.post_id')
      .whereRaw('hp1.township_id = any(?::int[])', [ids])
      .where('h1.kind', 'primary')
      .whereNull('h1.superseded_at')
      .andWhere('h1.valid_from', '<=', on)
      .andWhere((w) => w.whereNull('h1.valid_to').orWhere('h1.valid_to', '>', on))
      .select('h1.person_id');
    q.where((w) => w.whereIn('a.id', into).orWhereIn('a.person_id', outOf));
    q.where((w) => w.whereIn('p.township_id', ids).orWhereIn('home.township_id', ids));
  }
  return q;
}

/** People of a township for the request form: in service or registered there, with their post and slot today. */
export async function peopleOfTownship(db: Knex, townshipId: number, on: string) {
  const members = db
    .from(personTownshipsQuery(db, on, { townshipIds: [townshipId] }).as('pt'))
    .where('pt.township_id', townshipId)
    .distinct('pt.person_id');
  const rows = await db('people as pe')
    .where((w) => w.whereIn('pe.id', members).orWhere('pe.registered_township_id', townshipId))
    .joinRaw(
      `LEFT JOIN LATERAL (SELECT p.name AS post_name FROM assignments a JOIN posts p ON p.id = a.post_id
        WHERE a.person_id = pe.id AND a.kind = 'primary' AND a.superseded_at IS NULL AND a.valid_from <= ?
          AND (a.valid_to IS NULL OR a.valid_to > ?) LIMIT 1) cur ON true`,
      [on, on],
    )
    .joinRaw(
      `LEFT JOIN LATERAL (SELECT qa.establishment_type FROM quota_slots s JOIN quota_accounts qa ON qa.id = s.account_id
        WHERE s.person_id = pe.id AND s.superseded_at IS NULL AND s.valid_from <= ?
          AND (s.valid_to IS NULL OR s.valid_to > ?) LIMIT 1) slot ON true`,
      [on, on],
    )
    .joinRaw(
      `LEFT JOIN LATERAL (SELECT st.status FROM person_statuses st WHERE st.person_id = pe.id AND st.superseded_at IS NULL
        AND st.valid_from <= ? AND (st.valid_to IS NULL OR st.valid_to > ?) LIMIT 1) st ON true`,
      [on, on],
    )
    .select(
      'pe.id',
      'pe.name',
      'pe.surname_strokes',
      'pe.name_pinyin',
      'cur.post_name',
      'slot.establishment_type',
      'st.status',
    )
    .orderBy(['pe.surname_strokes', 'pe.name_pinyin', 'pe.id']);
  return rows
    .filter((r: { status: string | null }) => r.status === null || r.status === 'active')
    .map((r: Record<string, unknown>) => ({
      id: r.id as number,
      name: r.name as string,
      postName: r.post_name as string | null,
      establishmentType: r.establishment_type as EstablishmentType | null,
    }));
}

/** Open posts of townships on a date, with their unit's name then, township, types and whether someone holds them. */
export async function openPostsOfTownships(db: Knex, townshipIds: readonly number[], on: string) {
  if (townshipIds.length === 0) return [];
  const q = db('posts as p')
    .join('regions as t', 't.id', 'p.township_id')
    .leftJoin('units as u', 'u.id', 'p.unit_id')
    .whereIn('p.township_id', [...townshipIds])
    .andWhere('p.opened_on', '<=', on)
    .andWhere((w) => w.whereNull('p.closed_on').orWhere('p.closed_on', '>', on));
  joinUnitVersionOn(q, 'p.unit_id', { date: on });
  const rows = await q
    .select(
      'p.id',
      'p.name',
      'p.township_id',
      't.name as township_name',
      'uv.name as unit_name',
      'u.kind as unit_kind',
      'p.establishment_types',
      'p.leadership_kind',
      'p.cross_type',
      db.raw(
        `EXISTS (SELECT 1 FROM assignments a WHERE a.post_id = p.id AND a.superseded_at IS NULL
          AND (a.valid_to IS NULL OR a.valid_to > ?)) AS held`,
        [on],
      ),
    )
    .orderBy(['t.sort_order', 'p.township_id', 'u.sort_order', 'p.sort_order', 'p.id']);
  return rows.map((r: Record<string, unknown>) => ({
    id: r.id as number,
    name: r.name as string,
    townshipId: r.township_id as number,
    townshipName: r.township_name as string,
    unitName: r.unit_name as string | null,
    unitKind: r.unit_kind as string | null,
    establishmentTypes: r.establishment_types as EstablishmentType[],
    leadershipKind: r.leadership_kind as string | null,
    crossType: r.cross_type as boolean,
    held: Boolean(r.held),
  }));
}

export interface DestinationOfRequest {
  holderId: number;
  holderName: string;
  type: EstablishmentType;
  /** The holder's account of that type, when it exists already (it is created on first use). */
  accountId: number | null;
  /** Whether the person already has a place in that account on the slot date or later (their leaving frees it). */
  holdsPlace: boolean;
}

/**
 * Where each request adds its person, for a page of requests in one statement (the inbox): the holder of the
 * post moved to (a dispatched unit's county department, else the post's township), or for a type change
 * without a post the holder of the person's slot; the type is the slot's for a cross-township move, else the
 * type asked for. The same rule as the decision path (`destinationOf` in the movement service), which a test
 * holds this to. `slotDate` is the earlier of the effective date and today.
 */
export async function destinationsOf(
  db: Knex,
  items: ReadonlyArray<{
    id: number;
    kind: MovementKind;
    personId: number;
    toPostId: number | null;
    toEstablishmentType: EstablishmentType | null;
    slotDate: string;
  }>,
): Promise<Map<number, DestinationOfRequest>> {
  const wanted = items.filter(
    (m) => m.kind === 'cross_township' || m.kind === 'entry' || m.kind === 'type_change',
  );
  if (wanted.length === 0) return new Map();
  // Prepared (every decision and inbox page asks): planning it cost as much as running it for one request. The
  // holder and its account are read in LATERAL subqueries with LIMIT 1 (each a primary or unique key), which the
  // planner cannot flatten: the generic plan assumes 100 rows from json_to_recordset and would otherwise hash every
  // quota holder and account of the province for a decision's one request (1.2 ms → 0.12 ms at province scale,
  // growing with the number of townships).
  const rows = await preparedRows<Record<string, unknown>>(
    db,
    'destinations_of',
    db.raw(
      `SELECT i.id, x.holder_id, h.holder_name, x.type, qa.id AS account_id,
       EXISTS (SELECT 1 FROM quota_slots s WHERE s.person_id = i.person_id AND s.account_id = qa.id
         AND s.superseded_at IS NULL AND (s.valid_to IS NULL OR s.valid_to > i.slot_date)) AS holds_place
     FROM json_to_recordset(?::json) AS i(id int, kind text, person_id int, to_post_id int, to_type text, slot_date date)
     LEFT JOIN posts p ON p.id = i.to_post_id
     LEFT JOIN units u ON u.id = p.unit_id
     LEFT JOIN LATERAL (
       SELECT qa.holder_id, qa.establishment_type FROM quota_slots s JOIN quota_accounts qa ON qa.id = s.account_id
       WHERE s.person_id = i.person_id AND s.superseded_at IS NULL AND s.valid_from <= i.slot_date
         AND (s.valid_to IS NULL OR s.valid_to > i.slot_date)
       LIMIT 1
     ) sl ON i.kind IN ('cross_township', 'type_change')
     LEFT JOIN LATERAL (
       (SELECT qh.id FROM quota_holders qh
        WHERE coalesce(u.kind = 'dispatched' AND u.department_id IS NOT NULL, false) AND qh.department_id = u.department_id
        LIMIT 1)
       UNION ALL
       (SELECT qh.id FROM quota_holders qh
        WHERE NOT coalesce(u.kind = 'dispatched' AND u.department_id IS NOT NULL, false) AND qh.township_id = p.township_id
        LIMIT 1)
     ) ph ON p.id IS NOT NULL
     CROSS JOIN LATERAL (
       SELECT CASE WHEN ph.id IS NOT NULL THEN ph.id WHEN i.kind = 'type_change' THEN sl.holder_id END AS holder_id,
              CASE WHEN i.kind = 'cross_township' THEN sl.establishment_type ELSE i.to_type END AS type
     ) x
     CROSS JOIN LATERAL (
       SELECT coalesce(
         (SELECT ht.name FROM regions ht WHERE ht.id = h.township_id),
         (SELECT hd.name FROM county_departments hd WHERE hd.id = h.department_id)
       ) AS holder_name
       FROM quota_holders h WHERE h.id = x.holder_id LIMIT 1
     ) h
     LEFT JOIN LATERAL (
       SELECT qa.id FROM quota_accounts qa WHERE qa.holder_id = x.holder_id AND qa.establishment_type = x.type LIMIT 1
     ) qa ON true
     WHERE x.type IS NOT NULL`,
      [
        JSON.stringify(
          wanted.map((m) => ({
            id: m.id,
            kind: m.kind,
            person_id: m.personId,
            to_post_id: m.toPostId,
            to_type: m.toEstablishmentType,
            slot_date: m.slotDate,
          })),
        ),
      ],
    ),
  );
  return new Map(
    rows.map((r) => [
      Number(r.id),
      {
        holderId: Number(r.holder_id),
        holderName: r.holder_name as string,
        type: r.type as EstablishmentType,
        accountId: r.account_id === null ? null : Number(r.account_id),
        holdsPlace: r.holds_place === true,
      },
    ]),
  );
}
