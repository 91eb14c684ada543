import { type Request, type Response, Router } from 'express';
import { homeFor } from '../../auth/principal.js';
import type { Services } from '../../container.js';
import type { AuthenticateLocal } from '../../middleware/auth.js';
import { paths, safeLocalPath } from '../../paths.js';
import { errorsByField, type FieldError, fieldError, keptValues, pageTitle, parseForm } from '../forms.js';
import { homePath } from '../home.js';
import { localeSchema, loginSchema } from './schemas.js';

export function authRouter(services: Services, authenticateLocal: AuthenticateLocal): Router {
  const router = Router();

  const renderLogin = (
    req: Request,
    res: Response,
    status: number,
    errors: FieldError[] = [],
    notice?: string,
  ) => {
    res.status(status).render('auth/login', {
      title: pageTitle(req, 'login.title', errors),
      errors,
      fieldErrors: errorsByField(errors),
      values: keptValues(req.body ?? req.query, ['username', 'returnTo']),
      notice,
    });
  };

  router.get(paths.home(), (req, res) => {
    if (!req.principal) return res.redirect(303, paths.login());
    res.redirect(303, homePath(homeFor(req.principal)));
  });

  router.get(paths.login(), (req, res) => {
    if (req.principal) return res.redirect(303, homePath(homeFor(req.principal)));
    renderLogin(req, res, 200, [], req.query.signedOut === '1' ? req.t('login.signedOut') : undefined);
  });

  router.post(paths.login(), (req, res, next) => {
    const form = parseForm(loginSchema, req.body, req);
    if (!form.ok) return renderLogin(req, res, 400, form.errors);
    req.body.username = form.data.username;
    const chosenLocale = req.session.locale;
    authenticateLocal(req, res, next, (user, info) => {
      if (!user) {
        const error =
          info?.reason === 'throttled'
            ? fieldError(req, 'username', 'login.errors.throttled', { minutes: info.retryMinutes })
            : fieldError(req, 'username', 'login.errors.invalid');
        return renderLogin(req, res, info?.reason === 'throttled' ? 429 : 401, [error]);
      }
      req.logIn(user, (err) => {
        if (err) return next(err);
        req.session.createdAt = Date.now();
        if (chosenLocale) req.session.locale = chosenLocale;
        const target = safeLocalPath(form.data.returnTo, paths.home());
        res.redirect(303, target === paths.login() ? paths.home() : target);
      });
    });
  });

  router.post(paths.logout(), (req, res, next) => {
    req.logout((err) => {
      if (err) return next(err);
      req.session.destroy(() => {
        res.redirect(303, `${paths.login()}?signedOut=1`);
      });
    });
  });

  router.post(paths.locale(), async (req, res) => {
    const form = parseForm(localeSchema, req.body, req);
    if (!form.ok) {
      return res.status(400).render('auth/locale', {
        title: pageTitle(req, 'locale.title', form.errors),
        errors: form.errors,
        fieldErrors: errorsByField(form.errors),
        values: keptValues(req.body, ['returnTo']),
      });
    }
    req.session.locale = form.data.locale;
    if (req.principal) {
      await services.auth.setLocale(
        { userId: req.principal.userId, username: req.principal.username, requestId: String(req.id) },
        form.data.locale,
      );
    }
    res.redirect(303, safeLocalPath(form.data.returnTo, paths.home()));
  });

  return router;
}
