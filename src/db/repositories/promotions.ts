import type { Knex } from 'knex';
import type { FamilyLink, SeatLeader } from '../../domain/candidates.js';
import type {
  PoolUsage,
  RankPromotionPath,
  RankPromotionState,
  RecommendationMethod,
} from '../../domain/rankPromotion.js';
import { OPEN_RANK_STATES } from '../../domain/rankPromotion.js';
import { personCountiesByDepartmentQuery, personTownshipsQuery } from './scope.js';

/** Reads and writes of candidates and rank promotions; snake_case stops here. */

const inForce = (q: Knex.QueryBuilder, alias: string, asOf: string) =>
  q
    .whereNull(`${alias}.superseded_at`)
    .andWhere(`${alias}.valid_from`, '<=', asOf)
    .andWhere((w) => w.whereNull(`${alias}.valid_to`).orWhere(`${alias}.valid_to`, '>', asOf));

// ----- candidates ----------------------------------------------------------------------------------------

/**
 * Family links between roster people where either side is one of the given people (one query, sent even for
 * none so that a page costs the same number of statements whatever the data).
 */
export async function familyLinksOf(db: Knex, personIds: readonly number[]): Promise<FamilyLink[]> {
  const ids = [...new Set(personIds)];
  const rows = await db('family_members')
    .whereNotNull('related_person_id')
    .andWhere((q) =>
      q.whereRaw('person_id = any(?::int[])', [ids]).orWhereRaw('related_person_id = any(?::int[])', [ids]),
    )
    .select('person_id', 'related_person_id', 'relation');
  return rows.map((r) => ({
    personId: r.person_id,
    relatedPersonId: r.related_person_id as number,
    relation: r.relation,
  }));
}

/** Leaders of units on a date (holders of the units' posts with a leadership kind), by unit id. */
export async function unitLeaders(
  db: Knex,
  unitIds: readonly number[],
  asOf: string,
): Promise<Map<number, SeatLeader[]>> {
  const out = new Map<number, SeatLeader[]>();
  if (unitIds.length === 0) return out;
  const rows = await inForce(
    db('assignments as a')
      .join('posts as p', 'p.id', 'a.post_id')
      .join('people as pe', 'pe.id', 'a.person_id')
      .whereRaw('p.unit_id = any(?::int[])', [[...new Set(unitIds)]])
      .whereNotNull('p.leadership_kind'),
    'a',
    asOf,
  )
    .orderBy(['p.unit_id', 'a.id'])
    .select('p.unit_id', 'a.person_id', 'pe.name', 'p.leadership_kind');
  for (const r of rows as Array<{
    unit_id: number;
    person_id: number;
    name: string;
    leadership_kind: string;
  }>) {
    const list = out.get(r.unit_id) ?? [];
    list.push({ personId: r.person_id, name: r.name, role: r.leadership_kind });
    out.set(r.unit_id, list);
  }
  return out;
}

/** Party-post flags and unit kinds the seats need: leadership kinds with party_post. */
export async function partyPostKinds(db: Knex): Promise<Set<string>> {
  const rows = await db('leadership_kinds').where('party_post', true).select('code');
  return new Set(rows.map((r) => r.code));
}

export async function unitKinds(db: Knex, unitIds: readonly number[]): Promise<Map<number, string>> {
  if (unitIds.length === 0) return new Map();
  const rows = await db('units')
    .whereRaw('id = any(?::int[])', [[...new Set(unitIds)]])
    .select('id', 'kind');
  return new Map(rows.map((r) => [r.id, r.kind as string]));
}

/** People in service on a date among the given ones (active status in force). */
export async function activePeople(
  db: Knex,
  personIds: readonly number[],
  asOf: string,
): Promise<Set<number>> {
  if (personIds.length === 0) return new Set();
  const rows = await inForce(
    db('person_statuses as s')
      .whereRaw('s.person_id = any(?::int[])', [[...new Set(personIds)]])
      .where('s.status', 'active'),
    's',
    asOf,
  ).distinct('s.person_id');
  return new Set(rows.map((r: { person_id: number }) => r.person_id));
}

