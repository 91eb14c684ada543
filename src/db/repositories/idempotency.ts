import type { Knex } from 'knex';

/**
 * Claims a form key inside the write's transaction. Returns the earlier result when the key was already used
 * (a double submit), or null when this submission is the first. The unique key makes two concurrent submits
 * of the same form serialise: the second waits for the first's transaction, then finds the key.
 */
export async function claimKey(
  trx: Knex.Transaction,
  key: string,
  userId: number,
  action: string,
): Promise<{ result: unknown } | null> {
  const inserted = await trx('idempotency_keys')
    .insert({ key, user_id: userId, action })
    .onConflict('key')
    .ignore()
    .returning('key');
  if (inserted.length > 0) return null;
  const row = await trx('idempotency_keys').where({ key }).first('result', 'user_id');
  return { result: row?.user_id === userId ? row.result : null };
}

export async function recordResult(trx: Knex.Transaction, key: string, result: unknown): Promise<void> {
  await trx('idempotency_keys')
    .where({ key })
    .update({ result: JSON.stringify(result) });
}
