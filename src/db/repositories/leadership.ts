import type { Knex } from 'knex';

export interface SlotRow {
  accountId: number | null;
  kind: string;
  nameZh: string;
  nameEn: string;
  sortOrder: number;
  /** Approved on the date: the latest decision, 0 once a temporary slot's write-off date is reached. */
  approved: number;
  decidedCount: number;
  rank: 'section_chief' | 'deputy_section' | 'stock';
  counted: boolean;
  concurrentOnly: boolean;
  temporary: boolean;
  writeOffOn: string | null;
  holders: Array<{ personId: number; name: string; assignmentKind: string; since: string; postId: number }>;
}

/**
 * Township leadership slots per kind on a date with their holders (assignments in force in the township's
 * posts of that kind, primary or concurrent). Kinds without a decision but with holders are listed too.
 */
export async function slotsOfTownship(db: Knex, townshipId: number, asOf: string): Promise<SlotRow[]> {
  return (await slotsOfTownships(db, [townshipId], asOf)).get(townshipId) ?? [];
}

/**
 * The same for many townships at once (two queries whatever their number), by township id; every township
 * asked about is in the map, with an empty list when it has neither decisions nor leaders.
 */
export async function slotsOfTownships(
  db: Knex,
  townshipIds: readonly number[],
  asOf: string,
): Promise<Map<number, SlotRow[]>> {
  const ids = [...new Set(townshipIds)];
  if (ids.length === 0) return new Map();
  const decisions = (await slotDecisionsQuery(db, ids, asOf)) as SlotDecisionInForce[];
  const holders = (await slotHoldersQuery(db, ids, asOf)) as SlotHolder[];
  return assembleSlots(ids, decisions, holders, asOf);
}

/** A row of slotDecisionsQuery: the latest decision in force of one township's slot account. */
export interface SlotDecisionInForce {
  account_id: number;
  slot_township_id: number;
  kind_code: string;
  name_zh: string;
  name_en: string;
  sort_order: number;
  slot_count: number;
  rank: SlotRow['rank'];
  counted: boolean;
  concurrent_only: boolean;
  temporary: boolean;
  write_off_on: string | null;
}

/** A row of slotHoldersQuery: an assignment in force in a township post of a township leadership kind. */
export interface SlotHolder {
  township_id: number;
  leadership_kind: string;
  name_zh: string;
  name_en: string;
  sort_order: number;
  rank: SlotRow['rank'];
  counted: boolean;
  concurrent_only: boolean;
  person_id: number;
  name: string;
  assignment_kind: string;
  valid_from: string;
  assignment_id: number;
  post_id: number;
}

/** The latest decision in force on the date of each leadership slot account of the townships. */
export function slotDecisionsQuery(
  db: Knex,
  townshipIds: readonly number[],
  asOf: string,
): Knex.QueryBuilder {
  return db('leadership_slot_accounts as la')
    .join('leadership_kinds as k', 'k.code', 'la.kind_code')
    .joinRaw(
      `JOIN LATERAL (
        SELECT d.* FROM leadership_slot_decisions d WHERE d.account_id = la.id AND d.effective_from <= ?
          AND NOT EXISTS (SELECT 1 FROM leadership_slot_decisions c WHERE c.corrects_id = d.id)
        ORDER BY d.effective_from DESC, d.id DESC LIMIT 1
      ) d ON true`,
      [asOf],
    )
    .whereRaw('la.township_id = any(?::int[])', [[...townshipIds]])
    .select(
      'la.id as account_id',
      'la.township_id as slot_township_id',
      'la.kind_code',
      'k.name_zh',
      'k.name_en',
      'k.sort_order',
      'd.slot_count',
      'd.rank',
      'd.counted',
      'd.concurrent_only',
      'd.temporary',
      'd.write_off_on',
    );
}

/** Assignments in force on the date in the townships' own leadership posts, oldest first. */
export function slotHoldersQuery(db: Knex, townshipIds: readonly number[], asOf: string): Knex.QueryBuilder {
  return db('assignments as a')
    .join('posts as p', 'p.id', 'a.post_id')
    .join('people as pe', 'pe.id', 'a.person_id')
    .join('leadership_kinds as k', 'k.code', 'p.leadership_kind')
    .whereRaw('p.township_id = any(?::int[])', [[...townshipIds]])
    .whereNull('p.unit_id')
    .whereNotNull('p.leadership_kind')
    .whereNull('a.superseded_at')
    .andWhere('a.valid_from', '<=', asOf)
    .andWhere((q) => q.whereNull('a.valid_to').orWhere('a.valid_to', '>', asOf))
    .orderBy(['a.valid_from', 'a.id'])
    .select(
      'p.township_id',
      'p.leadership_kind',
      'k.name_zh',
      'k.name_en',
      'k.sort_order',
      'k.rank',
      'k.counted',
      'k.concurrent_only',
      'a.person_id',
      'pe.name',
      'a.kind as assignment_kind',
      'a.valid_from',
      'a.id as assignment_id',
      'p.id as post_id',
    );
}

