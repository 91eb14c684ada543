/** What a write returns: done, or refused on a field with a message code (`refusals.<code>`) and its numbers. */
export type WriteResult<T> =
  | { ok: true; value: T; replayed?: boolean }
  | { ok: false; field: string; code: string; vars?: Record<string, string | number> };

export const refuse = (field: string, code: string, vars?: Record<string, string | number>) =>
  ({ ok: false, field, code, ...(vars ? { vars } : {}) }) as const;

/** Database constraint violations a write may meet, mapped to the field and message they concern. */
export function constraintRefusal(err: unknown, map: Record<string, [string, string]>) {
  const e = err as { code?: string; constraint?: string };
  if ((e.code === '23P01' || e.code === '23505' || e.code === '23514') && e.constraint && map[e.constraint]) {
    const [field, code] = map[e.constraint] as [string, string];
    return refuse(field, code);
  }
  return null;
}

/** Carries a refusal out of a transaction so that it rolls back (a claimed form key included). */
class RefusalRollback extends Error {
  constructor(readonly refusal: ReturnType<typeof refuse>) {
    super(refusal.code);
  }
}

/**
 * A write transaction that answers with a refusal instead of committing: any refusal returned by `work`
 * rolls back everything it did — the claimed form key too, so the user can fix the form and submit again.
 */
export async function writeTransaction<T>(
  knex: import('knex').Knex,
  work: (trx: import('knex').Knex.Transaction) => Promise<WriteResult<T>>,
): Promise<WriteResult<T>> {
  try {
    return await knex.transaction(async (trx) => {
      const result = await work(trx);
      if (!result.ok) throw new RefusalRollback(result);
      return result;
    });
  } catch (err) {
    if (err instanceof RefusalRollback) return err.refusal;
    throw err;
  }
}
