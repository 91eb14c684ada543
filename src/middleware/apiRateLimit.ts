import type { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit, type Store } from 'express-rate-limit';
import type { Services } from '../container.js';

/** express-rate-limit's store over the `api_rate_limits` table: every app instance counts the same hits. */
function databaseStore(services: Services, windowMs: number): Store {
  let calls = 0;
  return {
    localKeys: false,
    prefix: 'api:',
    async increment(key) {
      calls += 1;
      if (calls % 1000 === 0) void services.rateLimits.sweep().catch(() => undefined);
      const { hits, resetAt } = await services.rateLimits.hit(`api:${key}`, windowMs);
      return { totalHits: hits, resetTime: resetAt };
    },
    async get(key) {
      const row = await services.rateLimits.current(`api:${key}`);
      return row ? { totalHits: row.hits, resetTime: row.resetAt } : undefined;
    },
    async decrement(key) {
      await services.rateLimits.unhit(`api:${key}`);
    },
    async resetKey(key) {
      await services.rateLimits.reset(`api:${key}`);
    },
  };
}

/**
 * The API's rate limit: so many requests per signed-in user (session or token) in each window, or per
 * address before sign-in; beyond it 429 with `Retry-After` and the usual error body in the user's language.
 */
export function apiRateLimit(services: Services): RequestHandler {
  const { limit, windowSeconds } = services.config.apiRateLimit;
  const windowMs = windowSeconds * 1000;
  return rateLimit({
    windowMs,
    limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    store: databaseStore(services, windowMs),
    keyGenerator: (req) =>
      req.principal ? `user:${req.principal.userId}` : `ip:${ipKeyGenerator(req.ip ?? 'unknown')}`,
    handler: (req, res) => {
      res.status(429).json({
        error: { code: 'rate_limited', message: req.t('errors.rateLimited', { seconds: windowSeconds }) },
      });
    },
  });
}
