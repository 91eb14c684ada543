import type { RequestHandler } from 'express';
import { homeFor, type Principal } from '../auth/principal.js';
import { paths } from '../paths.js';
import { homePath } from '../routes/home.js';

/** What every page's layout needs: language, the signed-in user and their scope label, CSRF token, nav. */
export function setUpLocals(csrfToken: (req: Parameters<RequestHandler>[0]) => string): RequestHandler {
  return (req, res, next) => {
    if (req.isApi) return next();
    res.locals.locale = req.locale;
    res.locals.htmlLang = req.locale === 'zh-CN' ? 'zh-CN' : 'en';
    res.locals.currentPath = req.originalUrl;
    res.locals.paths = paths;
    if (req.session) res.locals.csrfToken = csrfToken(req);
    if (req.session?.flash) {
      res.locals.flash = {
        kind: req.session.flash.kind,
        text: req.t(req.session.flash.key, req.session.flash.vars ?? {}),
      };
      delete req.session.flash;
    }
    if (req.principal) res.locals.user = userView(req.principal, req.t);
    next();
  };
}

function userView(principal: Principal, t: (key: string) => string) {
  const nav: Array<{ href: string; label: string; badge?: number }> = [];
  nav.push({ href: homePath(homeFor(principal)), label: t('nav.home') });
  if (principal.grants.some((g) => g.role !== 'staff')) {
    nav.push({ href: paths.cities(), label: t('nav.directory') });
    nav.push({ href: paths.people.list(), label: t('people.nav') });
    nav.push({ href: paths.movements(), label: t('nav.movements') });
    nav.push({ href: paths.promotionCases.list(), label: t('promotionCases.nav') });
    nav.push({ href: paths.reports.index(), label: t('reports.nav') });
    if (principal.grants.some((g) => g.role !== 'staff' && g.role !== 'admin'))
      nav.push({ href: paths.imports.index(), label: t('imports.nav') });
    nav.push({ href: paths.inbox(), label: t('nav.inbox') });
  }
  if (principal.grants.some((g) => g.role === 'admin')) {
    nav.push({ href: paths.careers.rules(), label: t('rulesAdmin.nav') });
    nav.push({ href: paths.countySettings(), label: t('countySettings.nav') });
    nav.push({ href: paths.calendar.admin(), label: t('calendar.nav') });
  }
  nav.push({ href: paths.account(), label: t('nav.account') });
  return {
    displayName: principal.displayName,
    username: principal.username,
    roles: [...new Set(principal.grants.map((g) => t(`roles.${g.role}`)))].join('、'),
    nav,
  };
}
