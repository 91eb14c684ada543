import type { Knex } from 'knex';
import type { EstablishmentType } from '../tables.js';

export interface UsageRow {
  holderId: number;
  townshipId: number | null;
  departmentId: number | null;
  establishmentType: EstablishmentType;
  approved: number;
  occupied: number;
  /** Places held by approved requests not yet in effect; filled in by the movements capability. */
  reserved: number;
}

/**
 * Approved and occupied per holder and establishment type on a date, derived from the dated rows:
 * approved = the latest quota decision in effect; occupied = quota slots in force.
 */
export async function usage(
  db: Knex,
  filter: { townshipIds?: readonly number[]; departmentIds?: readonly number[] },
  asOf: string,
): Promise<UsageRow[]> {
  const approved = db('quota_decisions')
    .distinctOn('account_id')
    .where('effective_from', '<=', asOf)
    .orderBy([
      { column: 'account_id' },
      { column: 'effective_from', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .select('account_id', 'approved_count');
  const occupied = db('quota_slots')
    .whereNull('superseded_at')
    .andWhere('valid_from', '<=', asOf)
    .andWhere((q) => q.whereNull('valid_to').orWhere('valid_to', '>', asOf))
    .groupBy('account_id')
    .select('account_id')
    .count('* as n');
  const q = db('quota_accounts as qa')
    .join('quota_holders as qh', 'qh.id', 'qa.holder_id')
    .leftJoin(approved.as('ap'), 'ap.account_id', 'qa.id')
    .leftJoin(occupied.as('oc'), 'oc.account_id', 'qa.id')
    .select(
      'qh.id as holder_id',
      'qh.township_id',
      'qh.department_id',
      'qa.establishment_type',
      db.raw('coalesce(ap.approved_count, 0) as approved'),
      db.raw('coalesce(oc.n, 0) as occupied'),
    )
    .orderBy(['qh.id', 'qa.establishment_type']);
  q.where((w) => {
    if (filter.townshipIds) w.orWhereIn('qh.township_id', [...filter.townshipIds]);
    if (filter.departmentIds) w.orWhereIn('qh.department_id', [...filter.departmentIds]);
  });
  const rows = await q;
  return rows.map((r: Record<string, unknown>) => ({
    holderId: r.holder_id as number,
    townshipId: r.township_id as number | null,
    departmentId: r.department_id as number | null,
    establishmentType: r.establishment_type as EstablishmentType,
    approved: Number(r.approved),
    occupied: Number(r.occupied),
    reserved: 0,
  }));
}
