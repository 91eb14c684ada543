import type { Knex } from 'knex';
import type { EstablishmentType } from '../tables.js';

export interface UsageRow {
  accountId: number;
  holderId: number;
  townshipId: number | null;
  departmentId: number | null;
  establishmentType: EstablishmentType;
  approved: number;
  occupied: number;
  /** Places held by quota-use approvals and approved movements not yet in effect (在途). */
  reserved: number;
}

/**
 * Per account `qa`: the latest uncorrected decision in effect, the slots and the reservations in force on the
 * date `on` (an SQL expression used six times: a bound parameter or a column), each an index look-up.
 */
const usageLaterals = (on: string) => `
  LEFT JOIN LATERAL (
    SELECT d.approved_count FROM quota_decisions d
    WHERE d.account_id = qa.id AND d.effective_from <= ${on}
      AND NOT EXISTS (SELECT 1 FROM quota_decisions c WHERE c.corrects_id = d.id)
    ORDER BY d.effective_from DESC, d.id DESC LIMIT 1
  ) ap ON true
  LEFT JOIN LATERAL (
    SELECT count(*) AS n FROM quota_slots s
    WHERE s.account_id = qa.id AND s.superseded_at IS NULL AND s.valid_from <= ${on}
      AND (s.valid_to IS NULL OR s.valid_to > ${on})
  ) oc ON true
  LEFT JOIN LATERAL (
    SELECT count(*) AS n FROM quota_reservations r
    WHERE r.account_id = qa.id AND r.reserved_on <= ${on}
      AND (r.released_on IS NULL OR r.released_on > ${on}) AND (r.expires_on IS NULL OR r.expires_on > ${on})
  ) rs ON true`;

const toUsage = (r: Record<string, unknown>): UsageRow => ({
  accountId: r.account_id as number,
  holderId: r.holder_id as number,
  townshipId: r.township_id as number | null,
  departmentId: r.department_id as number | null,
  establishmentType: r.establishment_type as EstablishmentType,
  approved: Number(r.approved),
  occupied: Number(r.occupied),
  reserved: Number(r.reserved),
});

/**
 * Approved, occupied and reserved per holder and establishment type on a date, derived from the dated rows
 * (never a stored counter).
 */
export async function usage(
  db: Knex,
  filter: {
    townshipIds?: readonly number[];
    departmentIds?: readonly number[];
    accountIds?: readonly number[];
  },
  asOf: string,
): Promise<UsageRow[]> {
  // Per account, after the filter, never an aggregate over every account of the province.
  const q = db('quota_accounts as qa')
    .join('quota_holders as qh', 'qh.id', 'qa.holder_id')
    .joinRaw(usageLaterals('?'), new Array(6).fill(asOf))
    .select(
      'qa.id as account_id',
      'qh.id as holder_id',
      'qh.township_id',
      'qh.department_id',
      'qa.establishment_type',
      db.raw('coalesce(ap.approved_count, 0) as approved'),
      db.raw('coalesce(oc.n, 0) as occupied'),
      db.raw('coalesce(rs.n, 0) as reserved'),
    )
    .orderBy(['qh.id', 'qa.establishment_type']);
  q.where((w) => {
    if (filter.townshipIds) w.orWhereIn('qh.township_id', [...filter.townshipIds]);
    if (filter.departmentIds) w.orWhereIn('qh.department_id', [...filter.departmentIds]);
    if (filter.accountIds) w.orWhereIn('qa.id', [...filter.accountIds]);
  });
  return (await q).map(toUsage);
}

