import { createHash, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { dummyPasswordHash, hashPassword, verifyPassword } from '../../auth/passwords.js';
import type { Principal, Scope } from '../../auth/principal.js';
import type { Config } from '../../config.js';
import { type Actor, appendAudit } from '../../db/repositories/audit.js';
import * as users from '../../db/repositories/users.js';
import type { Locale } from '../../domain/dates.js';
import { checkNewPassword, type PasswordProblem } from '../../domain/passwordPolicy.js';

export type SignInResult =
  | { ok: true; userId: number; locale: Locale }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'throttled'; retryMinutes: number };

export type ChangePasswordResult =
  | { ok: true }
  | { ok: false; field: 'currentPassword'; problem: 'wrong' }
  | { ok: false; field: 'newPassword'; problem: PasswordProblem };

export const TOKEN_PREFIX = 'gw_';

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function createAuthService(deps: { knex: Knex; config: Config }) {
  const { knex, config } = deps;
  const throttle = config.loginThrottle;

  /** A loaded user's principal for a session, unless disabled (not loaded) or signed out everywhere since. */
  function sessionPrincipal(
    loaded: users.SessionWithPrincipal['loaded'],
    sessionCreatedAt: number | undefined,
  ): { principal: Principal; scope: Scope } | undefined {
    if (!loaded) return undefined;
    if (sessionCreatedAt !== undefined && sessionCreatedAt < loaded.account.sessionsValidAfter.getTime()) {
      return undefined;
    }
    return { principal: loaded.principal, scope: loaded.scope };
  }

  return {
    /**
     * Checks the password unless the account or the address has failed too often in the window.
     * Every attempt is recorded, so throttling holds across app instances.
     */
    async signIn(username: string, password: string, address: string): Promise<SignInResult> {
      // Security timestamps use real time (the database stamps attempts with now()), never the business clock.
      const since = new Date(Date.now() - throttle.windowMinutes * 60_000);
      const [byAccount, byAddress] = await Promise.all([
        users.recentFailures(knex, { username }, since),
        users.recentFailures(knex, { address }, since),
      ]);
      if (byAccount >= throttle.perAccount || byAddress >= throttle.perAddress) {
        await users.recordLoginAttempt(knex, { username, address, succeeded: false });
        return { ok: false, reason: 'throttled', retryMinutes: throttle.windowMinutes };
      }
      const account = await users.findUserByUsername(knex, username);
      const valid = account
        ? await verifyPassword(account.passwordHash, password)
        : (await verifyPassword(await dummyPasswordHash(), password)) && false;
      const succeeded = Boolean(account && valid && !account.disabled);
      await users.recordLoginAttempt(knex, { username, address, succeeded });
      if (!succeeded || !account) return { ok: false, reason: 'invalid' };
      return { ok: true, userId: account.id, locale: account.locale };
    },

    /** The principal for a session's user id, unless the account was disabled or signed out everywhere. */
    async principalForSession(
      userId: number,
      sessionCreatedAt: number | undefined,
    ): Promise<{ principal: Principal; scope: Scope } | undefined> {
      return sessionPrincipal(await users.loadPrincipal(knex, userId, 'session'), sessionCreatedAt);
    },

    /** The same answer for a user the session store read with the session (users.sessionWithPrincipal). */
    sessionPrincipal,

    /** Reads a session and its user's principal in one statement (the session store's read). */
    readSession: (sid: string, now: Date) => users.sessionWithPrincipal(knex, sid, now),

    /** The principal and scope of an active API token (its user's, unless disabled). */
    async principalForToken(rawToken: string): Promise<{ principal: Principal; scope: Scope } | undefined> {
      if (!rawToken.startsWith(TOKEN_PREFIX) || rawToken.length > 200) return undefined;
      const now = new Date();
      const found = await users.principalForTokenHash(knex, hashToken(rawToken), now);
      if (!found) return undefined;
      const { token } = found;
      // "Last used" to the minute: one write a minute per token, not one per request.
      if (!token.lastUsedAt || now.getTime() - new Date(token.lastUsedAt).getTime() > 60_000)
        await users.touchApiToken(knex, token.id, now);
      return { principal: found.principal, scope: found.scope };
    },

    async changePassword(actor: Actor, current: string, next: string): Promise<ChangePasswordResult> {
      const account = await users.findUserById(knex, actor.userId);
      if (!account || !(await verifyPassword(account.passwordHash, current))) {
        return { ok: false, field: 'currentPassword', problem: 'wrong' };
      }
      const problem = checkNewPassword(next, { username: account.username, current });
      if (problem) return { ok: false, field: 'newPassword', problem };
      const hash = await hashPassword(next);
      await knex.transaction(async (trx) => {
        // Real time, not the injectable business clock: it is compared with session creation times.
        await users.updatePasswordHash(trx, actor.userId, hash, new Date());
        await appendAudit(trx, actor, {
          action: 'user.password_changed',
          entityType: 'user',
          entityId: actor.userId,
        });
      });
      return { ok: true };
    },

    async setLocale(actor: Actor, locale: Locale): Promise<void> {
      await knex.transaction(async (trx) => {
        const before = await users.findUserById(trx, actor.userId);
        await users.updateLocale(trx, actor.userId, locale);
        await appendAudit(trx, actor, {
          action: 'user.locale_changed',
          entityType: 'user',
          entityId: actor.userId,
          before: { locale: before?.locale },
          after: { locale },
        });
      });
    },

    listTokens(userId: number) {
      return users.listApiTokens(knex, userId);
    },

    /** Creates a token and returns it once in clear; only its hash is stored. */
    async createToken(actor: Actor, name: string, expiresOn: string | null) {
      const raw = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
      const expiresAt = expiresOn ? new Date(`${expiresOn}T23:59:59+08:00`) : null;
      const token = await knex.transaction(async (trx) => {
        const created = await users.insertApiToken(trx, {
          userId: actor.userId,
          name,
          hash: hashToken(raw),
          prefix: raw.slice(0, TOKEN_PREFIX.length + 6),
          expiresAt,
        });
        await appendAudit(trx, actor, {
          action: 'api_token.created',
          entityType: 'api_token',
          entityId: created.id,
          after: { name, prefix: created.prefix, expiresAt },
        });
        return created;
      });
      return { token, raw };
    },

    async revokeToken(actor: Actor, tokenId: number): Promise<boolean> {
      return knex.transaction(async (trx) => {
        const revoked = await users.revokeApiToken(trx, actor.userId, tokenId, new Date());
        if (!revoked) return false;
        await appendAudit(trx, actor, {
          action: 'api_token.revoked',
          entityType: 'api_token',
          entityId: tokenId,
          after: { revokedAt: revoked.revokedAt },
        });
        return true;
      });
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
