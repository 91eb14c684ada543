import { ConnectSessionKnexStore } from 'connect-session-knex';
import type { Request, RequestHandler } from 'express';
import session, { type SessionData } from 'express-session';
import type { Knex } from 'knex';
import type { SessionWithPrincipal } from '../db/repositories/users.js';

export const SESSION_COOKIE = 'gangwei.sid';

/** A rolling session's expiry is written to the database at most once per this interval. */
export const TOUCH_INTERVAL_MS = 60_000;

/**
 * The knex store, but a rolling session's expiry is moved in the database at most once a minute per session
 * (and on every save): without it every page view wrote the sessions table. The cost is precision: a session
 * idle for `idleMinutes` may end up to a minute early, never late. The map only skips writes; losing it (a
 * restart, another instance) costs one extra write, never a wrong answer.
 */
/** Reads a session and the principal of the user it names in one statement (see users.sessionWithPrincipal). */
export type ReadSession = (sid: string, now: Date) => Promise<SessionWithPrincipal | undefined>;

/** Where a read session carries its user's principal to `createSession` (a symbol: never saved with it). */
const PRINCIPAL = Symbol('sessionPrincipal');

class ThrottledTouchStore extends ConnectSessionKnexStore {
  private readonly written = new Map<string, number>();
  readSession: ReadSession | undefined;

  /**
   * The session with its user's principal in one statement when a reader is given: the principal rides on the
   * session data under a symbol (JSON and the session's change hash never see it) and `createSession` moves it
   * to `req.sessionPrincipal`, where loading the principal (middleware/auth.ts) takes it instead of asking
   * again. Without a reader, the store's own read.
   */
  override async get(sid: string, callback: (err: unknown, session?: SessionData | null) => void) {
    if (!this.readSession) return super.get(sid, callback);
    try {
      const read = await this.readSession(sid, new Date());
      const sess = read ? (read.sess as unknown as SessionData) : null;
      if (read && sess) Object.defineProperty(sess, PRINCIPAL, { value: read, enumerable: false });
      callback(null, sess);
      return sess;
    } catch (err) {
      // Answered through the callback only: express-session does not await the store, so a rejected promise
      // here would be an unhandled rejection.
      callback(err);
      return null;
    }
  }

  override createSession(req: Request, sess: SessionData) {
    const read = (sess as unknown as Record<symbol, SessionWithPrincipal | undefined>)[PRINCIPAL];
    if (read) req.sessionPrincipal = { userId: read.userId, loaded: read.loaded };
    return super.createSession(req, sess);
  }

  private remember(sid: string): void {
    this.written.delete(sid);
    this.written.set(sid, Date.now());
    // Bounded: the oldest entries go first (a Map iterates in insertion order).
    if (this.written.size > 50_000) {
      for (const key of this.written.keys()) {
        this.written.delete(key);
        if (this.written.size <= 40_000) break;
      }
    }
  }

  override async set(sid: string, session: SessionData, callback?: (err?: unknown) => void): Promise<void> {
    await super.set(sid, session, callback);
    this.remember(sid);
  }

  override async touch(sid: string, session: SessionData, callback?: () => void): Promise<void> {
    const last = this.written.get(sid);
    if (last !== undefined && Date.now() - last < TOUCH_INTERVAL_MS) {
      callback?.();
      return;
    }
    await super.touch(sid, session, callback);
    this.remember(sid);
  }

  override async destroy(sid: string, callback?: (err?: unknown) => void): Promise<number> {
    this.written.delete(sid);
    return super.destroy(sid, callback);
  }
}

/**
 * Sessions live in the database (the sessions table, through knex, so PGlite's single connection is shared
 * and several app instances can serve one user). Idle sessions expire after idleMinutes (rolling cookie).
 * API requests with a bearer token get no session at all.
 */
export function setUpSession(
  knex: Knex,
  options: { secret: string; idleMinutes: number; secureCookie: boolean },
  readSession?: ReadSession,
): { middleware: RequestHandler; close: () => void } {
  const store = new ThrottledTouchStore({
    knex,
    tableName: 'sessions',
    createTable: false,
    cleanupInterval: 15 * 60_000,
  });
  store.readSession = readSession;
  const sessionMiddleware = session({
    name: SESSION_COOKIE,
    secret: options.secret,
    store,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure: options.secureCookie,
      maxAge: options.idleMinutes * 60_000,
    },
  });
  const middleware: RequestHandler = (req, res, next) => {
    if (req.headers.authorization?.startsWith('Bearer ')) return next();
    return sessionMiddleware(req, res, (err?: unknown) => {
      if (err) return next(err);
      // Save before redirecting. express-session saves at the end of the response but sends all of it but
      // the last byte first, and a browser follows a 303 as soon as the headers arrive: on PostgreSQL (a pool,
      // so no queue in between) the next request could read the session before the save, losing a flash
      // message or a language choice.
      const redirect = res.redirect.bind(res) as (...args: unknown[]) => void;
      res.redirect = ((...args: unknown[]) => {
        if (!req.session) return redirect(...args);
        req.session.save((saveErr) => (saveErr ? next(saveErr) : redirect(...args)));
      }) as typeof res.redirect;
      next();
    });
  };
  return {
    middleware,
    close: () => {
      if (store.nextDbCleanup) clearTimeout(store.nextDbCleanup);
    },
  };
}
