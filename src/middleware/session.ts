import { ConnectSessionKnexStore } from 'connect-session-knex';
import type { RequestHandler } from 'express';
import session, { type SessionData } from 'express-session';
import type { Knex } from 'knex';

export const SESSION_COOKIE = 'gangwei.sid';

/** A rolling session's expiry is written to the database at most once per this interval. */
export const TOUCH_INTERVAL_MS = 60_000;

/**
 * The knex store, but a rolling session's expiry is moved in the database at most once a minute per session
 * (and on every save): without it every page view wrote the sessions table. The cost is precision: a session
 * idle for `idleMinutes` may end up to a minute early, never late. The map only skips writes; losing it (a
 * restart, another instance) costs one extra write, never a wrong answer.
 */
class ThrottledTouchStore extends ConnectSessionKnexStore {
  private readonly written = new Map<string, number>();

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
): { middleware: RequestHandler; close: () => void } {
  const store = new ThrottledTouchStore({
    knex,
    tableName: 'sessions',
    createTable: false,
    cleanupInterval: 15 * 60_000,
  });
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
