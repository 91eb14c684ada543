import type { NextFunction, Request, RequestHandler, Response } from 'express';
import passport from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import type { Services } from '../container.js';
import { UnauthenticatedError } from '../errors.js';
import { paths } from '../paths.js';

export interface SignInFailure {
  reason: 'invalid' | 'throttled';
  retryMinutes?: number;
}

/**
 * passport with the local strategy: the strategy asks the auth service (throttling, argon2id), and
 * passport 0.7 regenerates the session at sign-in. Sessions store only the user id; the principal is
 * reloaded on every request so a disabled account or a sign-out everywhere takes effect at once.
 */
export type AuthenticateLocal = (
  req: Request,
  res: Response,
  next: NextFunction,
  done: (user: Express.User | false, info: SignInFailure | undefined) => void,
) => void;

export function setUpPassport(services: Services): {
  handlers: RequestHandler[];
  authenticateLocal: AuthenticateLocal;
} {
  const authenticator = new passport.Passport();
  authenticator.use(
    new LocalStrategy(
      { usernameField: 'username', passwordField: 'password', passReqToCallback: true },
      (req, username, password, done) => {
        services.auth
          .signIn(username.trim().toLowerCase(), password, req.ip ?? 'unknown')
          .then((result) => {
            if (result.ok) return done(null, { id: result.userId });
            const info: SignInFailure =
              result.reason === 'throttled'
                ? { reason: 'throttled', retryMinutes: result.retryMinutes }
                : { reason: 'invalid' };
            return done(null, false, info as unknown as { message: string });
          })
          .catch(done);
      },
    ),
  );
  authenticator.serializeUser((user, done) => done(null, (user as Express.User).id));
  authenticator.deserializeUser((id: number, done) => done(null, { id }));

  const loadPrincipal: RequestHandler = async (req, _res, next) => {
    const auth = req.headers.authorization;
    if (auth?.startsWith('Bearer ')) {
      const found = await services.auth.principalForToken(auth.slice('Bearer '.length).trim());
      if (!found) throw new UnauthenticatedError();
      req.principal = found.principal;
      req.scope = found.scope;
      return next();
    }
    if (req.user) {
      // The user, their grants and their scope: read with the session by the session store when it could
      // (one statement for both), else in one statement here.
      const preloaded = req.sessionPrincipal?.userId === req.user.id ? req.sessionPrincipal : undefined;
      const found = preloaded
        ? services.auth.sessionPrincipal(preloaded.loaded, req.session?.createdAt)
        : await services.auth.principalForSession(req.user.id, req.session?.createdAt);
      if (found) {
        req.principal = found.principal;
        req.scope = found.scope;
      } else
        await new Promise<void>((resolve, reject) => req.logout((err) => (err ? reject(err) : resolve())));
    }
    next();
  };
  /** Runs the local strategy with a callback, so the route decides how to show a failure. */
  const authenticateLocal: AuthenticateLocal = (req, res, next, done) => {
    authenticator.authenticate(
      'local',
      (err: unknown, user: Express.User | false, info: SignInFailure | undefined) => {
        if (err) return next(err);
        done(user, info);
      },
    )(req, res, next);
  };
  const sessionAuth = authenticator.session();
  // Bearer-token API calls carry no session: passport's session strategy is skipped for them.
  const restoreFromSession: RequestHandler = (req, res, next) =>
    req.session ? sessionAuth(req, res, next) : next();
  return {
    // compat: false: no `req._passport` for strategies of passport 0.4 (none here), two fewer properties per request.
    handlers: [authenticator.initialize({ compat: false }), restoreFromSession, loadPrincipal],
    authenticateLocal,
  };
}

/** Signed-in users only; resolves the scope every query below filters by. */
export function requireAuth(services: Services): RequestHandler {
  return async (req, res, next) => {
    if (!req.principal) {
      if (req.isApi) throw new UnauthenticatedError();
      return res.redirect(303, `${paths.login()}?returnTo=${encodeURIComponent(req.originalUrl)}`);
    }
    // Resolved with the principal (loadPrincipal above); resolved here only if something set a principal alone.
    req.scope ??= await services.access.scopeFor(req.principal);
    next();
  };
}