/** Usage of several (account, date) pairs in one statement (a page of requests with different dates). */
export async function usageAt(
  db: Knex,
  pairs: ReadonlyArray<{ accountId: number; on: string }>,
): Promise<Map<string, UsageRow>> {
  if (pairs.length === 0) return new Map();
  const { rows } = await db.raw(
    `SELECT to_char(x.on_date, 'YYYY-MM-DD') AS on_date, qa.id AS account_id, qh.id AS holder_id, qh.township_id,
       qh.department_id, qa.establishment_type, coalesce(ap.approved_count, 0) AS approved,
       coalesce(oc.n, 0) AS occupied, coalesce(rs.n, 0) AS reserved
     FROM json_to_recordset(?::json) AS x(account_id int, on_date date)
     JOIN quota_accounts qa ON qa.id = x.account_id
     JOIN quota_holders qh ON qh.id = qa.holder_id
     ${usageLaterals('x.on_date')}`,
    [JSON.stringify(pairs.map((p) => ({ account_id: p.accountId, on_date: p.on })))],
  );
  return new Map(
    (rows as Array<Record<string, unknown>>).map((r) => [`${r.account_id}:${r.on_date}`, toUsage(r)]),
  );
}

export interface Holder {
  id: number;
  townshipId: number | null;
  departmentId: number | null;
  name: string;
  countyId: number;
}

const holderQuery = (db: Knex) =>
  db('quota_holders as qh')
    .leftJoin('regions as t', 't.id', 'qh.township_id')
    .leftJoin('county_departments as d', 'd.id', 'qh.department_id')
    .select(
      'qh.id',
      'qh.township_id',
      'qh.department_id',
      db.raw('coalesce(t.name, d.name) as name'),
      db.raw('coalesce(t.parent_id, d.county_id) as county_id'),
    );

const toHolder = (r: Record<string, unknown>): Holder => ({
  id: r.id as number,
  townshipId: r.township_id as number | null,
  departmentId: r.department_id as number | null,
  name: r.name as string,
  countyId: r.county_id as number,
});

export async function findHolder(db: Knex, id: number): Promise<Holder | undefined> {
  const row = await holderQuery(db).where('qh.id', id).first();
  return row ? toHolder(row) : undefined;
}

/** The township's own holder, or (for a dispatched unit) its county department's. */
export async function holderFor(
  db: Knex,
  owner: { townshipId: number } | { departmentId: number },
): Promise<Holder | undefined> {
  const q = holderQuery(db);
  if ('townshipId' in owner) q.where('qh.township_id', owner.townshipId);
  else q.where('qh.department_id', owner.departmentId);
  const row = await q.first();
  return row ? toHolder(row) : undefined;
}

/** Holders of a county: its townships' and its departments'. */
export async function holdersOfCounty(db: Knex, countyId: number): Promise<Holder[]> {
  const rows = await holderQuery(db)
    .where('t.parent_id', countyId)
    .orWhere('d.county_id', countyId)
    .orderBy(['qh.department_id', 't.sort_order', 'qh.id']);
  return rows.map(toHolder);
}

/** The account row for a holder and type, created on first use (it exists to be locked). */
export async function ensureAccount(
  trx: Knex.Transaction,
  holderId: number,
  type: EstablishmentType,
): Promise<number> {
  // One statement in the usual case (the account exists, or this inserts it). When another transaction
  // inserted it at the same moment, this statement's snapshot cannot see that row: read it again.
  const { rows } = await trx.raw(
    `WITH made AS (
       INSERT INTO quota_accounts (holder_id, establishment_type) VALUES (?, ?)
       ON CONFLICT (holder_id, establishment_type) DO NOTHING RETURNING id)
     SELECT id FROM made UNION ALL
     SELECT id FROM quota_accounts WHERE holder_id = ? AND establishment_type = ? LIMIT 1`,
    [holderId, type, holderId, type],
  );
  if (rows[0]) return Number(rows[0].id);
  const row = await trx('quota_accounts')
    .where({ holder_id: holderId, establishment_type: type })
    .first('id');
  if (!row) throw new Error('quota account missing after insert');
  return row.id;
}

export async function findAccount(
  db: Knex,
  holderId: number,
  type: EstablishmentType,
): Promise<number | undefined> {
  const row = await db('quota_accounts').where({ holder_id: holderId, establishment_type: type }).first('id');
  return row?.id;
}

/**
 * Locks the account row (SELECT … FOR UPDATE) so that every write adding a person to this holder and type
 * waits for the others and recounts after them: the Q2 invariant holds under concurrency.
 */
export async function lockAccount(trx: Knex.Transaction, accountId: number): Promise<void> {
  await trx('quota_accounts').where({ id: accountId }).forUpdate().first('id');
}