/**
 * The slots per township from the two reads (holders in their query's order); kinds without a decision but
 * with holders are listed too. Every township asked about is in the map.
 */
export function assembleSlots(
  townshipIds: readonly number[],
  decisions: readonly SlotDecisionInForce[],
  holders: readonly SlotHolder[],
  asOf: string,
): Map<number, SlotRow[]> {
  const out = new Map<number, SlotRow[]>(townshipIds.map((id) => [id, []]));
  const byKind = new Map<string, SlotRow>();
  const key = (townshipId: number, kind: string) => `${townshipId}:${kind}`;
  for (const d of decisions) {
    const writeOff = d.write_off_on;
    byKind.set(key(d.slot_township_id, d.kind_code), {
      accountId: d.account_id,
      kind: d.kind_code,
      nameZh: d.name_zh,
      nameEn: d.name_en,
      sortOrder: d.sort_order,
      approved: writeOff !== null && writeOff <= asOf ? 0 : d.slot_count,
      decidedCount: d.slot_count,
      rank: d.rank,
      counted: d.counted,
      concurrentOnly: d.concurrent_only,
      temporary: d.temporary,
      writeOffOn: writeOff,
      holders: [],
    });
  }
  for (const h of holders) {
    const kind = h.leadership_kind;
    const k = key(h.township_id, kind);
    let slot = byKind.get(k);
    if (!slot) {
      slot = {
        accountId: null,
        kind,
        nameZh: h.name_zh,
        nameEn: h.name_en,
        sortOrder: h.sort_order,
        approved: 0,
        decidedCount: 0,
        rank: h.rank,
        counted: h.counted,
        concurrentOnly: h.concurrent_only,
        temporary: false,
        writeOffOn: null,
        holders: [],
      };
      byKind.set(k, slot);
    }
    slot.holders.push({
      personId: h.person_id,
      name: h.name,
      assignmentKind: h.assignment_kind,
      since: h.valid_from,
      postId: h.post_id,
    });
  }
  for (const [k, slot] of byKind) out.get(Number(k.slice(0, k.indexOf(':'))))?.push(slot);
  for (const list of out.values()) list.sort((a, b) => a.sortOrder - b.sortOrder);
  return out;
}

/** The township's total of counted leadership positions on a date (null when never decided). */
export async function totalOn(
  db: Knex,
  townshipId: number,
  asOf: string,
): Promise<{ total: number; docNo: string } | null> {
  return (await totalsOn(db, [townshipId], asOf)).get(townshipId) ?? null;
}

/** The totals of many townships on a date (one query), by township id; undecided townships are left out. */
export async function totalsOn(
  db: Knex,
  townshipIds: readonly number[],
  asOf: string,
): Promise<Map<number, { total: number; docNo: string }>> {
  if (townshipIds.length === 0) return new Map();
  const rows = (await totalsQuery(db, [...new Set(townshipIds)], asOf)) as TotalRow[];
  return new Map(rows.map((r) => [r.township_id, { total: r.total, docNo: r.doc_no }]));
}

/** A row of totalsQuery. */
export interface TotalRow {
  township_id: number;
  total: number;
  doc_no: string;
}

/** The latest total decision in force on the date of each of the townships (undecided ones have no row). */
export function totalsQuery(db: Knex, townshipIds: readonly number[], asOf: string): Knex.QueryBuilder {
  return db('leadership_total_decisions as d')
    .distinctOn('d.township_id')
    .whereRaw('d.township_id = any(?::int[])', [[...townshipIds]])
    .andWhere('d.effective_from', '<=', asOf)
    .whereNotExists(db('leadership_total_decisions as c').whereRaw('c.corrects_id = d.id'))
    .orderBy([
      { column: 'd.township_id' },
      { column: 'd.effective_from', order: 'desc' },
      { column: 'd.id', order: 'desc' },
    ])
    .select('d.township_id', 'd.total', 'd.doc_no');
}

export async function ensureSlotAccount(
  trx: Knex.Transaction,
  townshipId: number,
  kind: string,
): Promise<number> {
  await trx('leadership_slot_accounts')
    .insert({ township_id: townshipId, kind_code: kind })
    .onConflict(['township_id', 'kind_code'])
    .ignore();
  const row = await trx('leadership_slot_accounts')
    .where({ township_id: townshipId, kind_code: kind })
    .first('id');
  if (!row) throw new Error('leadership slot account missing after insert');
  return row.id;
}

/** Locks the slot kind's row: appointments to that kind in the township queue behind each other (L1). */
export async function lockSlotAccount(trx: Knex.Transaction, accountId: number): Promise<void> {
  await trx('leadership_slot_accounts').where({ id: accountId }).forUpdate().first('id');
}

/**
 * Locks the township's whole leadership: every slot account of the township, in id order (no deadlocks),
 * for the counted-total check (L2), which spans kinds.
 */
export async function lockTownshipSlots(trx: Knex.Transaction, townshipId: number): Promise<void> {
  await trx('leadership_slot_accounts')
    .where({ township_id: townshipId })
    .orderBy('id')
    .forUpdate()
    .select('id');
}

