import type { RequestHandler } from 'express';
import { isLocale, localeFromAcceptLanguage, translator } from '../i18n.js';

/** The user's choice (this session, else their account), then Accept-Language; Chinese by default. */
export const setUpLocale: RequestHandler = (req, _res, next) => {
  const chosen = req.session?.locale;
  req.locale = isLocale(chosen)
    ? chosen
    : (req.principal?.locale ?? localeFromAcceptLanguage(req.headers['accept-language']));
  req.t = translator(req.locale);
  next();
};
