import type { Knex } from 'knex';
import type { Principal, RoleGrant, Scope } from '../../auth/principal.js';
import type { Locale } from '../../domain/dates.js';
import { preparedRows } from '../prepared.js';
import { queryTemplate } from '../queryTemplate.js';
import type { ApiTokenRow, UserRow } from '../tables.js';
import { compactWhenLongLog } from './overviewChanges.js';
import { type ScopeRow, scopeColumns, scopeFromRows } from './scope.js';

export interface UserAccount {
  id: number;
  username: string;
  displayName: string;
  passwordHash: string;
  locale: Locale;
  disabled: boolean;
  sessionsValidAfter: Date;
}

const toAccount = (
  row: Pick<
    UserRow,
    'id' | 'username' | 'display_name' | 'password_hash' | 'locale' | 'disabled_at' | 'sessions_valid_after'
  >,
): UserAccount => ({
  id: row.id,
  username: row.username,
  displayName: row.display_name,
  passwordHash: row.password_hash,
  locale: row.locale,
  disabled: row.disabled_at !== null,
  sessionsValidAfter: row.sessions_valid_after,
});

export async function findUserByUsername(db: Knex, username: string): Promise<UserAccount | undefined> {
  const row = await db('users').where({ username }).first();
  return row ? toAccount(row) : undefined;
}

export async function findUserById(db: Knex, id: number): Promise<UserAccount | undefined> {
  const row = await db('users').where({ id }).first();
  return row ? toAccount(row) : undefined;
}

export async function grantsOf(db: Knex, userId: number): Promise<RoleGrant[]> {
  const rows = await db('user_roles').where({ user_id: userId }).orderBy('id');
  return rows.map((r) => ({ role: r.role, regionId: r.region_id, personId: r.person_id }));
}

/** The user's role grants as one JSON array, for reading a user and their grants in one statement. */
const grantsJson = (db: Knex, userColumn: string) =>
  db.raw(
    `coalesce((SELECT json_agg(json_build_array(r.role, r.region_id, r.person_id) ORDER BY r.id)
       FROM user_roles r WHERE r.user_id = ${userColumn}), '[]'::json) AS grants_json`,
  );

/**
 * The user columns a principal needs, named: a prepared statement's result must keep its shape when a later
 * migration adds a column (PostgreSQL refuses to run a prepared `u.*` whose table gained one).
 */
const PRINCIPAL_COLUMNS = [
  'u.id',
  'u.username',
  'u.display_name',
  'u.password_hash',
  'u.locale',
  'u.disabled_at',
  'u.sessions_valid_after',
] as const;

/** The scope of the user (its regions and its counties' change-log key), read with the user. */
const scopeOfUser = (db: Knex, userColumn: string) =>
  db.raw(scopeColumns(`(SELECT r.role, r.region_id FROM user_roles r WHERE r.user_id = ${userColumn})`));

type GrantTuple = [RoleGrant['role'], number | null, number | null];

/**
 * The principal, account and scope from a row of the three principal statements below (undefined for a disabled
 * user). Starts the background compaction of the scope's change log when the row found it long.
 */
function principalOf(
  db: Knex,
  row: Pick<
    UserRow,
    'id' | 'username' | 'display_name' | 'password_hash' | 'locale' | 'disabled_at' | 'sessions_valid_after'
  > & {
    grants_json: GrantTuple[] | string;
    scope_rows: ScopeRow[] | string;
    scope_key: string;
    scope_log_rows?: number | string | null;
  },
  via: Principal['via'],
): { principal: Principal; account: UserAccount; scope: Scope } | undefined {
  const account = toAccount(row);
  if (account.disabled) return undefined;
  const tuples = (
    typeof row.grants_json === 'string' ? JSON.parse(row.grants_json) : row.grants_json
  ) as GrantTuple[];
  const grants = tuples.map(([role, regionId, personId]) => ({ role, regionId, personId }));
  const scope = scopeFromRows(grants, row.scope_rows, row.scope_key);
  // A reader whose pages are all cached reads no county key on its own: their log is noticed here.
  if (!scope.all) compactWhenLongLog(db, Number(row.scope_log_rows ?? 0), scope.countyIds.size);
  return {
    account,
    principal: {
      userId: account.id,
      username: account.username,
      displayName: account.displayName,
      locale: account.locale,
      grants,
      via,
    },
    scope,
  };
}

/**
 * The three statements that read a principal run on every request, and their text never changes: knex builds
 * each once (queryTemplate) instead of compiling its subqueries again on every page view.
 */
const principalStatement = queryTemplate<{ userId: number }, null>(
  (db, v) =>
    db('users as u')
      .where('u.id', v.userId)
      .select(...PRINCIPAL_COLUMNS, grantsJson(db, 'u.id'), scopeOfUser(db, 'u.id')),
  { userId: -7_000_001 },
);