export interface SlotDecision {
  id: number;
  kind: string;
  nameZh: string;
  nameEn: string;
  slotCount: number;
  rank: string;
  counted: boolean;
  concurrentOnly: boolean;
  temporary: boolean;
  writeOffOn: string | null;
  effectiveFrom: string;
  docNo: string;
  changeSummary: string;
  correctsId: number | null;
  correctedById: number | null;
}

export async function slotDecisions(db: Knex, townshipId: number): Promise<SlotDecision[]> {
  const rows = await db('leadership_slot_decisions as d')
    .join('leadership_slot_accounts as la', 'la.id', 'd.account_id')
    .join('leadership_kinds as k', 'k.code', 'la.kind_code')
    .where('la.township_id', townshipId)
    .orderBy([
      { column: 'd.effective_from', order: 'desc' },
      { column: 'd.id', order: 'desc' },
    ])
    .select(
      'd.*',
      'la.kind_code',
      'k.name_zh',
      'k.name_en',
      db.raw(
        '(SELECT c.id FROM leadership_slot_decisions c WHERE c.corrects_id = d.id ORDER BY c.id LIMIT 1) as corrected_by_id',
      ),
    );
  return rows.map((r: Record<string, unknown>) => ({
    id: r.id as number,
    kind: r.kind_code as string,
    nameZh: r.name_zh as string,
    nameEn: r.name_en as string,
    slotCount: r.slot_count as number,
    rank: r.rank as string,
    counted: r.counted as boolean,
    concurrentOnly: r.concurrent_only as boolean,
    temporary: r.temporary as boolean,
    writeOffOn: r.write_off_on as string | null,
    effectiveFrom: r.effective_from as string,
    docNo: r.doc_no as string,
    changeSummary: r.change_summary as string,
    correctsId: r.corrects_id as number | null,
    correctedById: (r.corrected_by_id as number | null) ?? null,
  }));
}

export async function totalDecisions(db: Knex, townshipId: number) {
  const rows = await db('leadership_total_decisions')
    .where({ township_id: townshipId })
    .orderBy([
      { column: 'effective_from', order: 'desc' },
      { column: 'id', order: 'desc' },
    ]);
  return rows.map((r) => ({
    id: r.id,
    total: r.total,
    effectiveFrom: r.effective_from,
    docNo: r.doc_no,
    changeSummary: r.change_summary,
    correctsId: r.corrects_id,
  }));
}

export async function insertSlotDecision(
  trx: Knex.Transaction,
  d: {
    accountId: number;
    slotCount: number;
    rank: string;
    counted: boolean;
    concurrentOnly: boolean;
    temporary: boolean;
    writeOffOn: string | null;
    effectiveFrom: string;
    docNo: string;
    changeSummary: string;
    correctsId: number | null;
  },
): Promise<number> {
  const [row] = await trx('leadership_slot_decisions')
    .insert({
      account_id: d.accountId,
      slot_count: d.slotCount,
      rank: d.rank as 'deputy_section',
      counted: d.counted,
      concurrent_only: d.concurrentOnly,
      temporary: d.temporary,
      write_off_on: d.writeOffOn,
      effective_from: d.effectiveFrom,
      doc_no: d.docNo,
      change_summary: d.changeSummary,
      corrects_id: d.correctsId,
    })
    .returning('id');
  return (row as { id: number }).id;
}

export async function insertTotalDecision(
  trx: Knex.Transaction,
  d: {
    townshipId: number;
    total: number;
    effectiveFrom: string;
    docNo: string;
    changeSummary: string;
    correctsId: number | null;
  },
): Promise<number> {
  const [row] = await trx('leadership_total_decisions')
    .insert({
      township_id: d.townshipId,
      total: d.total,
      effective_from: d.effectiveFrom,
      doc_no: d.docNo,
      change_summary: d.changeSummary,
      corrects_id: d.correctsId,
    })
    .returning('id');
  return (row as { id: number }).id;
}

export function leadershipKinds(db: Knex, scope: 'township' | 'unit') {
  return db('leadership_kinds').where({ scope }).orderBy('sort_order').select('*');
}

export function findSlotDecision(db: Knex, id: number, townshipId: number) {
  return db('leadership_slot_decisions as d')
    .join('leadership_slot_accounts as la', 'la.id', 'd.account_id')
    .where({ 'd.id': id, 'la.township_id': townshipId })
    .first('d.*', 'la.kind_code');
}

export function findLeadershipKind(db: Knex, code: string) {
  return db('leadership_kinds').where({ code }).first();
}

/** A slot decision of this account (for a correction), and whether some later decision already corrects it. */
export async function slotDecisionState(db: Knex, id: number, accountId: number) {
  const row = await db('leadership_slot_decisions').where({ id, account_id: accountId }).first('id');
  const corrected = await db('leadership_slot_decisions').where({ corrects_id: id }).first('id');
  return { exists: row !== undefined, corrected: corrected !== undefined };
}

export async function totalDecisionExists(db: Knex, id: number, townshipId: number): Promise<boolean> {
  return (
    (await db('leadership_total_decisions').where({ id, township_id: townshipId }).first('id')) !== undefined
  );
}