/** Members of townships on a date with their township, name and primary post (one query). */
export async function membersOfTownships(db: Knex, townshipIds: readonly number[], asOf: string) {
  if (townshipIds.length === 0) return [];
  const rows = await db
    .from(personTownshipsQuery(db, asOf).as('pt'))
    .join('people as pe', 'pe.id', 'pt.person_id')
    .whereRaw('pt.township_id = any(?::int[])', [[...new Set(townshipIds)]])
    .orderBy([
      { column: 'pe.surname_strokes' },
      { column: 'pe.name_pinyin' },
      { column: 'pe.id' },
      { column: 'pt.township_id' },
    ])
    .distinct('pt.person_id', 'pt.township_id', 'pe.name', 'pe.surname_strokes', 'pe.name_pinyin', 'pe.id');
  return (rows as Array<{ person_id: number; township_id: number; name: string }>).map((r) => ({
    personId: r.person_id,
    townshipId: r.township_id,
    name: r.name,
  }));
}

// ----- pools ---------------------------------------------------------------------------------------------

export interface Pool {
  id: number;
  countyId: number;
  code: string;
  nameZh: string;
  nameEn: string;
  gradeCodes: string[];
  approved: number;
  docNo: string | null;
}

const poolOf = (r: Record<string, unknown>): Pool => ({
  id: r.id as number,
  countyId: r.county_id as number,
  code: r.code as string,
  nameZh: r.name_zh as string,
  nameEn: r.name_en as string,
  gradeCodes: r.grade_codes as string[],
  approved: r.approved as number,
  docNo: r.doc_no as string | null,
});

export async function poolsOfCounties(db: Knex, countyIds: readonly number[]): Promise<Pool[]> {
  if (countyIds.length === 0) return [];
  const rows = await db('rank_quota_pools')
    .whereRaw('county_id = any(?::int[])', [[...new Set(countyIds)]])
    .orderBy(['county_id', 'id']);
  return rows.map((r) => poolOf(r as unknown as Record<string, unknown>));
}

/** The pool of a county that covers a rank, if any. */
export async function poolForGrade(db: Knex, countyId: number, grade: string): Promise<Pool | undefined> {
  const row = await db('rank_quota_pools')
    .where('county_id', countyId)
    .whereRaw('? = any(grade_codes)', [grade])
    .orderBy('id')
    .first();
  return row ? poolOf(row as unknown as Record<string, unknown>) : undefined;
}

export async function lockPool(trx: Knex.Transaction, poolId: number): Promise<void> {
  await trx('rank_quota_pools').where('id', poolId).forUpdate().first('id');
}

/** People of a county on a date: members of its townships, and dispatched staff on its departments' quota. */
function countyPeople(db: Knex, countyId: number, asOf: string) {
  const viaTownship = db
    .from(personTownshipsQuery(db, asOf).as('pt'))
    .join('regions as t', 't.id', 'pt.township_id')
    .where('t.parent_id', countyId)
    .select('pt.person_id');
  const viaDepartment = db
    .from(personCountiesByDepartmentQuery(db, asOf).as('pc'))
    .where('pc.county_id', countyId)
    .select('pc.person_id');
  return db.union([viaTownship, viaDepartment]);
}

/**
 * Approved (the latest uncorrected pool decision effective on the date, else the pool's initial number), held
 * (people in service of the county holding one of the pool's ranks on the date) and in process (promotions into
 * the pool open, or effective from a later date), for the pools of one county: three queries whatever the number
 * of pools (a person holds one rank at a time and pools cover disjoint ranks, so held sums by rank).
 */