export interface QuotaDecision {
  id: number;
  accountId: number;
  holderId: number;
  holderName: string;
  establishmentType: EstablishmentType;
  approvedCount: number;
  effectiveFrom: string;
  docNo: string;
  changeSummary: string;
  correctsId: number | null;
  correctedById: number | null;
  previousCount: number | null;
  createdAt: Date;
}

/** Decisions for holders, newest first, each with the count it replaced and whether a later one corrects it. */
export async function quotaDecisions(db: Knex, holderIds: readonly number[]): Promise<QuotaDecision[]> {
  if (holderIds.length === 0) return [];
  const rows = await holderQuery(db)
    .clearSelect()
    .join('quota_accounts as qa', 'qa.holder_id', 'qh.id')
    .join('quota_decisions as qd', 'qd.account_id', 'qa.id')
    .whereIn('qh.id', [...holderIds])
    .select(
      'qd.*',
      'qh.id as holder_id',
      'qa.establishment_type',
      db.raw('coalesce(t.name, d.name) as holder_name'),
      db.raw(
        `(SELECT p.approved_count FROM quota_decisions p WHERE p.account_id = qd.account_id
          AND (p.effective_from, p.id) < (qd.effective_from, qd.id) ORDER BY p.effective_from DESC, p.id DESC LIMIT 1) as previous_count`,
      ),
      db.raw(
        '(SELECT c.id FROM quota_decisions c WHERE c.corrects_id = qd.id ORDER BY c.id LIMIT 1) as corrected_by_id',
      ),
    )
    .orderBy([
      { column: 'qd.effective_from', order: 'desc' },
      { column: 'qd.id', order: 'desc' },
    ]);
  return rows.map((r: Record<string, unknown>) => ({
    id: r.id as number,
    accountId: r.account_id as number,
    holderId: r.holder_id as number,
    holderName: r.holder_name as string,
    establishmentType: r.establishment_type as EstablishmentType,
    approvedCount: r.approved_count as number,
    effectiveFrom: r.effective_from as string,
    docNo: r.doc_no as string,
    changeSummary: r.change_summary as string,
    correctsId: r.corrects_id as number | null,
    correctedById: (r.corrected_by_id as number | null) ?? null,
    previousCount:
      r.previous_count === null || r.previous_count === undefined ? null : Number(r.previous_count),
    createdAt: r.created_at as Date,
  }));
}

export async function findQuotaDecision(db: Knex, id: number) {
  return db('quota_decisions as qd')
    .join('quota_accounts as qa', 'qa.id', 'qd.account_id')
    .where('qd.id', id)
    .first('qd.*', 'qa.holder_id', 'qa.establishment_type');
}

export async function insertQuotaDecision(
  trx: Knex.Transaction,
  d: {
    accountId: number;
    approvedCount: number;
    effectiveFrom: string;
    docNo: string;
    changeSummary: string;
    correctsId: number | null;
  },
): Promise<number> {
  const [row] = await trx('quota_decisions')
    .insert({
      account_id: d.accountId,
      approved_count: d.approvedCount,
      effective_from: d.effectiveFrom,
      doc_no: d.docNo,
      change_summary: d.changeSummary,
      corrects_id: d.correctsId,
    })
    .returning('id');
  return (row as { id: number }).id;
}

export async function isQuotaDecisionCorrected(db: Knex, id: number): Promise<boolean> {
  return (await db('quota_decisions').where({ corrects_id: id }).first('id')) !== undefined;
}

/** The account of a holder (a township, or a county department for dispatched units) and a type. */
export async function quotaAccountOf(
  db: Knex,
  holder: { townshipId: number } | { departmentId: number },
  type: EstablishmentType,
): Promise<number | undefined> {
  const q = db('quota_accounts as qa')
    .join('quota_holders as qh', 'qh.id', 'qa.holder_id')
    .where('qa.establishment_type', type);
  if ('townshipId' in holder) q.where('qh.township_id', holder.townshipId);
  else q.where('qh.department_id', holder.departmentId);
  const row = await q.first('qa.id');
  return row?.id;
}
