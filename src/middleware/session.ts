import { ConnectSessionKnexStore } from 'connect-session-knex';
import type { RequestHandler } from 'express';
import session from 'express-session';
import type { Knex } from 'knex';

export const SESSION_COOKIE = 'gangwei.sid';

/**
 * Sessions live in the database (the sessions table, through knex, so PGlite's single connection is shared
 * and several app instances can serve one user). Idle sessions expire after idleMinutes (rolling cookie).
 * API requests with a bearer token get no session at all.
 */
export function setUpSession(
  knex: Knex,
  options: { secret: string; idleMinutes: number; secureCookie: boolean },
): { middleware: RequestHandler; close: () => void } {
  const store = new ConnectSessionKnexStore({
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
