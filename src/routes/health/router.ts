import { Router } from 'express';
import type { Services } from '../../container.js';
import { paths } from '../../paths.js';

/** Liveness and database reachability, for load balancers and operators. No session, no auth. */
export function healthRouter(services: Services): Router {
  const router = Router();
  router.get(paths.health(), async (_req, res) => {
    const health = await services.health.check();
    res
      .status(health.ok ? 200 : 503)
      .set('Cache-Control', 'no-store')
      .json({
        status: health.ok ? 'ok' : 'unavailable',
        backend: health.backend,
        database: health.ok ? 'reachable' : 'unreachable',
      });
  });
  return router;
}
