import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ConflictError, HttpError, NotFoundError } from '../errors.js';
import { CSRF_ERROR_CODE } from './csrf.js';

export const notFoundHandler: RequestHandler = () => {
  throw new NotFoundError('page');
};

/** One handler for every error: typed errors become their page or JSON; anything else a logged 500. */
export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const e = err as { status?: number; statusCode?: number; type?: string; code?: string; expose?: boolean };
  let status = 500;
  let code = 'internal';
  let messageKey = 'errors.500.message';
  let vars: Record<string, unknown> = {};
  if (err instanceof ConflictError) {
    status = 409;
    code = 'conflict';
    messageKey = err.messageKey;
    vars = err.vars;
  } else if (err instanceof HttpError) {
    status = err.status;
    code = err.code;
    messageKey = `errors.${err.status}.message`;
  } else if (e.code === CSRF_ERROR_CODE) {
    status = 403;
    code = 'csrf';
    messageKey = 'errors.csrf.message';
  } else if (e.type === 'entity.too.large') {
    status = 413;
    code = 'too_large';
    messageKey = 'errors.413.message';
  } else if (typeof e.status === 'number' && e.status >= 400 && e.status < 500 && e.expose) {
    // body-parser and other http-errors: malformed JSON, bad encoding, unsupported charset.
    status = e.status;
    code = 'bad_request';
    messageKey = 'errors.400.message';
  }
  if (status >= 500) req.log?.error({ err }, 'request failed');
  if (res.headersSent) return;
  const t = req.t ?? ((k: string) => k);
  const message = t(messageKey, vars);
  if (status === 401 && req.isApi) res.setHeader('WWW-Authenticate', 'Bearer realm="gangwei"');
  if (req.isApi || !req.accepts('html')) {
    res.status(status).json({ error: { code, message, ...(status >= 500 ? { requestId: req.id } : {}) } });
    return;
  }
  const titleStatus = [400, 401, 403, 404, 409, 413].includes(status) ? status : status === 429 ? 400 : 500;
  res.status(status).render('errors/error', {
    title: t(`errors.${titleStatus}.title`),
    message,
    code,
    requestId: req.id,
    showRequestId: status >= 500,
  });
};