export async function poolsUsage(
  db: Knex,
  pools: readonly Pool[],
  asOf: string,
): Promise<Map<number, PoolUsage>> {
  const out = new Map<number, PoolUsage>();
  if (pools.length === 0) return out;
  const countyIds = [...new Set(pools.map((p) => p.countyId))];
  if (countyIds.length !== 1) {
    for (const countyId of countyIds)
      for (const [k, v] of await poolsUsage(
        db,
        pools.filter((p) => p.countyId === countyId),
        asOf,
      ))
        out.set(k, v);
    return out;
  }
  const countyId = countyIds[0] as number;
  const ids = pools.map((p) => p.id);
  const grades = [...new Set(pools.flatMap((p) => p.gradeCodes))];
  // Inside a transaction the queries share one connection: one after the other (pg refuses overlapping queries).
  const all = async <T extends unknown[]>(thunks: { [K in keyof T]: () => Promise<T[K]> }): Promise<T> => {
    if ((db as Knex & { isTransaction?: boolean }).isTransaction) {
      const out: unknown[] = [];
      for (const t of thunks) out.push(await t());
      return out as T;
    }
    return (await Promise.all(thunks.map((t) => t()))) as T;
  };
  const [approvedRows, heldRows, processRows] = await all<[Map<number, number>, unknown[], unknown[]]>([
    () => approvedOn(db, ids, asOf),
    () =>
      inForce(db('grades as g'), 'g', asOf)
        .whereRaw('g.grade_code = any(?::text[])', [grades])
        .whereIn('g.person_id', countyPeople(db, countyId, asOf))
        .whereExists(
          inForce(
            db('person_statuses as st').whereRaw('st.person_id = g.person_id').where('st.status', 'active'),
            'st',
            asOf,
          ),
        )
        .groupBy('g.grade_code')
        .select('g.grade_code', db.raw('count(DISTINCT g.person_id) AS n')),
    () =>
      db('rank_promotions')
        .whereRaw('pool_id = any(?::int[])', [ids])
        .andWhere((q) =>
          q
            .whereIn('state', [...OPEN_RANK_STATES])
            .orWhere((w) => w.where('state', 'effective').andWhere('effective_on', '>', asOf)),
        )
        .groupBy('pool_id')
        .select('pool_id', db.raw('count(*) AS n')),
  ]);
  const heldBy = new Map(
    (heldRows as unknown as Array<{ grade_code: string; n: number | string }>).map((r) => [
      r.grade_code,
      Number(r.n),
    ]),
  );
  const processBy = new Map(
    (processRows as unknown as Array<{ pool_id: number; n: number | string }>).map((r) => [
      r.pool_id,
      Number(r.n),
    ]),
  );
  for (const pool of pools)
    out.set(pool.id, {
      approved: approvedRows.get(pool.id) ?? pool.approved,
      held: pool.gradeCodes.reduce((sum, g) => sum + (heldBy.get(g) ?? 0), 0),
      inProcess: processBy.get(pool.id) ?? 0,
    });
  return out;
}

export async function poolUsage(db: Knex, pool: Pool, asOf: string): Promise<PoolUsage> {
  return (await poolsUsage(db, [pool], asOf)).get(pool.id) as PoolUsage;
}

// ----- pool decisions (职级职数核定) ------------------------------------------------------------------------

/** The approved number of each pool on a date from its decisions (pools without one are absent). */
export async function approvedOn(
  db: Knex,
  poolIds: readonly number[],
  asOf: string,
): Promise<Map<number, number>> {
  if (poolIds.length === 0) return new Map();
  const rows = await db
    .select('d.pool_id', 'd.approved_count')
    .from(
      db('rank_quota_pool_decisions as d')
        .whereRaw('d.pool_id = any(?::int[])', [[...new Set(poolIds)]])
        .where('d.effective_from', '<=', asOf)
        .whereNotExists(db('rank_quota_pool_decisions as c').whereRaw('c.corrects_id = d.id'))
        .select(
          'd.pool_id',
          'd.approved_count',
          db.raw(
            'row_number() OVER (PARTITION BY d.pool_id ORDER BY d.effective_from DESC, d.id DESC) AS rn',
          ),
        )
        .as('d'),
    )
    .where('d.rn', 1);
  return new Map(rows.map((r: { pool_id: number; approved_count: number }) => [r.pool_id, r.approved_count]));
}