const sessionStatement = queryTemplate<{ sid: string; now: string }, null>(
  (db, v) =>
    db
      .select(
        's.sess',
        's.session_user',
        ...PRINCIPAL_COLUMNS,
        grantsJson(db, 'u.id'),
        scopeOfUser(db, 'u.id'),
      )
      .from(
        db.raw(
          `(SELECT sess, CASE WHEN (sess -> 'passport' ->> 'user') ~ '^[0-9]{1,9}$'
              THEN (sess -> 'passport' ->> 'user')::integer END AS session_user
            FROM sessions WHERE sid = ? AND expired >= ?::timestamptz) AS s`,
          [v.sid, v.now],
        ),
      )
      .leftJoin('users as u', 'u.id', 's.session_user'),
  { sid: '\u0000marker-sid', now: '1901-01-01T00:00:00.001Z' },
);

const tokenStatement = queryTemplate<{ hash: string; now: string }, null>(
  (db, v) =>
    db('api_tokens as t')
      .join('users as u', 'u.id', 't.user_id')
      .where('t.token_hash', v.hash)
      .whereNull('t.revoked_at')
      .andWhere((q) =>
        q.whereNull('t.expires_at').orWhere('t.expires_at', '>', db.raw('?::timestamptz', [v.now])),
      )
      .select(
        ...PRINCIPAL_COLUMNS,
        grantsJson(db, 'u.id'),
        scopeOfUser(db, 'u.id'),
        't.id as token_id',
        't.name as token_name',
        't.token_prefix',
        't.created_at as token_created_at',
        't.expires_at as token_expires_at',
        't.last_used_at as token_last_used_at',
      ),
  { hash: '\u0000marker-token-hash', now: '1901-01-01T00:00:00.002Z' },
);

/**
 * The user, their grants and their scope (with its counties' change-log key) in one statement (it runs on
 * every request); undefined when missing or disabled.
 */
export async function loadPrincipal(
  db: Knex,
  userId: number,
  via: Principal['via'],
): Promise<{ principal: Principal; account: UserAccount; scope: Scope } | undefined> {
  // Prepared: it runs on every request, and planning its subqueries costs more than running them.
  const [row] = await preparedRows<Parameters<typeof principalOf>[1]>(
    db,
    'principal',
    principalStatement(db, null, { userId }),
  );
  return row ? principalOf(db, row, via) : undefined;
}

/** What the session store reads: the session's data and, when it names a user, that user's principal. */
export interface SessionWithPrincipal {
  sess: Record<string, unknown>;
  /** The user id the session names (passport's), or null for a session without a signed-in user. */
  userId: number | null;
  /** That user's principal, account and scope; undefined when the user is missing or disabled. */
  loaded: { principal: Principal; account: UserAccount; scope: Scope } | undefined;
}

/**
 * An unexpired session and the user it names (passport keeps the user id at `passport.user`) with their grants,
 * scope and scope key, in one statement: the session store's read on every page view, so that signing in from
 * a session costs no second round trip. Undefined when there is no such session.
 */
export async function sessionWithPrincipal(
  db: Knex,
  sid: string,
  now: Date,
): Promise<SessionWithPrincipal | undefined> {
  const [row] = await preparedRows<
    Partial<Parameters<typeof principalOf>[1]> & {
      sess: Record<string, unknown> | string;
      session_user: number | null;
    }
  >(db, 'session_principal', sessionStatement(db, null, { sid, now: now.toISOString() }));
  if (!row) return undefined;
  const sess = (typeof row.sess === 'string' ? JSON.parse(row.sess) : row.sess) as Record<string, unknown>;
  const loaded =
    row.session_user !== null && row.id !== null && row.id !== undefined
      ? principalOf(db, row as Parameters<typeof principalOf>[1], 'session')
      : undefined;
  return { sess, userId: row.session_user, loaded };
}

/**
 * An active (not revoked, not expired) token with its user and grants, in one statement (every API request).
 * Undefined when the token is unknown or inactive or its user is disabled.
 */
export async function principalForTokenHash(
  db: Knex,
  hash: string,
  now: Date,
): Promise<{ token: ApiToken; principal: Principal; scope: Scope } | undefined> {
  const [row] = await preparedRows<
    Parameters<typeof principalOf>[1] & {
      token_id: number;
      token_name: string;
      token_prefix: string;
      token_created_at: Date;
      token_expires_at: Date | null;
      token_last_used_at: Date | null;
    }
  >(db, 'token_principal', tokenStatement(db, null, { hash, now: now.toISOString() }));
  if (!row) return undefined;
  const loaded = principalOf(db, row, 'token');
  if (!loaded) return undefined;
  return {
    principal: loaded.principal,
    scope: loaded.scope,
    token: {
      id: row.token_id,
      userId: row.id,
      name: row.token_name,
      prefix: row.token_prefix,
      createdAt: row.token_created_at,
      expiresAt: row.token_expires_at,
      lastUsedAt: row.token_last_used_at,
      revokedAt: null,
    },
  };
}

