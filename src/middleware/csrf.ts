import { csrfSync } from 'csrf-sync';
import type { RequestHandler } from 'express';

export const CSRF_ERROR_CODE = 'EBADCSRFTOKEN';

/**
 * Session-bound synchroniser tokens: a hidden `_csrf` field on every form, or the `X-CSRF-Token` header for
 * scripts using the session cookie. Requests authenticated by a bearer token carry no cookie and are exempt.
 */
export function setUpCsrf(): {
  protect: RequestHandler;
  token: (req: Parameters<RequestHandler>[0]) => string;
} {
  const { csrfSynchronisedProtection, generateToken } = csrfSync({
    getTokenFromRequest: (req) => {
      const fromBody = (req.body as Record<string, unknown> | undefined)?._csrf;
      if (typeof fromBody === 'string') return fromBody;
      const header = req.headers['x-csrf-token'];
      return typeof header === 'string' ? header : undefined;
    },
    skipCsrfProtection: (req) => req.principal?.via === 'token',
    errorConfig: { statusCode: 403, message: 'invalid csrf token', code: CSRF_ERROR_CODE },
  });
  return { protect: csrfSynchronisedProtection, token: (req) => generateToken(req) };
}
