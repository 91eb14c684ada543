import type { Knex } from 'knex';
import { hashPassword } from '../../src/auth/passwords.js';
import type { Role } from '../../src/auth/principal.js';

let counter = 0;

/** A new account (unique username) with one role; for tests that change accounts without touching the demo ones. */
export async function createUser(
  knex: Knex,
  options: { role: Role; regionId?: number; personId?: number; password?: string; prefix?: string },
): Promise<{ id: number; username: string; password: string }> {
  counter += 1;
  const username = `${options.prefix ?? 't'}-${process.pid}-${counter}`.toLowerCase();
  const password = options.password ?? 'correct-horse-battery-9';
  const [user] = await knex('users')
    .insert({ username, display_name: `测试用户${counter}`, password_hash: await hashPassword(password) })
    .returning('id');
  const id = (user as { id: number }).id;
  const regionKind =
    options.role === 'township_officer'
      ? 'township'
      : options.role === 'admin' || options.role === 'staff'
        ? null
        : 'county';
  await knex('user_roles').insert({
    user_id: id,
    role: options.role,
    region_id: options.regionId ?? null,
    region_kind: regionKind,
    person_id: options.personId ?? null,
  });
  return { id, username, password };
}

/** Demo ids looked up by account, so tests don't hard-code generated ids. */
export async function demoScopes(knex: Knex) {
  const grant = async (username: string) => {
    const row = await knex('user_roles as ur')
      .join('users as u', 'u.id', 'ur.user_id')
      .where('u.username', username)
      .first('ur.region_id', 'ur.person_id');
    if (!row) throw new Error(`demo account ${username} missing`);
    return row as { region_id: number | null; person_id: number | null };
  };
  const county = (await grant('zuzhibu')).region_id as number;
  const county2 = (await grant('zuzhibu2')).region_id as number;
  const township = (await grant('officer')).region_id as number;
  const township2 = (await grant('officer2')).region_id as number;
  const township3 = (await grant('officer3')).region_id as number;
  const staffPerson = (await grant('staff')).person_id as number;
  const city = (await knex('regions').where({ id: county }).first('parent_id'))?.parent_id as number;
  return { city, county, county2, township, township2, township3, staffPerson };
}

/** Rows in a table matching a filter (a number on both backends). */
export async function countRows(
  knex: Knex,
  table: string,
  where: Record<string, unknown> = {},
): Promise<number> {
  const row = await knex(table).where(where).count<{ n: number | string }[]>('* as n').first();
  return Number(row?.n ?? 0);
}
