import type { Knex } from 'knex';
import type { EstablishmentType } from '../tables.js';

/**
 * The counts that guard Q2 (occupied + reserved ≤ approved), taken under a lock on the quota account row.
 * Every path that adds a person to a quota account calls lockQuotaAccount first, in the same transaction.
 */

/** Locks the account row until the transaction ends, so two entries can't both take the last place. */
export async function lockQuotaAccount(trx: Knex.Transaction, accountId: number): Promise<boolean> {
  const row = await trx('quota_accounts').where({ id: accountId }).forUpdate().first('id');
  return row !== undefined;
}

/** Quota slots of the account in force on the date (corrected rows excluded). */
export async function occupiedOn(db: Knex, accountId: number, date: string): Promise<number> {
  const row = await db('quota_slots')
    .where({ account_id: accountId })
    .whereNull('superseded_at')
    .andWhere('valid_from', '<=', date)
    .andWhere((q) => q.whereNull('valid_to').orWhere('valid_to', '>', date))
    .count<{ n: number | string }[]>('* as n')
    .first();
  return Number(row?.n ?? 0);
}

/** The approved count in effect on the date: the latest decision effective by then (0 before any). */
export async function approvedOn(db: Knex, accountId: number, date: string): Promise<number> {
  const row = await db('quota_decisions')
    .where({ account_id: accountId })
    .andWhere('effective_from', '<=', date)
    .orderBy([
      { column: 'effective_from', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .first('approved_count');
  return row?.approved_count ?? 0;
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
