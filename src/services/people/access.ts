import type { Knex } from 'knex';
import type { Scope } from '../../auth/principal.js';
import { isPersonInScope } from '../../db/repositories/scope.js';
import { ForbiddenError, NotFoundError } from '../../errors.js';

/**
 * Who may change a record: township officers for their township, county roles for their county, the admin
 * anywhere. A staff grant (the person themself) reads but never writes: the write scope drops it.
 */
export function writeScopeOf(scope: Scope): Scope {
  return { ...scope, personIds: new Set() };
}

export function townshipWritable(scope: Scope, townshipId: number): boolean {
  return scope.all || scope.townshipIds.has(townshipId);
}

/** Readable or 404 (scope never reveals that a record exists). */
export async function assertReadable(
  knex: Knex,
  scope: Scope,
  personId: number,
  asOf: string,
): Promise<void> {
  if (!(await isPersonInScope(knex, scope, personId, asOf))) throw new NotFoundError('person');
}

/** Writable, or 403 when the caller may read it (their own record), or 404. */
export async function assertWritable(
  knex: Knex,
  scope: Scope,
  personId: number,
  asOf: string,
): Promise<void> {
  if (await isPersonInScope(knex, writeScopeOf(scope), personId, asOf)) return;
  await assertReadable(knex, scope, personId, asOf);
  throw new ForbiddenError('read-only');
}

export async function canWrite(knex: Knex, scope: Scope, personId: number, asOf: string): Promise<boolean> {
  return isPersonInScope(knex, writeScopeOf(scope), personId, asOf);
}
