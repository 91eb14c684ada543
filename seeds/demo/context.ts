import type { Knex } from 'knex';
import { resolveScope } from '../../src/db/repositories/scope.js';
import { loadPrincipal } from '../../src/db/repositories/users.js';
import type { RequestContext } from '../../src/services/access.js';

/**
 * The request context of a demo account, as the app builds it for a signed-in user (its grants and their scope),
 * so that the demo seeds write through the services exactly as a user would. Throws when the account is missing.
 */
export async function demoContext(knex: Knex, username: string): Promise<RequestContext> {
  const user = await knex('users').where({ username }).first('id');
  const loaded = user ? await loadPrincipal(knex, user.id, 'session') : undefined;
  if (!loaded) throw new Error(`demo seed: account ${username} missing`);
  const principal = { ...loaded.principal, locale: 'zh-CN' as const };
  return {
    principal,
    scope: await resolveScope(knex, principal.grants),
    actor: { userId: principal.userId, username, requestId: 'demo-seed' },
  };
}
