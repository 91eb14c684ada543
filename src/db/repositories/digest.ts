import type { Knex } from 'knex';

/** Each user's e-mail address and whether they want the daily inbox digest; the day's claimed run. */

export interface NotificationSettings {
  email: string | null;
  digestEnabled: boolean;
}

export async function notificationSettings(db: Knex, userId: number): Promise<NotificationSettings> {
  const row = await db('users').where({ id: userId }).first('email', 'digest_enabled');
  return { email: row?.email ?? null, digestEnabled: row?.digest_enabled === true };
}

export async function updateNotificationSettings(
  trx: Knex.Transaction,
  userId: number,
  s: NotificationSettings,
): Promise<void> {
  await trx('users').where({ id: userId }).update({ email: s.email, digest_enabled: s.digestEnabled });
}

/** Users who asked for the digest (enabled accounts with an address). */
export async function digestRecipients(db: Knex): Promise<Array<{ id: number; email: string }>> {
  return db('users')
    .where({ digest_enabled: true })
    .whereNull('disabled_at')
    .whereNotNull('email')
    .orderBy('id')
    .select('id', 'email');
}

/** Claims the day's run: true for the one instance whose insert wins, false for every other. */
export async function claimDigestDay(db: Knex, day: string): Promise<boolean> {
  const rows = await db('digest_runs').insert({ day }).onConflict('day').ignore().returning('day');
  return rows.length === 1;
}

export async function finishDigestDay(db: Knex, day: string, sent: number, failed: number): Promise<void> {
  await db('digest_runs').where({ day }).update({ finished_at: db.fn.now(), sent, failed });
}