export interface PoolDecision {
  id: number;
  poolId: number;
  approvedCount: number;
  effectiveFrom: string;
  docNo: string;
  changeSummary: string;
  correctsId: number | null;
  correctedById: number | null;
  createdAt: Date;
}

/** Every decision of the pools, newest effective first, with the decision that corrects each (if any). */
export async function poolDecisions(db: Knex, poolIds: readonly number[]): Promise<PoolDecision[]> {
  if (poolIds.length === 0) return [];
  const rows = await db('rank_quota_pool_decisions as d')
    .whereRaw('d.pool_id = any(?::int[])', [[...new Set(poolIds)]])
    .select(
      'd.*',
      db.raw('(SELECT c.id FROM rank_quota_pool_decisions c WHERE c.corrects_id = d.id) AS corrected_by_id'),
    )
    .orderBy([
      { column: 'd.pool_id' },
      { column: 'd.effective_from', order: 'desc' },
      { column: 'd.id', order: 'desc' },
    ]);
  return rows.map((r: Record<string, unknown>) => ({
    id: r.id as number,
    poolId: r.pool_id as number,
    approvedCount: r.approved_count as number,
    effectiveFrom: r.effective_from as string,
    docNo: r.doc_no as string,
    changeSummary: r.change_summary as string,
    correctsId: (r.corrects_id as number | null) ?? null,
    correctedById: (r.corrected_by_id as number | null) ?? null,
    createdAt: r.created_at as Date,
  }));
}

export async function insertPoolDecision(
  trx: Knex.Transaction,
  d: {
    poolId: number;
    approvedCount: number;
    effectiveFrom: string;
    docNo: string;
    changeSummary: string;
    correctsId: number | null;
    createdBy: number;
  },
): Promise<number> {
  const [row] = await trx('rank_quota_pool_decisions')
    .insert({
      pool_id: d.poolId,
      approved_count: d.approvedCount,
      effective_from: d.effectiveFrom,
      doc_no: d.docNo,
      change_summary: d.changeSummary,
      corrects_id: d.correctsId,
      created_by: d.createdBy,
    })
    .returning('id');
  return (row as { id: number }).id;
}

/** Creates a county's pool for a rank group if it has none (approved 0 until its first decision); its id. */
export async function ensurePool(
  trx: Knex.Transaction,
  p: { countyId: number; code: string; nameZh: string; nameEn: string; gradeCodes: readonly string[] },
): Promise<number> {
  const found = await trx('rank_quota_pools').where({ county_id: p.countyId, code: p.code }).first('id');
  if (found) return found.id;
  const [row] = await trx('rank_quota_pools')
    .insert({
      county_id: p.countyId,
      code: p.code,
      name_zh: p.nameZh,
      name_en: p.nameEn,
      grade_codes: [...p.gradeCodes],
      approved: 0,
    })
    .onConflict(['county_id', 'code'])
    .ignore()
    .returning('id');
  if (row) return (row as { id: number }).id;
  return (await trx('rank_quota_pools').where({ county_id: p.countyId, code: p.code }).first('id'))
    ?.id as number;
}

// ----- promotions ----------------------------------------------------------------------------------------

export interface RankPromotion {
  id: number;
  countyId: number;
  townshipId: number | null;
  personId: number;
  personName: string;
  townshipName: string | null;
  fromGrade: string | null;
  targetGrade: string;
  path: RankPromotionPath;
  poolId: number | null;
  state: RankPromotionState;
  method: RecommendationMethod | null;
  publicityStart: string | null;
  publicityEnd: string | null;
  effectiveOn: string | null;
  docNo: string | null;
  reason: string;
  gradeId: number | null;
  version: number;
  proposerUserId: number;
  createdAt: Date;
  updatedAt: Date;
}