/** Sets a new password and signs out every session issued before now (sessions_valid_after). */
export async function updatePasswordHash(
  db: Knex,
  userId: number,
  passwordHash: string,
  now: Date,
): Promise<void> {
  await db('users')
    .where({ id: userId })
    .update({ password_hash: passwordHash, password_changed_at: now, sessions_valid_after: now });
}

export async function updateLocale(db: Knex, userId: number, locale: Locale): Promise<void> {
  await db('users').where({ id: userId }).update({ locale });
}

export interface UserListEntry {
  id: number;
  username: string;
  displayName: string;
  disabled: boolean;
  grants: Array<RoleGrant & { regionName: string | null; personName: string | null }>;
}

export async function listUsers(db: Knex): Promise<UserListEntry[]> {
  const users = await db('users').orderBy('username');
  const roles = await db('user_roles as ur')
    .leftJoin('regions as r', 'r.id', 'ur.region_id')
    .leftJoin('people as p', 'p.id', 'ur.person_id')
    .select(
      'ur.user_id',
      'ur.role',
      'ur.region_id',
      'ur.person_id',
      'r.name as region_name',
      'p.name as person_name',
    )
    .orderBy('ur.id');
  return users.map((u) => ({
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    disabled: u.disabled_at !== null,
    grants: roles
      .filter((r) => r.user_id === u.id)
      .map((r) => ({
        role: r.role,
        regionId: r.region_id,
        personId: r.person_id,
        regionName: r.region_name,
        personName: r.person_name,
      })),
  }));
}

// Sign-in attempts -------------------------------------------------------------------------------

export async function recordLoginAttempt(
  db: Knex,
  attempt: { username: string; address: string; succeeded: boolean },
): Promise<void> {
  await db('login_attempts').insert(attempt);
}

/** Failures since `since` and since the last success for the same key. */
export async function recentFailures(
  db: Knex,
  key: { username: string } | { address: string },
  since: Date,
): Promise<number> {
  const [column, value] = 'username' in key ? ['username', key.username] : ['address', key.address];
  const row = await db('login_attempts as f')
    .where(`f.${column}`, value)
    .andWhere('f.succeeded', false)
    .andWhere('f.attempted_at', '>=', since)
    .whereNotExists(
      db('login_attempts as s')
        .where(`s.${column}`, value)
        .andWhere('s.succeeded', true)
        .andWhere('s.attempted_at', '>', db.ref('f.attempted_at')),
    )
    .count<{ n: number | string }[]>('* as n')
    .first();
  return Number(row?.n ?? 0);
}

export async function pruneLoginAttempts(db: Knex, before: Date): Promise<void> {
  await db('login_attempts').where('attempted_at', '<', before).delete();
}

// Personal API tokens --------------------------------------------------------------------------------

export interface ApiToken {
  id: number;
  userId: number;
  name: string;
  prefix: string;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const toToken = (row: ApiTokenRow): ApiToken => ({
  id: row.id,
  userId: row.user_id,
  name: row.name,
  prefix: row.token_prefix,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  lastUsedAt: row.last_used_at,
  revokedAt: row.revoked_at,
});

export async function insertApiToken(
  db: Knex,
  token: { userId: number; name: string; hash: string; prefix: string; expiresAt: Date | null },
): Promise<ApiToken> {
  const [row] = await db('api_tokens')
    .insert({
      user_id: token.userId,
      name: token.name,
      token_hash: token.hash,
      token_prefix: token.prefix,
      expires_at: token.expiresAt,
    })
    .returning('*');
  return toToken(row as ApiTokenRow);
}

export async function listApiTokens(db: Knex, userId: number): Promise<ApiToken[]> {
  const rows = await db('api_tokens').where({ user_id: userId }).orderBy('created_at', 'desc');
  return rows.map(toToken);
}

export async function touchApiToken(db: Knex, id: number, now: Date): Promise<void> {
  await db('api_tokens').where({ id }).update({ last_used_at: now });
}

export async function revokeApiToken(
  db: Knex,
  userId: number,
  id: number,
  now: Date,
): Promise<ApiToken | undefined> {
  const [row] = await db('api_tokens')
    .where({ id, user_id: userId })
    .whereNull('revoked_at')
    .update({ revoked_at: now })
    .returning('*');
  return row ? toToken(row as ApiTokenRow) : undefined;
}
