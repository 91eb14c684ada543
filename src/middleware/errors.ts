import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ConflictError, HttpError, NotFoundError } from '../errors.js';
import { localeFromAcceptLanguage, translator } from '../i18n.js';
import { CSRF_ERROR_CODE } from './csrf.js';

/** A PostgreSQL error code (SQLSTATE): five characters, digits and upper-case letters. */
const SQLSTATE = /^[0-9A-Z]{5}$/;

/**
 * The status for a SQLSTATE that escaped the forms' validation: class 22 (data exception: a date that does not
 * exist, a number out of range, a string too long, bad encoding) is 400; class 23 (integrity: unique, foreign key,
 * check, exclusion) is 409; class 08 (connection), 57P01–57P03 (server shut down or restarting) and 53 (out of
 * resources) are 503. Anything else stays a 500.
 */
export function databaseStatus(sqlState: string): number | undefined {
  if (sqlState.startsWith('22')) return 400;
  if (sqlState.startsWith('23')) return 409;
  if (sqlState.startsWith('08') || /^57P0[123]$/.test(sqlState) || sqlState.startsWith('53')) return 503;
  return undefined;
}

/** The driver lost its connection (terminated backend, server gone, pool timed out waiting for one). */
function isConnectionLoss(err: unknown): boolean {
  const e = err as { code?: string; message?: string; name?: string };
  if (typeof e?.code === 'string' && ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT'].includes(e.code))
    return true;
  const message = typeof e?.message === 'string' ? e.message : '';
  return (
    e?.name === 'KnexTimeoutError' ||
    /Connection terminated|terminating connection|Client has encountered a connection error/.test(message)
  );
}

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
  } else if (typeof e.code === 'string' && SQLSTATE.test(e.code) && databaseStatus(e.code)) {
    // A safety net behind validation: what the database refused is the request's fault (400/409), and a lost
    // connection is the service's (503); the transaction was rolled back, so nothing was written either way.
    status = databaseStatus(e.code) as number;
    code = status === 400 ? 'invalid_data' : status === 409 ? 'integrity' : 'unavailable';
    messageKey =
      status === 400
        ? 'errors.dataInvalid.message'
        : status === 409
          ? 'errors.integrity.message'
          : 'errors.503.message';
    req.log?.warn({ err, sqlState: e.code }, 'database refused the request');
  } else if (isConnectionLoss(err)) {
    status = 503;
    code = 'unavailable';
    messageKey = 'errors.503.message';
  } else if (typeof e.status === 'number' && e.status >= 400 && e.status < 500 && e.expose) {
    // body-parser and other http-errors: malformed JSON, bad encoding, unsupported charset.
    status = e.status;
    code = 'bad_request';
    messageKey = 'errors.400.message';
  }
  if (status >= 500) req.log?.error({ err }, 'request failed');
  if (res.headersSent) return;
  if (status === 503) res.setHeader('Retry-After', '5');
  // Errors before the language middleware (a database down while reading the session or token) still answer
  // in the browser's language.
  const t = req.t ?? translator(localeFromAcceptLanguage(req.headers['accept-language']));
  const message = t(messageKey, vars);
  if (status === 401 && req.isApi) res.setHeader('WWW-Authenticate', 'Bearer realm="gangwei"');
  if (req.isApi || !req.accepts('html')) {
    res.status(status).json({ error: { code, message, ...(status >= 500 ? { requestId: req.id } : {}) } });
    return;
  }
  const titleStatus = [400, 401, 403, 404, 409, 413, 503].includes(status)
    ? status
    : status === 429
      ? 400
      : 500;
  res.status(status).render('errors/error', {
    title: t(`errors.${titleStatus}.title`),
    message,
    code,
    requestId: req.id,
    showRequestId: status >= 500,
  });
};