const promotionOf = (r: Record<string, unknown>): RankPromotion => ({
  id: r.id as number,
  countyId: r.county_id as number,
  townshipId: r.township_id as number | null,
  personId: r.person_id as number,
  personName: r.person_name as string,
  townshipName: (r.township_name as string | null) ?? null,
  fromGrade: r.from_grade as string | null,
  targetGrade: r.target_grade as string,
  path: r.path as RankPromotionPath,
  poolId: r.pool_id as number | null,
  state: r.state as RankPromotionState,
  method: r.method as RecommendationMethod | null,
  publicityStart: r.publicity_start as string | null,
  publicityEnd: r.publicity_end as string | null,
  effectiveOn: r.effective_on as string | null,
  docNo: r.doc_no as string | null,
  reason: r.reason as string,
  gradeId: r.grade_id as number | null,
  version: r.version as number,
  proposerUserId: r.proposer_user_id as number,
  createdAt: r.created_at as Date,
  updatedAt: r.updated_at as Date,
});

const promotionQuery = (db: Knex) =>
  db('rank_promotions as rp')
    .join('people as pe', 'pe.id', 'rp.person_id')
    .leftJoin('regions as t', 't.id', 'rp.township_id')
    .select('rp.*', 'pe.name as person_name', 't.name as township_name');

export async function findPromotion(db: Knex, id: number): Promise<RankPromotion | undefined> {
  const row = await promotionQuery(db).where('rp.id', id).first();
  return row ? promotionOf(row) : undefined;
}

export async function lockPromotion(trx: Knex.Transaction, id: number): Promise<RankPromotion | undefined> {
  await trx('rank_promotions').where('id', id).forUpdate().first('id');
  return findPromotion(trx, id);
}

export interface PromotionFilter {
  /** null = every county (the administrator). Otherwise the caller's scope: whole counties … */
  countyIds: readonly number[] | null;
  /** … or single townships (township officers); a promotion in either is visible. */
  townshipIds: readonly number[] | null;
  /** Narrowing filters (the list's `county` and `township` parameters). */
  county?: number | null;
  township?: number | null;
  states?: readonly RankPromotionState[];
  limit?: number;
  offset?: number;
}

function filtered(q: Knex.QueryBuilder, f: PromotionFilter): Knex.QueryBuilder {
  if (f.countyIds !== null || f.townshipIds !== null)
    q.where((w) =>
      w
        .whereRaw('rp.county_id = any(?::int[])', [[...(f.countyIds ?? [])]])
        .orWhereRaw('rp.township_id = any(?::int[])', [[...(f.townshipIds ?? [])]]),
    );
  if (f.county) q.where('rp.county_id', f.county);
  if (f.township) q.where('rp.township_id', f.township);
  if (f.states && f.states.length > 0) q.whereIn('rp.state', [...f.states]);
  return q;
}

export async function listPromotions(db: Knex, f: PromotionFilter): Promise<RankPromotion[]> {
  const q = filtered(promotionQuery(db), f).orderBy([
    { column: 'rp.updated_at', order: 'desc' },
    { column: 'rp.id', order: 'desc' },
  ]);
  q.limit(f.limit ?? 500);
  if (f.offset) q.offset(f.offset);
  return (await q).map(promotionOf);
}

export async function countPromotions(db: Knex, f: PromotionFilter): Promise<number> {
  const row = await filtered(db('rank_promotions as rp'), f)
    .count<{ n: number | string }[]>('* as n')
    .first();
  return Number(row?.n ?? 0);
}

