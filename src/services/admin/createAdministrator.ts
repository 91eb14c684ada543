import type { Knex } from 'knex';
import { hashPassword } from '../../auth/passwords.js';
import { appendAudit } from '../../db/repositories/audit.js';
import { checkNewPassword, type PasswordProblem } from '../../domain/passwordPolicy.js';

export type CreateAdministratorResult =
  | { ok: true; id: number }
  | { ok: false; problem: PasswordProblem | 'username_invalid' | 'username_taken' };

/**
 * The first administrator, from the command line (`npm run admin:create`): the password policy applies, the
 * password is stored as an argon2id hash, and the account, its role and one audit entry are written in one
 * transaction (the actor is the operator at the console: no user).
 */
export async function createAdministrator(
  knex: Knex,
  input: { username: string; displayName: string; password: string },
): Promise<CreateAdministratorResult> {
  const username = input.username.trim().toLowerCase();
  if (!/^[a-z0-9][a-z0-9._-]{1,39}$/.test(username)) return { ok: false, problem: 'username_invalid' };
  const problem = checkNewPassword(input.password, { username });
  if (problem) return { ok: false, problem };
  const passwordHash = await hashPassword(input.password);
  return knex.transaction(async (trx) => {
    const taken = await trx('users').whereRaw('lower(username) = ?', [username]).first('id');
    if (taken) return { ok: false, problem: 'username_taken' } as const;
    const [row] = await trx('users')
      .insert({ username, display_name: input.displayName.trim() || username, password_hash: passwordHash })
      .returning('id');
    const id = (row as { id: number }).id;
    await trx('user_roles').insert({
      user_id: id,
      role: 'admin',
      region_id: null,
      region_kind: null,
      person_id: null,
    });
    await appendAudit(
      trx,
      { userId: id, username: 'console', requestId: 'admin:create' },
      {
        action: 'user.created',
        entityType: 'user',
        entityId: id,
        after: { username, role: 'admin', via: 'console' },
      },
    );
    return { ok: true, id } as const;
  });
}
