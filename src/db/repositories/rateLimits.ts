import type { Knex } from 'knex';

/**
 * One more hit for a key in its fixed window: a new window when the old one has passed. One statement, so
 * concurrent requests on any instance count exactly.
 */
export async function hit(db: Knex, key: string, windowMs: number): Promise<{ hits: number; resetAt: Date }> {
  const result = await db.raw(
    `INSERT INTO api_rate_limits (key, hits, reset_at) VALUES (?, 1, now() + (? * interval '1 millisecond'))
     ON CONFLICT (key) DO UPDATE SET
       hits = CASE WHEN api_rate_limits.reset_at <= now() THEN 1 ELSE api_rate_limits.hits + 1 END,
       reset_at = CASE WHEN api_rate_limits.reset_at <= now() THEN excluded.reset_at ELSE api_rate_limits.reset_at END
     RETURNING hits, reset_at`,
    [key, windowMs],
  );
  const row = (result.rows as Array<{ hits: number; reset_at: Date | string }>)[0];
  if (!row) throw new Error('rate limit upsert returned nothing');
  return { hits: Number(row.hits), resetAt: new Date(row.reset_at) };
}

export async function current(db: Knex, key: string): Promise<{ hits: number; resetAt: Date } | undefined> {
  const row = await db('api_rate_limits').where({ key }).where('reset_at', '>', db.fn.now()).first();
  return row ? { hits: Number(row.hits), resetAt: new Date(row.reset_at) } : undefined;
}

export async function unhit(db: Knex, key: string): Promise<void> {
  await db('api_rate_limits').where({ key }).where('hits', '>', 0).decrement('hits', 1);
}

export async function reset(db: Knex, key: string): Promise<void> {
  await db('api_rate_limits').where({ key }).delete();
}

/** Drops windows that ended long ago (called now and then; rows are one per user or address). */
export async function sweep(db: Knex): Promise<void> {
  await db('api_rate_limits').where('reset_at', '<', db.raw("now() - interval '1 day'")).delete();
}