export async function insertPromotion(
  trx: Knex.Transaction,
  p: {
    countyId: number;
    townshipId: number | null;
    personId: number;
    fromGrade: string | null;
    targetGrade: string;
    path: RankPromotionPath;
    poolId: number | null;
    reason: string;
    docNo: string | null;
    proposerUserId: number;
  },
): Promise<number> {
  const [row] = await trx('rank_promotions')
    .insert({
      county_id: p.countyId,
      township_id: p.townshipId,
      person_id: p.personId,
      from_grade: p.fromGrade,
      target_grade: p.targetGrade,
      path: p.path,
      pool_id: p.poolId,
      reason: p.reason,
      doc_no: p.docNo,
      proposer_user_id: p.proposerUserId,
    })
    .returning('id');
  return (row as { id: number }).id;
}

export async function updatePromotion(
  trx: Knex.Transaction,
  id: number,
  change: Partial<{
    state: RankPromotionState;
    method: RecommendationMethod | null;
    publicityStart: string | null;
    publicityEnd: string | null;
    effectiveOn: string;
    docNo: string | null;
    gradeId: number;
  }>,
): Promise<void> {
  const row: Record<string, unknown> = { version: trx.raw('version + 1'), updated_at: trx.fn.now() };
  if (change.state !== undefined) row.state = change.state;
  if (change.method !== undefined) row.method = change.method;
  if (change.publicityStart !== undefined) row.publicity_start = change.publicityStart;
  if (change.publicityEnd !== undefined) row.publicity_end = change.publicityEnd;
  if (change.effectiveOn !== undefined) row.effective_on = change.effectiveOn;
  if (change.docNo !== undefined) row.doc_no = change.docNo;
  if (change.gradeId !== undefined) row.grade_id = change.gradeId;
  await trx('rank_promotions').where('id', id).update(row);
}

export async function insertAction(
  trx: Knex.Transaction,
  a: {
    promotionId: number;
    action: string;
    actorUserId: number;
    actorRole: string;
    comment: string;
    docNo: string | null;
    fromState: string | null;
    toState: string;
  },
): Promise<void> {
  await trx('rank_promotion_actions').insert({
    promotion_id: a.promotionId,
    action: a.action,
    actor_user_id: a.actorUserId,
    actor_role: a.actorRole,
    comment: a.comment,
    doc_no: a.docNo,
    from_state: a.fromState,
    to_state: a.toState,
  });
}

export async function actionsOf(db: Knex, promotionId: number) {
  const rows = await db('rank_promotion_actions as a')
    .join('users as u', 'u.id', 'a.actor_user_id')
    .where('a.promotion_id', promotionId)
    .orderBy('a.id')
    .select('a.*', 'u.display_name');
  return rows.map((r: Record<string, unknown>) => ({
    action: r.action as string,
    actorName: r.display_name as string,
    actorRole: r.actor_role as string,
    comment: r.comment as string,
    docNo: r.doc_no as string | null,
    fromState: r.from_state as string | null,
    toState: r.to_state as string,
    at: r.created_at as Date,
  }));
}

/** The person's open grade on the civil-servant rank ladder on a date. */
export async function currentRank(db: Knex, personId: number, asOf: string) {
  return inForce(db('grades as g'), 'g', asOf)
    .where('g.person_id', personId)
    .where('g.ladder', 'civil_service_rank')
    .orderBy('g.valid_from', 'desc')
    .first('g.id', 'g.grade_code', 'g.valid_from', 'g.valid_to');
}

/**
 * Writes the new rank from a date: the rank in force then ends that day and the new one starts (history is
 * never overwritten). A rank starting later than the date is refused by the exclusion constraint.
 */
export async function writeRank(
  trx: Knex.Transaction,
  p: { personId: number; grade: string; from: string; docNo: string | null; reason: string },
): Promise<number> {
  const current = await currentRank(trx, p.personId, p.from);
  if (current && current.valid_from < p.from)
    await trx('grades').where('id', current.id).update({ valid_to: p.from });
  const [row] = await trx('grades')
    .insert({
      person_id: p.personId,
      ladder: 'civil_service_rank',
      grade_code: p.grade,
      valid_from: p.from,
      doc_no: p.docNo,
      reason: p.reason,
    })
    .returning('id');
  return (row as { id: number }).id;
}
